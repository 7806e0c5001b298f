/**
 * JGI on Jetty 12's core Handler API, without the servlet layer: {@link dev.jgi.jetty.JgiHandler}
 * for users who assemble their own {@code org.eclipse.jetty.server.Server}, and
 * {@link dev.jgi.jetty.JettyServer}, a one-call embedded launcher with graceful stop.
 *
 * <p>The adapter is a thin translation onto core's shared gateway ({@code dev.jgi.gateway}): the
 * environ is built from Jetty's raw request facts by {@code EnvironBuilder}, and every response
 * rule is carried out by {@code Gateway} on a {@code ResponseChannel} over Jetty's
 * {@code Response}.
 */
package dev.jgi.jetty;

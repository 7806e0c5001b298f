/**
 * JGI on Undertow core: {@link dev.jgi.undertow.JgiHandler}, an Undertow {@code HttpHandler} that
 * hosts a JGI application, and {@link dev.jgi.undertow.UndertowServer}, a one-call embedded server
 * with a graceful stop.
 */
package dev.jgi.undertow;

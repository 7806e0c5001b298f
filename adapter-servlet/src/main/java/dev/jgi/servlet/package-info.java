/**
 * The JGI adapter for Jakarta Servlet 6: {@link dev.jgi.servlet.JgiServlet} hosts a JGI
 * application in any servlet container, and {@link dev.jgi.servlet.JgiInitializer} mounts one
 * from a context parameter or a service entry with no code.
 */
package dev.jgi.servlet;

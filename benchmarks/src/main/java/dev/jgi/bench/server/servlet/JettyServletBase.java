package dev.jgi.bench.server.servlet;

import dev.jgi.bench.server.jetty.JettyBase;
import jakarta.servlet.Servlet;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Handler;

/**
 * The one Jetty 12 ee11 assembly both Jetty servlet variants use: the shared Jetty server
 * ({@link JettyBase}) and a root {@link ServletContextHandler} without sessions or security, the
 * servlet at {@code /*}. Only the servlet differs.
 */
public abstract class JettyServletBase extends JettyBase {

    /** Creates the variant. */
    protected JettyServletBase() {
    }

    /** @return the servlet of this variant */
    protected abstract Servlet servlet();

    @Override
    protected Handler handler() {
        ServletContextHandler ctx = new ServletContextHandler(ServletContextHandler.NO_SESSIONS | ServletContextHandler.NO_SECURITY);
        ctx.setContextPath("/");
        ServletHolder holder = new ServletHolder("bench", servlet());
        holder.setAsyncSupported(true);
        ctx.addServlet(holder, "/*");
        return ctx;
    }
}

package dev.jgi.bench.server.servlet;

import dev.jgi.bench.app.BenchApp;
import dev.jgi.servlet.JgiServlet;
import jakarta.servlet.Servlet;

/** Jetty 12 ee11 with the JGI adapter's {@link JgiServlet} in its default (blocking) mode. */
public final class JettyServletJgi extends JettyServletBase {

    /** Creates the variant. */
    public JettyServletJgi() {
    }

    @Override
    protected Servlet servlet() {
        return new JgiServlet(BenchApp.fromSystemProperty());
    }
}

package dev.jgi.bench.server.servlet;

import dev.jgi.bench.app.BenchApp;
import dev.jgi.servlet.JgiServlet;
import jakarta.servlet.Servlet;

/** Tomcat 11 with the JGI adapter's {@link JgiServlet} in its default (blocking) mode. */
public final class TomcatJgi extends TomcatBase {

    /** Creates the variant. */
    public TomcatJgi() {
    }

    @Override
    protected Servlet servlet() {
        return new JgiServlet(BenchApp.fromSystemProperty());
    }
}

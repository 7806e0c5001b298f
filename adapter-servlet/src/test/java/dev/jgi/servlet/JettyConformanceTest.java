package dev.jgi.servlet;

import dev.jgi.conformance.ServerUnderTest;
import dev.jgi.conformance.junit.ConformanceSuite;

/** The conformance suite against the servlet adapter on embedded Jetty 12 ee11, default (blocking) mode. */
class JettyConformanceTest extends ConformanceSuite {
    @Override
    protected ServerUnderTest server() {
        return ServletServersUnderTest.server(Container.Kind.JETTY, JgiServlet.Mode.BLOCKING);
    }
}

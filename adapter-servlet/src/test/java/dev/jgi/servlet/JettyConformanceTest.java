package dev.jgi.servlet;

import dev.jgi.conformance.ServerUnderTest;
import dev.jgi.conformance.junit.ConformanceSuite;
import java.util.Map;

/** The conformance suite against the servlet adapter on embedded Jetty 12 ee11, default (blocking) mode. */
class JettyConformanceTest extends ConformanceSuite {
    @Override
    protected ServerUnderTest server() {
        return ServletServersUnderTest.server(Container.Kind.JETTY, JgiServlet.Mode.BLOCKING);
    }

    @Override
    protected Map<String, String> knownDeviations() {
        return ServletServersUnderTest.knownDeviations(Container.Kind.JETTY);
    }
}

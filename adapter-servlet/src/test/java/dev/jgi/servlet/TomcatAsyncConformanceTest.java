package dev.jgi.servlet;

import dev.jgi.conformance.ServerUnderTest;
import dev.jgi.conformance.junit.ConformanceSuite;

/** The conformance suite against the servlet adapter on embedded Tomcat 11, async mode. */
class TomcatAsyncConformanceTest extends ConformanceSuite {
    @Override
    protected ServerUnderTest server() {
        return ServletServersUnderTest.server(Container.Kind.TOMCAT, JgiServlet.Mode.ASYNC);
    }
}

package dev.jgi.servlet;

import dev.jgi.conformance.ServerUnderTest;
import dev.jgi.conformance.junit.ConformanceSuite;

/** The conformance suite against the servlet adapter on embedded Tomcat 11, default (blocking) mode. */
class TomcatConformanceTest extends ConformanceSuite {
    @Override
    protected ServerUnderTest server() {
        return ServletServersUnderTest.server(Container.Kind.TOMCAT, JgiServlet.Mode.BLOCKING);
    }
}

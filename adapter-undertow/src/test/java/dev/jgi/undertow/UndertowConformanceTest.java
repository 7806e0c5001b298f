package dev.jgi.undertow;

import dev.jgi.conformance.ServerUnderTest;
import dev.jgi.conformance.junit.ConformanceSuite;
import java.util.Map;

/**
 * The shared conformance suite on this adapter, at the root and under a mount; in the build's
 * platform-thread run and again in its virtual-thread run (see the pom).
 */
class UndertowConformanceTest extends ConformanceSuite {

    private static final String HOST_HEADER_HANDLER = "Undertow 2.4 answers 400 itself (HostHeaderHandler, hard-wired in"
            + " HttpReadListener, no option) when an absolute-form target's authority does not contain the Host"
            + " value; RFC 9112 3.2.2 says to ignore Host. See adapter-undertow/README.md";

    @Override
    protected ServerUnderTest server() {
        return new UndertowServerUnderTest(TestServers.virtual());
    }

    @Override
    protected Map<String, String> knownDeviations() {
        return Map.of(
                "request.absolute-form", HOST_HEADER_HANDLER,
                "request.absolute-form-empty-path", HOST_HEADER_HANDLER,
                "environ-diff.absolute-form", HOST_HEADER_HANDLER);
    }
}

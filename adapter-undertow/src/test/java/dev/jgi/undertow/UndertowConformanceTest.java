package dev.jgi.undertow;

import dev.jgi.conformance.ServerUnderTest;
import dev.jgi.conformance.junit.ConformanceSuite;

/**
 * The shared conformance suite on this adapter, at the root and under a mount; in the build's
 * platform-thread run and again in its virtual-thread run (see the pom). The declaration, with its
 * reasons, is {@link UndertowServerUnderTest#declaration()}.
 */
class UndertowConformanceTest extends ConformanceSuite {

    @Override
    protected ServerUnderTest server() {
        return new UndertowServerUnderTest(TestServers.virtual());
    }
}

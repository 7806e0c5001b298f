package dev.jgi.jetty;

import dev.jgi.conformance.Capability;
import dev.jgi.conformance.Declaration;
import dev.jgi.conformance.ServerUnderTest;
import dev.jgi.conformance.junit.ConformanceSuite;

/**
 * The shared conformance suite against {@link JettyServer}, at the root and under a mount, with the
 * declaration of this module's README. The platform-thread run reports as {@code jetty-core}, the
 * virtual-thread run (JDK 25 execution) as {@code jetty-core (virtual threads)}, which also declares
 * the {@code virtual-threads} capability. No deviation is declared: Jetty core passes every case.
 */
class JettyConformanceTest extends ConformanceSuite {

    /** The declaration: see README.md "Declared capabilities and properties". */
    static Declaration declaration(boolean virtualThreads) {
        Declaration.Builder d = Declaration.builder()
                .expectContinue(Declaration.ExpectContinue.ON_READ)
                .optionsAsterisk(Declaration.OptionsAsterisk.APP)
                .mountPointWithoutSlash(Declaration.MountPointWithoutSlash.APP)
                .capability(Capability.FILE_WRAPPER_ZERO_COPY, Capability.REASON_PHRASE);
        if (virtualThreads) {
            d.capability(Capability.VIRTUAL_THREADS);
        }
        return d.build();
    }

    @Override
    protected ServerUnderTest server() {
        String name = TestSupport.VIRTUAL ? "jetty-core (virtual threads)" : "jetty-core";
        return ServerUnderTest.of(name, declaration(TestSupport.VIRTUAL), (app, mount) -> {
            TestSupport.Log log = new TestSupport.Log();
            JettyServer s = TestSupport.server(app).mount(mount).errors(log.writer).start();
            return ServerUnderTest.Running.of(s.uri(), s::close).withLog(log::text);
        });
    }

}

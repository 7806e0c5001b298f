package dev.jgi.undertow;

import dev.jgi.Application;
import dev.jgi.conformance.Capability;
import dev.jgi.conformance.Declaration;
import dev.jgi.conformance.ServerUnderTest;
import dev.jgi.gateway.Threads;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * {@link UndertowServer} as a server under test for the conformance suite, with the declaration of
 * README.md: capabilities {@code reason-phrase}, {@code file-wrapper-zero-copy} and (when the JVM has
 * them and they are asked for) {@code virtual-threads}; {@code expect-continue=on-read},
 * {@code options-asterisk=app}, {@code mount-point-without-slash=app}, and one early reject:
 * {@code absolute-form-host-mismatch}. Undertow 2.4 answers 400 itself when an absolute-form
 * target's authority differs from Host ({@code HostHeaderHandler}, installed unconditionally by
 * {@code HttpReadListener}, with no option to turn it off), before any handler runs. No deviation
 * is declared.
 */
final class UndertowServerUnderTest implements ServerUnderTest {

    private final boolean virtualThreads;

    /**
     * @param virtualThreads run requests on virtual threads (declared only when the JVM has them)
     */
    UndertowServerUnderTest(boolean virtualThreads) {
        this.virtualThreads = virtualThreads && Threads.virtualThreadsAvailable();
    }

    @Override
    public String name() {
        return virtualThreads ? "undertow (virtual threads)" : "undertow";
    }

    @Override
    public Declaration declaration() {
        Declaration.Builder b = Declaration.builder()
                .capability(Capability.REASON_PHRASE, Capability.FILE_WRAPPER_ZERO_COPY)
                .expectContinue(Declaration.ExpectContinue.ON_READ)
                .optionsAsterisk(Declaration.OptionsAsterisk.APP)
                .mountPointWithoutSlash(Declaration.MountPointWithoutSlash.APP)
                .rejectsBeforeApp(Declaration.EarlyReject.ABSOLUTE_FORM_HOST_MISMATCH);
        if (virtualThreads) {
            b.capability(Capability.VIRTUAL_THREADS);
        }
        return b.build();
    }

    /** The server's log ({@code jgi.errors}) is kept in memory for the suite's [server.log] case. */
    @Override
    public Running start(Application app, String mount) throws Exception {
        StringWriter log = new StringWriter();
        PrintWriter errors = new PrintWriter(log, true);
        UndertowServer s = UndertowServer.builder(app).mount(mount).virtualThreads(virtualThreads).errors(errors).start();
        return Running.of(s.uri(), s::close).withLog(() -> {
            synchronized (errors) { // the lock every writer of the PrintWriter holds
                return log.toString();
            }
        });
    }
}

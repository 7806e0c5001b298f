package dev.jgi.conformance;

import dev.jgi.Application;
import dev.jgi.gateway.Threads;
import dev.jgi.server.ReferenceServer;
import dev.jgi.gateway.ErrorStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The reference server ({@link ReferenceServer}, core's server on the JDK {@code HttpServer}) as a
 * server under test. It lives here because core cannot depend on the suite. Its declaration
 * follows the class comment of {@link ReferenceServer}: {@code expect-continue=eager} (the JDK
 * sends 100 before any handler), {@code options-asterisk=server} (the JDK answers 404 itself),
 * {@code mount-point-without-slash=app}, no early rejects; the only capability is
 * {@code virtual-threads}, declared when the running JVM has them (the server then uses them).
 * Its declared deviations ({@link #DEVIATIONS}) are the JDK behaviours no adapter code can repair.
 * It is started with a request-body limit of {@value #BODY_LIMIT} bytes, and declares it
 * ({@code body-limit}), so that the {@code input.limit} cases run.
 */
public final class ReferenceServerUnderTest implements ServerUnderTest {

    /** The name in reports. */
    public static final String NAME = "reference";

    /** The request-body limit the server is started with: 8 MiB, above every body the other cases send (3 MiB at most). */
    public static final long BODY_LIMIT = 8L * 1024 * 1024;

    /**
     * The reference server's declared deviations, case id (or {@code id@mount}) to reason: what the
     * JDK {@code HttpServer} does before or beneath the adapter, which the adapter cannot change
     * without reflection into {@code sun.net.httpserver}. SPEC.md lists the same table.
     */
    public static final Map<String, String> DEVIATIONS = deviations();

    private static Map<String, String> deviations() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("protocol.expect-http10", "the JDK HttpServer sends 100 Continue to every request with Expect: 100-continue,"
                + " HTTP/1.0 ones included, before any handler runs (sun.net.httpserver.ServerImpl checks no version)");
        m.put("path.raw-space", "the JDK HttpServer splits the request line at its first two spaces: \"GET /a b HTTP/1.1\" has"
                + " the target /a, getProtocol() is the text after the last space, and the rest is only in the JDK's private"
                + " request line, so the request is indistinguishable from \"GET /a HTTP/1.1\"");
        m.put("request.absolute-form-empty-path@/", "the JDK HttpServer looks contexts up by the target's path, which is empty"
                + " for http://host?q, and a context path must start with /, so it answers 404 \"No context found\" before any"
                + " handler");
        return Collections.unmodifiableMap(m);
    }

    private final boolean virtualThreads;
    private final PrintWriter errors;

    /** Uses virtual threads when the JVM has them; logs to the {@code dev.jgi} logger. */
    public ReferenceServerUnderTest() {
        this(Threads.virtualThreadsAvailable());
    }

    /**
     * @param virtualThreads whether to run requests on virtual threads (ignored, and not declared,
     *     when the JVM has none)
     */
    public ReferenceServerUnderTest(boolean virtualThreads) {
        this(virtualThreads, null);
    }

    /**
     * @param virtualThreads whether to run requests on virtual threads (ignored, and not declared,
     *     when the JVM has none)
     * @param errors the server log (and every request's jgi.errors), or {@code null} for the
     *     {@code dev.jgi} logger
     */
    public ReferenceServerUnderTest(boolean virtualThreads, PrintWriter errors) {
        this.virtualThreads = virtualThreads && Threads.virtualThreadsAvailable();
        this.errors = errors;
    }

    /**
     * @param virtualThreads whether the server runs on virtual threads
     * @return the reference server's declaration
     */
    public static Declaration declaration(boolean virtualThreads) {
        Declaration.Builder b = Declaration.builder()
                .expectContinue(Declaration.ExpectContinue.EAGER)
                .optionsAsterisk(Declaration.OptionsAsterisk.SERVER)
                .mountPointWithoutSlash(Declaration.MountPointWithoutSlash.APP)
                .bodyLimit(BODY_LIMIT);
        if (virtualThreads) {
            b.capability(Capability.VIRTUAL_THREADS);
        }
        DEVIATIONS.forEach((key, reason) -> {
            int at = key.indexOf('@');
            if (at < 0) {
                b.deviation(key, reason);
            } else {
                b.deviation(key.substring(0, at), key.substring(at + 1), reason);
            }
        });
        return b.build();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Declaration declaration() {
        return declaration(virtualThreads);
    }

    @Override
    public Running start(Application app, String mount) throws Exception {
        LogBuffer log = new LogBuffer(errors != null ? errors : ErrorStream.toDefaultLogger());
        ReferenceServer s = builder(app, "127.0.0.1", 0, mount, virtualThreads).errors(new PrintWriter(log, true)).start();
        return Running.of(s.uri(), s::close).withLog(log::text);
    }

    /**
     * Keeps the most recent log text (what the server writes on jgi.errors) for {@link Running#log()},
     * and passes everything on to the real log.
     */
    private static final class LogBuffer extends Writer {
        private static final int MAX = 1 << 20;
        private final StringBuilder text = new StringBuilder();
        private final PrintWriter next;

        LogBuffer(PrintWriter next) {
            this.next = next;
        }

        @Override
        public void write(char[] cbuf, int off, int len) {
            synchronized (text) {
                text.append(cbuf, off, len);
                if (text.length() > MAX) {
                    text.delete(0, text.length() - MAX / 2);
                }
            }
            next.write(cbuf, off, len);
        }

        @Override
        public void flush() {
            next.flush();
        }

        @Override
        public void close() {
            next.flush(); // the server owns the real log; closing this only flushes
        }

        String text() {
            synchronized (text) {
                return text.toString();
            }
        }
    }

    /**
     * Starts the reference server hosting an application.
     *
     * @param app the application
     * @param host the address to bind
     * @param port the port, 0 for any
     * @param mount the mount prefix
     * @param virtualThreads whether to use virtual threads
     * @return the running server
     * @throws java.io.IOException if it cannot bind
     */
    static ReferenceServer start(Application app, String host, int port, String mount, boolean virtualThreads) throws java.io.IOException {
        return builder(app, host, port, mount, virtualThreads).start();
    }

    private static ReferenceServer.Builder builder(Application app, String host, int port, String mount, boolean virtualThreads) {
        // 16 threads: the pacing cases hold one request open while others run beside it
        return ReferenceServer.builder(app).host(host).port(port).mount(mount).virtualThreads(virtualThreads).threads(16)
                .bodyLimit(BODY_LIMIT);
    }
}

package dev.jgi.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.Header;
import dev.jgi.conformance.http.HttpConnection;
import dev.jgi.conformance.http.Response;
import dev.jgi.gateway.Threads;
import dev.jgi.validate.Validator;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the adapter tests share: the thread mode of this run, a log capture, clients. */
final class TestSupport {

    /**
     * Whether this run uses virtual threads: the second surefire execution (on JDK 25) sets
     * {@code jgi.test.virtual=true}; the default execution runs on platform threads.
     */
    static final boolean VIRTUAL = Boolean.getBoolean("jgi.test.virtual");

    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30)).build();

    private TestSupport() {
    }

    /** A builder for this run's thread mode; fails loudly if virtual threads were asked for but are missing. */
    static JettyServer.Builder server(Application app) {
        if (VIRTUAL && !Threads.virtualThreadsAvailable()) {
            throw new AssertionError("jgi.test.virtual=true but this JVM (" + Runtime.version() + ") has no virtual threads");
        }
        return JettyServer.builder(app).virtualThreads(VIRTUAL);
    }

    /** The read timeout of raw connections: generous, for liveness only, never for speed. */
    static final int TIMEOUT_MS = 30_000;

    /** A raw HTTP/1.x connection to a test server, for wire-level checks: what exactly the server sent. */
    static HttpConnection connect(int port) throws IOException {
        return connect(port, TIMEOUT_MS);
    }

    static HttpConnection connect(int port, int timeoutMillis) throws IOException {
        return HttpConnection.open("127.0.0.1", port, "127.0.0.1:" + port, "jetty test", null, timeoutMillis);
    }

    /**
     * Sends {@code request} (CRLFs included) on a new connection, reads its response, then reads on
     * until the server closes the connection, which must bring nothing more: no body bytes after a
     * HEAD, 204 or 304 response, and nothing after a complete one.
     */
    static Response exchange(int port, String request) throws IOException {
        try (HttpConnection c = connect(port)) {
            Response r = c.sendRaw(request).readResponse(request.substring(0, request.indexOf(' ')));
            String rest = new String(c.readToClose(), StandardCharsets.ISO_8859_1);
            assertEquals("", rest, () -> "bytes after the response " + r);
            return r;
        }
    }

    static HttpResponse<String> get(URI uri) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * An application that answers with its environ's string values as "key=value" lines, inside the
     * Validator, so every environ it sees is also checked against SPEC.md's environ rules.
     */
    static final Application ENVIRON_DUMP = Validator.wrap((environ, start) -> {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> e : new TreeMap<>(environ).entrySet()) {
            sb.append(e.getKey()).append('=').append(describe(e.getValue())).append('\n');
        }
        // the body as the application reads it (the Validator wraps the stream, so its class says nothing)
        byte[] body = ((java.io.InputStream) environ.get("jgi.input")).readAllBytes();
        sb.append("<input>=").append(new String(body, java.nio.charset.StandardCharsets.ISO_8859_1)).append('\n');
        start.start("200 OK", List.of(Header.of("Content-Type", "text/plain; charset=utf-8")));
        return Body.ofUtf8(sb.toString());
    });

    private static String describe(Object v) {
        if (v instanceof String || v instanceof Boolean) {
            return v.toString();
        }
        if (v instanceof PrintWriter) {
            return "PrintWriter";
        }
        if (v instanceof java.io.InputStream) {
            return "InputStream";
        }
        if (v instanceof dev.jgi.FileWrapper) {
            return "FileWrapper";
        }
        return v.getClass().getName();
    }

    /** Parses {@link #ENVIRON_DUMP} output. */
    static Map<String, String> parseDump(String text) {
        Map<String, String> m = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (!line.isEmpty()) {
                int eq = line.indexOf('=');
                m.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return m;
    }

    /** A jgi.errors stream that keeps what was logged, for assertions. */
    static final class Log extends java.io.Writer {
        private final StringBuilder text = new StringBuilder();
        final PrintWriter writer = new PrintWriter(this, true);

        @Override
        public synchronized void write(char[] cbuf, int off, int len) {
            text.append(cbuf, off, len);
            notifyAll();
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        synchronized String text() {
            return text.toString();
        }

        /** Waits (a liveness bound, not a speed check) until the log contains {@code s}. */
        synchronized boolean awaitContains(String s) throws InterruptedException {
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (text.indexOf(s) < 0) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }
}

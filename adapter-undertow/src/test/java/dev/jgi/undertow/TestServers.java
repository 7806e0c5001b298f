package dev.jgi.undertow;

import dev.jgi.Application;
import dev.jgi.conformance.http.HttpConnection;
import dev.jgi.gateway.Threads;
import dev.jgi.validate.Validator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Assumptions;

/**
 * How the tests start servers. The build runs every test class twice: once on platform threads, and
 * once (surefire execution "virtual-threads", property {@code jgi.test.threads=virtual}) on virtual
 * threads under JDK 25; there, a JVM without virtual threads skips the tests with the reason.
 */
final class TestServers {

    private TestServers() {
    }

    /** @return whether this test run uses virtual threads */
    static boolean virtual() {
        boolean wanted = "virtual".equals(System.getProperty("jgi.test.threads"));
        if (wanted) {
            Assumptions.assumeTrue(Threads.virtualThreadsAvailable(),
                    "virtual-thread run skipped: this JVM (" + System.getProperty("java.version")
                            + ") has no virtual threads; they need Java 21+ (the build uses /usr/lib/jvm/temurin-25-jdk-amd64 when present)");
        }
        return wanted;
    }

    /** A server for {@code app} run inside the Validator, which checks the environ and the server's use of the body. */
    static UndertowServer.Builder builder(Application app) {
        return UndertowServer.builder(Validator.wrap(app)).virtualThreads(virtual());
    }

    /** A server for an application that breaks rules on purpose, without the Validator. */
    static UndertowServer.Builder unchecked(Application app) {
        return UndertowServer.builder(app).virtualThreads(virtual());
    }

    static UndertowServer start(Application app) throws IOException {
        return builder(app).start();
    }

    /** The read timeout of {@link #connect}: a liveness bound, never a speed check. */
    static final int TIMEOUT_MILLIS = 20_000;

    /**
     * A raw HTTP/1.1 connection to a test server on the loopback interface, for what java.net.http
     * cannot send or does not show. Requests written by hand name their own Host.
     */
    static HttpConnection connect(int port) throws IOException {
        return HttpConnection.open("127.0.0.1", port, "127.0.0.1:" + port, "undertow test", null, TIMEOUT_MILLIS);
    }

    /** A jgi.errors writer that keeps what was logged, for assertions. */
    static final class Log {
        final StringWriter text = new StringWriter();
        final PrintWriter writer = new PrintWriter(text, true);

        synchronized String text() {
            return text.toString();
        }
    }
}

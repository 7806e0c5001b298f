package dev.jgi.server;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.FileWrapper;
import dev.jgi.Header;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts reference servers for a test and stops them after it, with a captured {@code jgi.errors}
 * log. Register with {@code @RegisterExtension}.
 */
final class ServerFixture implements AfterEachCallback {

    private final List<ReferenceServer> servers = new ArrayList<>();
    private StringWriter logText = new StringWriter();
    private PrintWriter log = new PrintWriter(logText, true);

    /** Starts {@code app} at the root on a free loopback port. */
    ReferenceServer start(Application app) throws Exception {
        return start(app, b -> { });
    }

    /** Starts {@code app} with extra builder settings. */
    ReferenceServer start(Application app, Consumer<ReferenceServer.Builder> config) throws Exception {
        ReferenceServer.Builder b = ReferenceServer.builder(app).errors(log);
        config.accept(b);
        ReferenceServer s = b.start();
        synchronized (servers) {
            servers.add(s);
        }
        return s;
    }

    /** Everything written to jgi.errors so far. */
    String log() {
        synchronized (logText.getBuffer()) {
            return logText.toString();
        }
    }

    /**
     * Waits until {@code jgi.errors} contains {@code text}, for records the gateway writes after the
     * application has returned or thrown; returns the log. A liveness poll, not a timing check.
     */
    String awaitLog(String text) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(RawHttp.TIMEOUT_MILLIS);
        while (!log().contains(text) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return log();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<ReferenceServer> copy;
        synchronized (servers) {
            copy = new ArrayList<>(servers);
            servers.clear();
        }
        for (ReferenceServer s : copy) {
            s.stop(Duration.ofSeconds(2));
        }
        logText = new StringWriter();
        log = new PrintWriter(logText, true);
    }

    /**
     * An application that answers with its environ as text, one {@code key=value} line per key
     * (sorted); values that are not strings are shown as {@code #Type} or their Boolean value.
     */
    static final Application DUMP = (environ, start) -> {
        StringBuilder sb = new StringBuilder();
        sb.append("environ.class=").append(environ.getClass().getName()).append('\n');
        for (Map.Entry<String, Object> e : new TreeMap<>(environ).entrySet()) {
            Object v = e.getValue();
            String shown;
            if (v instanceof String || v instanceof Boolean) {
                shown = v.toString();
            } else if (v instanceof InputStream) {
                shown = "#InputStream";
            } else if (v instanceof PrintWriter) {
                shown = "#PrintWriter";
            } else if (v instanceof FileWrapper) {
                shown = "#FileWrapper";
            } else {
                shown = "#" + (v == null ? "null" : v.getClass().getName());
            }
            sb.append(e.getKey()).append('=').append(shown).append('\n');
        }
        start.start("200 OK", List.of(Header.of("Content-Type", "text/plain; charset=utf-8")));
        return Body.ofUtf8(sb.toString());
    };

    /** Parses the output of {@link #DUMP}. */
    static Map<String, String> parseDump(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            m.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return m;
    }
}

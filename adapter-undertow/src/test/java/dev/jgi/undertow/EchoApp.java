package dev.jgi.undertow;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.Header;
import dev.jgi.gateway.Threads;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** An application that answers with its environ, one {@code key=value} line per entry. */
final class EchoApp {

    private EchoApp() {
    }

    static final Application APP = (environ, start) -> {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> e : new TreeMap<>(environ).entrySet()) {
            Object v = e.getValue();
            String text = v instanceof String || v instanceof Boolean ? v.toString() : "<" + typeName(v) + ">";
            sb.append(e.getKey()).append('=').append(text).append('\n');
        }
        sb.append("thread.virtual=").append(Threads.isVirtual(Thread.currentThread())).append('\n');
        sb.append("environ.class=").append(environ.getClass().getName()).append('\n');
        start.start("200 OK", List.of(Header.of("Content-Type", "text/plain; charset=utf-8")));
        return Body.of(sb.toString().getBytes(StandardCharsets.UTF_8));
    };

    private static String typeName(Object v) {
        if (v instanceof java.io.InputStream) {
            return "InputStream";
        }
        if (v instanceof java.io.PrintWriter) {
            return "PrintWriter";
        }
        if (v instanceof dev.jgi.FileWrapper) {
            return "FileWrapper";
        }
        return v == null ? "null" : v.getClass().getName();
    }

    static Map<String, String> parse(String text) {
        Map<String, String> m = new HashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return m;
    }
}

package dev.jgi.samples;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.Header;
import dev.jgi.StartResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Answers with every String-valued environ entry as a JSON object, keys sorted: a quick way to see
 * exactly what a server hands an application (try it with odd paths, repeated headers, a prefix).
 * Values that are not Strings (the input stream, the error stream, the flags) are left out.
 */
public final class EnvironDumpApp implements Application {

    private static final List<Header> HEADERS = List.of(
            Header.of("Content-Type", "application/json; charset=utf-8"),
            Header.of("Cache-Control", "no-store"));

    @Override
    public Body call(Map<String, Object> environ, StartResponse startResponse) {
        Map<String, String> strings = new TreeMap<>();
        for (Map.Entry<String, Object> e : environ.entrySet()) {
            if (e.getValue() instanceof String) {
                strings.put(e.getKey(), (String) e.getValue());
            }
        }
        startResponse.start("200 OK", HEADERS);
        return Body.of(toJson(strings).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Formats a flat map of strings as a JSON object, one entry per line.
     *
     * @param map the entries
     * @return the JSON text, ending with a newline
     */
    static String toJson(Map<String, String> map) {
        StringBuilder sb = new StringBuilder("{");
        String sep = "\n  ";
        for (Map.Entry<String, String> e : map.entrySet()) {
            sb.append(sep);
            quote(sb, e.getKey());
            sb.append(": ");
            quote(sb, e.getValue());
            sep = ",\n  ";
        }
        return sb.append(map.isEmpty() ? "}\n" : "\n}\n").toString();
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }
}

package dev.jgi.util;

import java.nio.ByteBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses a QUERY_STRING (or an {@code application/x-www-form-urlencoded} body) the way the WHATWG
 * URL standard and Python's {@code urllib.parse.parse_qs(keep_blank_values=True)} do: pairs
 * separated by {@code &}, {@code +} meaning a space, {@code %XX} escapes decoded as UTF-8.
 *
 * <p>Parsing never fails: a {@code %} not followed by two hex digits stays as it is, and bytes
 * that are not valid UTF-8 become U+FFFD, so hostile input cannot make an application throw.
 */
public final class QueryString {

    private QueryString() {
    }

    /**
     * Parses a query string.
     *
     * <ul>
     *   <li>{@code "a=1&b=2&a=3"} gives {@code {a=[1, 3], b=[2]}}, keys in order of first appearance,
     *       values in order;</li>
     *   <li>empty pairs ({@code "a=1&&b=2"}, a trailing {@code &}) are skipped;</li>
     *   <li>a key without {@code =} has the value {@code ""}; only the first {@code =} splits, so
     *       {@code "k=a=b"} gives {@code k=[a=b]}.</li>
     * </ul>
     *
     * @param query the raw query without {@code ?}, for example QUERY_STRING; {@code null} is empty
     * @return a new, mutable map from decoded keys to their decoded values
     */
    public static Map<String, List<String>> parse(String query) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return out;
        }
        int n = query.length();
        int start = 0;
        while (start <= n) {
            int end = query.indexOf('&', start);
            if (end < 0) {
                end = n;
            }
            if (end > start) {
                int eq = query.indexOf('=', start);
                String key;
                String value;
                if (eq < 0 || eq >= end) {
                    key = decode(query, start, end);
                    value = "";
                } else {
                    key = decode(query, start, eq);
                    value = decode(query, eq + 1, end);
                }
                out.computeIfAbsent(key, k -> new ArrayList<>(1)).add(value);
            }
            start = end + 1;
        }
        return out;
    }

    /**
     * Returns the first value of a parameter.
     *
     * @param params a map from {@link #parse}
     * @param name the decoded parameter name
     * @return the first value, or {@code null} if the parameter is absent
     */
    public static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /**
     * Decodes one form-urlencoded component: {@code +} to space, {@code %XX} to a byte, the bytes
     * as UTF-8 with malformed sequences replaced by U+FFFD.
     *
     * @param s the text
     * @param from the first index
     * @param to the index after the last
     * @return the decoded component
     */
    static String decode(String s, int from, int to) {
        boolean plain = true;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '%' || c == '+') {
                plain = false;
                break;
            }
        }
        if (plain) {
            return s.substring(from, to);
        }
        // a char can need up to 3 UTF-8 bytes; an escape is 3 chars for 1 byte
        ByteBuffer bytes = ByteBuffer.allocate((to - from) * 3);
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '+') {
                bytes.put((byte) ' ');
            } else if (c == '%' && i + 2 < to && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                bytes.put((byte) ((hex(s.charAt(i + 1)) << 4) | hex(s.charAt(i + 2))));
                i += 2;
            } else if (c < 0x80) {
                bytes.put((byte) c);
            } else {
                // raw non-ASCII text in a query: keep it as the text it is
                int cp = Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))
                        ? Character.toCodePoint(c, s.charAt(++i)) : c;
                bytes.put(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
            }
        }
        bytes.flip();
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try {
            return dec.decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("a replacing decoder cannot fail", e);
        }
    }

    private static int hex(char c) {
        return c < 128 ? Character.digit(c, 16) : -1;
    }
}

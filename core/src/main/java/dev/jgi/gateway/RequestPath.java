package dev.jgi.gateway;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The one path policy of SPEC.md ("Paths"), shared by every server: it turns a raw request path
 * into the decoded, canonical path from which SCRIPT_NAME and PATH_INFO are cut, so that no
 * application inherits one server's decoding defaults.
 *
 * <p>In order, per segment of the raw path:
 * <ol>
 *   <li>raw characters must be RFC 3986 path characters ({@code pchar} or {@code /}), otherwise 400;</li>
 *   <li>path parameters ({@code ;} to the end of the segment) are removed; a {@code .} or
 *       {@code ..} segment that carried parameters is rejected (400);</li>
 *   <li>{@code %XX} escapes are decoded as UTF-8; a malformed escape, invalid UTF-8, {@code %2F}
 *       (an encoded slash), an encoded control character ({@code %00}-{@code %1F}, {@code %7F}), or a segment that decodes to {@code .} or {@code ..}
 *       while containing an escape is rejected (400); {@code %25} decodes to {@code %}, once;</li>
 *   <li>dot-segments are removed as in RFC 3986 section 5.2.4; a {@code ..} that would climb above
 *       the root is rejected (400);</li>
 *   <li>empty segments ({@code //}) are kept.</li>
 * </ol>
 */
public final class RequestPath {

    private static final boolean[] PCHAR = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            PCHAR[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            PCHAR[c] = true;
            PCHAR[c - 'a' + 'A'] = true;
        }
        // unreserved, sub-delims, ':' and '@', plus '%' (checked separately) and '/'
        for (char c : "-._~!$&'()*+,;=:@%/".toCharArray()) {
            PCHAR[c] = true;
        }
    }

    private RequestPath() {
    }

    /**
     * Decodes a raw origin-form path (no query) into its canonical decoded form.
     *
     * @param rawPath the path as received, starting with {@code /}
     * @return the decoded path, starting with {@code /}
     * @throws RequestRejectedException with status 400 if SPEC.md does not allow the path
     */
    public static String decode(String rawPath) throws RequestRejectedException {
        if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            throw bad("request path must start with '/'");
        }
        boolean plain = true;
        int n = rawPath.length();
        for (int i = 0; i < n; i++) {
            char c = rawPath.charAt(i);
            if (c >= 128 || !PCHAR[c]) {
                throw bad("character 0x" + Integer.toHexString(c) + " is not allowed unencoded in a path");
            }
            if (c == '%' || c == ';' || (c == '.' && rawPath.charAt(i - 1) == '/' && isDotSegment(rawPath, i))) {
                plain = false;
            }
        }
        if (plain) {
            return rawPath; // the common case: nothing to decode or resolve
        }
        return decodeSlow(rawPath);
    }

    /** Whether the segment starting at {@code i} is "." or "..". */
    private static boolean isDotSegment(String s, int i) {
        int end = s.indexOf('/', i);
        if (end < 0) {
            end = s.length();
        }
        int len = end - i;
        return len == 1 || (len == 2 && s.charAt(i + 1) == '.');
    }

    private static String decodeSlow(String rawPath) throws RequestRejectedException {
        List<String> out = new ArrayList<>();
        int n = rawPath.length();
        int start = 1;
        boolean trailingSlash = false;
        while (true) {
            int end = rawPath.indexOf('/', start);
            boolean last = end < 0;
            if (last) {
                end = n;
            }
            String seg = rawPath.substring(start, end);
            boolean hadParams = false;
            int semi = seg.indexOf(';');
            if (semi >= 0) {
                seg = seg.substring(0, semi);
                hadParams = true;
            }
            if (seg.equals(".") || seg.equals("..")) {
                if (hadParams) {
                    throw bad("a dot-segment must not carry path parameters");
                }
                if (seg.equals("..")) {
                    if (out.isEmpty()) {
                        throw bad("'..' climbs above the root");
                    }
                    out.remove(out.size() - 1);
                }
                trailingSlash = true; // "/a/." and "/a/.." end with a slash (RFC 3986 5.2.4)
            } else {
                String decoded = seg.indexOf('%') >= 0 ? decodeSegment(seg) : seg;
                out.add(decoded);
                trailingSlash = false;
            }
            if (last) {
                break;
            }
            start = end + 1;
            if (start == n) {
                trailingSlash = true;
                break;
            }
        }
        StringBuilder sb = new StringBuilder(rawPath.length());
        for (String s : out) {
            sb.append('/').append(s);
        }
        if (trailingSlash || sb.length() == 0) {
            sb.append('/');
        }
        return sb.toString();
    }

    private static String decodeSegment(String seg) throws RequestRejectedException {
        ByteBuffer bytes = ByteBuffer.allocate(seg.length());
        for (int i = 0; i < seg.length(); i++) {
            char c = seg.charAt(i);
            if (c == '%') {
                if (i + 2 >= seg.length()) {
                    throw bad("truncated percent-escape");
                }
                int hi = Character.digit(seg.charAt(i + 1), 16);
                int lo = Character.digit(seg.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw bad("malformed percent-escape \"" + seg.substring(i, i + 3) + "\"");
                }
                int b = (hi << 4) | lo;
                if (b == '/') {
                    throw bad("an encoded slash (%2F) is ambiguous in a path");
                }
                if (b < 0x20 || b == 0x7f) {
                    // NUL truncates names in native calls; CR/LF and the rest would reach logs and headers
                    throw bad("an encoded control character (%" + seg.substring(i + 1, i + 3) + ") is not allowed in a path");
                }
                bytes.put((byte) b);
                i += 2;
            } else {
                bytes.put((byte) c);
            }
        }
        bytes.flip();
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        String s;
        try {
            CharBuffer cb = dec.decode(bytes);
            s = cb.toString();
        } catch (CharacterCodingException e) {
            throw bad("percent-escapes do not form valid UTF-8");
        }
        if (s.equals(".") || s.equals("..")) {
            throw bad("an encoded dot-segment is ambiguous in a path");
        }
        return s;
    }

    /**
     * Cuts PATH_INFO from a decoded path under a mount point.
     *
     * @param decodedPath a path from {@link #decode}
     * @param scriptName the decoded mount prefix, {@code ""} or starting with {@code /} and not
     *     ending with one
     * @return PATH_INFO ({@code ""} when the path is the mount point itself), or {@code null} if the
     *     path is not under the mount point
     */
    public static String pathInfo(String decodedPath, String scriptName) {
        if (scriptName.isEmpty()) {
            return decodedPath;
        }
        if (!decodedPath.startsWith(scriptName)) {
            return null;
        }
        if (decodedPath.length() == scriptName.length()) {
            return "";
        }
        return decodedPath.charAt(scriptName.length()) == '/' ? decodedPath.substring(scriptName.length()) : null;
    }

    /**
     * Normalises a configured mount prefix: {@code null}, {@code ""} and {@code "/"} become
     * {@code ""}; otherwise a leading slash is required and a trailing one removed.
     *
     * @param prefix the prefix as configured (decoded)
     * @return the SCRIPT_NAME to use
     * @throws IllegalArgumentException if the prefix does not start with {@code /}
     */
    public static String normalizeMount(String prefix) {
        if (prefix == null || prefix.isEmpty() || prefix.equals("/")) {
            return "";
        }
        if (prefix.charAt(0) != '/') {
            throw new IllegalArgumentException("mount prefix must start with '/': " + prefix);
        }
        return prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }

    private static RequestRejectedException bad(String message) {
        return new RequestRejectedException(400, message);
    }
}

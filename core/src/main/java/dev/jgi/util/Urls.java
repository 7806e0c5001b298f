package dev.jgi.util;

import dev.jgi.Environ;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Reconstructs the URL a request was made to, as PEP 3333 "URL Reconstruction" describes
 * (CPython's {@code wsgiref.util.request_uri} and {@code application_uri}): scheme, then
 * {@code HTTP_HOST}, or SERVER_NAME with SERVER_PORT unless it is the scheme's default, then
 * SCRIPT_NAME and PATH_INFO percent-encoded again, then the raw query.
 *
 * <p>SCRIPT_NAME and PATH_INFO hold decoded text, so they are re-encoded as UTF-8, keeping only
 * the characters RFC 3986 allows unencoded in a path segment and {@code /}. {@code ;} is encoded
 * too: JGI's path policy strips {@code ;params}, so only {@code %3B} brings a literal semicolon
 * back. The result therefore decodes to the same SCRIPT_NAME and PATH_INFO on any JGI server.
 */
public final class Urls {

    private static final boolean[] SAFE = new boolean[128];
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    static {
        for (char c = '0'; c <= '9'; c++) {
            SAFE[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            SAFE[c] = true;
            SAFE[c - 'a' + 'A'] = true;
        }
        // RFC 3986 pchar without ';' (see the class comment), plus '/'
        for (char c : "-._~!$&'()*+,=:@/".toCharArray()) {
            SAFE[c] = true;
        }
    }

    private Urls() {
    }

    /**
     * Returns the application's base URL: scheme, authority and the encoded SCRIPT_NAME, which is
     * {@code "/"} for an application mounted at the root.
     *
     * @param environ a JGI environ
     * @return for example {@code "https://example.com/api"} or {@code "http://localhost:8080/"}
     */
    public static String applicationUri(Map<String, Object> environ) {
        StringBuilder url = new StringBuilder(64);
        appendOrigin(url, environ);
        String script = string(environ, Environ.SCRIPT_NAME);
        appendPath(url, script.isEmpty() ? "/" : script);
        return url.toString();
    }

    /**
     * Returns the full URL of the request: {@link #applicationUri} followed by the encoded
     * PATH_INFO and, if asked and non-empty, {@code ?} and QUERY_STRING as received.
     *
     * @param environ a JGI environ
     * @param includeQuery whether to append the query
     * @return for example {@code "http://example.com/api/items/caf%C3%A9?x=1"}
     */
    public static String requestUri(Map<String, Object> environ, boolean includeQuery) {
        StringBuilder url = new StringBuilder(96);
        appendOrigin(url, environ);
        String script = string(environ, Environ.SCRIPT_NAME);
        String path = string(environ, Environ.PATH_INFO);
        if (script.isEmpty() && path.isEmpty()) {
            url.append('/'); // a URL with an authority needs a path of at least "/"
        } else {
            appendPath(url, script);
            appendPath(url, path);
        }
        String query = string(environ, Environ.QUERY_STRING);
        if (includeQuery && !query.isEmpty()) {
            url.append('?').append(query);
        }
        return url.toString();
    }

    /**
     * Percent-encodes a decoded path for use in a URL: UTF-8, every byte that is not an RFC 3986
     * path character (or is {@code ;} or {@code %}) becomes {@code %XX} with upper-case hex.
     *
     * @param decodedPath a decoded path such as PATH_INFO
     * @return the encoded path
     */
    public static String encodePath(String decodedPath) {
        StringBuilder sb = new StringBuilder(decodedPath.length() + 16);
        appendPath(sb, decodedPath);
        return sb.toString();
    }

    private static void appendOrigin(StringBuilder url, Map<String, Object> environ) {
        String scheme = string(environ, Environ.JGI_URL_SCHEME);
        if (scheme.isEmpty()) {
            scheme = "http";
        }
        url.append(scheme).append("://");
        String host = string(environ, "HTTP_HOST");
        if (!host.isEmpty()) {
            url.append(host);
            return;
        }
        url.append(string(environ, Environ.SERVER_NAME));
        String port = string(environ, Environ.SERVER_PORT);
        String defaultPort = scheme.equals("https") ? "443" : "80";
        if (!port.isEmpty() && !port.equals(defaultPort)) {
            url.append(':').append(port);
        }
    }

    private static void appendPath(StringBuilder sb, String decoded) {
        int n = decoded.length();
        int i = 0;
        while (i < n && isSafe(decoded.charAt(i))) {
            i++;
        }
        if (i == n) {
            sb.append(decoded); // the common case: nothing to encode
            return;
        }
        sb.append(decoded, 0, i);
        for (byte b : decoded.substring(i).getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 128 && SAFE[c]) {
                sb.append((char) c);
            } else {
                sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
    }

    private static boolean isSafe(char c) {
        return c < 128 && SAFE[c];
    }

    private static String string(Map<String, Object> environ, String key) {
        Object v = environ.get(key);
        return v == null ? "" : v.toString();
    }
}

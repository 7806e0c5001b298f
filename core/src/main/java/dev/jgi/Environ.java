package dev.jgi;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The environ keys of SPEC.md, and a typed, read-only view over one request's environ map.
 *
 * <p>The map itself is what applications receive and middleware rewrites; this class only names
 * its keys and reads them with the right types:
 *
 * <pre>{@code
 * Environ env = Environ.of(environ);
 * if (env.method().equals("POST")) { byte[] form = env.input().readAllBytes(); ... }
 * }</pre>
 */
public final class Environ {

    /** The request method, verbatim: {@code "GET"}, {@code "PROPFIND"}. Always present. */
    public static final String REQUEST_METHOD = "REQUEST_METHOD";
    /** The decoded mount prefix: {@code ""} at the root, else starts with {@code /}, never ends with one. */
    public static final String SCRIPT_NAME = "SCRIPT_NAME";
    /** The decoded, canonical path below SCRIPT_NAME: {@code ""} or starting with {@code /}. Never {@code null}. */
    public static final String PATH_INFO = "PATH_INFO";
    /** The raw query, without {@code ?}; {@code ""} when there is none. Always present. */
    public static final String QUERY_STRING = "QUERY_STRING";
    /** The request Content-Type; absent when the request has none. */
    public static final String CONTENT_TYPE = "CONTENT_TYPE";
    /** The request Content-Length as decimal digits; absent when the request has none (for example chunked). */
    public static final String CONTENT_LENGTH = "CONTENT_LENGTH";
    /** The host the request was addressed to, from the target's authority, Host, or the local address. */
    public static final String SERVER_NAME = "SERVER_NAME";
    /** The port the request was addressed to, as decimal digits. */
    public static final String SERVER_PORT = "SERVER_PORT";
    /** The protocol: {@code "HTTP/1.0"}, {@code "HTTP/1.1"} or {@code "HTTP/2.0"}. */
    public static final String SERVER_PROTOCOL = "SERVER_PROTOCOL";
    /** The client's IP address as a literal (IPv6 without brackets). */
    public static final String REMOTE_ADDR = "REMOTE_ADDR";
    /** The client's port, as decimal digits. */
    public static final String REMOTE_PORT = "REMOTE_PORT";
    /** The raw request target in origin form: raw path, then {@code ?} and the raw query if non-empty; {@code "*"} for {@code OPTIONS *}. */
    public static final String REQUEST_URI = "REQUEST_URI";
    /** The server's name and version; optional, server-specific. */
    public static final String SERVER_SOFTWARE = "SERVER_SOFTWARE";
    /** Prefix of the environ keys that carry request headers. */
    public static final String HTTP_PREFIX = "HTTP_";

    /** The JGI version, the String {@code "1.0"}. */
    public static final String JGI_VERSION = "jgi.version";
    /** {@code "http"} or {@code "https"}, from the connection. */
    public static final String JGI_URL_SCHEME = "jgi.url_scheme";
    /** The request body, an {@link InputStream} that ends at the end of the body. The application must not close it. */
    public static final String JGI_INPUT = "jgi.input";
    /** A {@link PrintWriter} for error output, which goes to the server's log. The application must not close it. */
    public static final String JGI_ERRORS = "jgi.errors";
    /** {@link Boolean}: the application may be called concurrently from several threads. */
    public static final String JGI_MULTITHREAD = "jgi.multithread";
    /** {@link Boolean}: other processes may serve the same application. */
    public static final String JGI_MULTIPROCESS = "jgi.multiprocess";
    /** {@link Boolean}: the server expects to call the application only once in this process. */
    public static final String JGI_RUN_ONCE = "jgi.run_once";
    /** {@link Boolean#TRUE} always: {@code jgi.input} reaches end-of-stream at the end of the body, chunked or not. */
    public static final String JGI_INPUT_TERMINATED = "jgi.input_terminated";
    /** Optional extension: a {@link FileWrapper}. */
    public static final String JGI_FILE_WRAPPER = "jgi.file_wrapper";

    /** The value of {@link #JGI_VERSION} for this specification. */
    public static final String VERSION = "1.0";

    private final Map<String, Object> map;

    private Environ(Map<String, Object> map) {
        this.map = Objects.requireNonNull(map, "environ");
    }

    /**
     * Returns a typed view of {@code environ}; reads go to the map, so later rewrites are seen.
     *
     * @param environ the request's environ
     * @return the view
     */
    public static Environ of(Map<String, Object> environ) {
        return new Environ(environ);
    }

    /**
     * Maps a request header name to its environ key: {@code "X-Forwarded-For"} to
     * {@code "HTTP_X_FORWARDED_FOR"}, with {@code Content-Type} and {@code Content-Length} mapped
     * to {@link #CONTENT_TYPE} and {@link #CONTENT_LENGTH}.
     *
     * @param headerName a header name
     * @return its environ key
     */
    public static String keyFor(String headerName) {
        String upper = headerName.toUpperCase(Locale.ROOT).replace('-', '_');
        if (upper.equals("CONTENT_TYPE") || upper.equals("CONTENT_LENGTH")) {
            return upper;
        }
        return HTTP_PREFIX + upper;
    }

    /** @return the underlying, mutable map */
    public Map<String, Object> map() {
        return map;
    }

    /**
     * Returns a String-valued key, or {@code null} if absent.
     *
     * @param key the environ key
     * @return the value
     * @throws ClassCastException if the value is not a String
     */
    public String get(String key) {
        return (String) map.get(key);
    }

    /**
     * Returns a request header's value as the server joined it, or {@code null}.
     *
     * @param name a header name, any case, for example {@code "Accept"}
     * @return the value
     */
    public String header(String name) {
        return get(keyFor(name));
    }

    /** @return {@link #REQUEST_METHOD} */
    public String method() {
        return get(REQUEST_METHOD);
    }

    /** @return {@link #SCRIPT_NAME}, {@code ""} if absent */
    public String scriptName() {
        String s = get(SCRIPT_NAME);
        return s == null ? "" : s;
    }

    /** @return {@link #PATH_INFO}, {@code ""} if absent */
    public String pathInfo() {
        String s = get(PATH_INFO);
        return s == null ? "" : s;
    }

    /** @return {@link #QUERY_STRING}, {@code ""} if absent */
    public String queryString() {
        String s = get(QUERY_STRING);
        return s == null ? "" : s;
    }

    /** @return {@link #REQUEST_URI} */
    public String requestUri() {
        return get(REQUEST_URI);
    }

    /** @return {@link #CONTENT_TYPE}, or {@code null} */
    public String contentType() {
        return get(CONTENT_TYPE);
    }

    /** @return {@link #CONTENT_LENGTH} as a number, or {@code -1} if absent or empty */
    public long contentLength() {
        String s = get(CONTENT_LENGTH);
        return s == null || s.isEmpty() ? -1 : Long.parseLong(s);
    }

    /** @return {@link #SERVER_NAME} */
    public String serverName() {
        return get(SERVER_NAME);
    }

    /** @return {@link #SERVER_PORT} as a number */
    public int serverPort() {
        return Integer.parseInt(get(SERVER_PORT));
    }

    /** @return {@link #SERVER_PROTOCOL} */
    public String protocol() {
        return get(SERVER_PROTOCOL);
    }

    /** @return {@link #REMOTE_ADDR} */
    public String remoteAddr() {
        return get(REMOTE_ADDR);
    }

    /** @return {@link #JGI_URL_SCHEME} */
    public String urlScheme() {
        return (String) map.get(JGI_URL_SCHEME);
    }

    /** @return {@link #JGI_INPUT} */
    public InputStream input() {
        return (InputStream) map.get(JGI_INPUT);
    }

    /** @return {@link #JGI_ERRORS} */
    public PrintWriter errors() {
        return (PrintWriter) map.get(JGI_ERRORS);
    }

    /** @return {@link #JGI_MULTITHREAD}, {@code false} if absent */
    public boolean multithread() {
        return Boolean.TRUE.equals(map.get(JGI_MULTITHREAD));
    }

    /** @return {@link #JGI_MULTIPROCESS}, {@code false} if absent */
    public boolean multiprocess() {
        return Boolean.TRUE.equals(map.get(JGI_MULTIPROCESS));
    }

    /** @return {@link #JGI_RUN_ONCE}, {@code false} if absent */
    public boolean runOnce() {
        return Boolean.TRUE.equals(map.get(JGI_RUN_ONCE));
    }

    /** @return the {@link #JGI_FILE_WRAPPER} extension, or {@code null} if the server does not offer it */
    public FileWrapper fileWrapper() {
        return (FileWrapper) map.get(JGI_FILE_WRAPPER);
    }
}

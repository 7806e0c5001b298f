package dev.jgi.gateway;

import dev.jgi.Environ;
import dev.jgi.FileWrapper;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.function.Supplier;

/**
 * Builds the environ of one request from what a server knows about it; the request-side
 * translation every adapter shares, so that the same request gives the same environ on every
 * server (SPEC.md "The environ").
 *
 * <p>An adapter feeds it the raw facts, then calls {@link #build()}:
 *
 * <pre>{@code
 * Map<String, Object> environ = new EnvironBuilder(scriptName)
 *     .method(m).path(rawPath, rawQuery).protocol("HTTP/1.1").scheme("http")
 *     .header("Host", "example.com").header(...)
 *     .local(localAddress).remote(remoteAddress)
 *     .input(bodyStream).errors(errors)
 *     .build();
 * }</pre>
 *
 * <p>A builder serves one request and is not thread-safe.
 */
public final class EnvironBuilder {

    private final String scriptName;
    private final HashMap<String, Object> env = new HashMap<>(64);
    private String rawPath;
    private String rawQuery;
    private boolean asterisk;
    private String authority;
    private String localHost;
    private int localPort = -1;
    private String scheme = "http";
    private long bodyLimit = -1;
    private boolean transferEncoding;
    private Supplier<InputStream> serverStream;
    private Runnable beforeFirstRead;

    /**
     * Starts an environ for an application mounted at {@code scriptName}.
     *
     * @param scriptName the decoded mount prefix, normalised by {@link RequestPath#normalizeMount}
     */
    public EnvironBuilder(String scriptName) {
        this.scriptName = scriptName;
        env.put(Environ.JGI_VERSION, Environ.VERSION);
        env.put(Environ.JGI_MULTITHREAD, Boolean.TRUE);
        env.put(Environ.JGI_MULTIPROCESS, Boolean.FALSE);
        env.put(Environ.JGI_RUN_ONCE, Boolean.FALSE);
        env.put(Environ.JGI_INPUT_TERMINATED, Boolean.TRUE);
        env.put(Environ.JGI_INPUT, BodyInput.EMPTY);
    }

    /**
     * Sets the request method, verbatim.
     *
     * @param method the method
     * @return this builder
     */
    public EnvironBuilder method(String method) {
        env.put(Environ.REQUEST_METHOD, method);
        return this;
    }

    /**
     * Sets the raw (undecoded) path and query of an origin-form or absolute-form target.
     *
     * @param rawPath the path as received, without the query; for absolute-form, only the path
     * @param rawQuery the query as received without {@code ?}, or {@code null} if there was none
     * @return this builder
     */
    public EnvironBuilder path(String rawPath, String rawQuery) {
        this.rawPath = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        this.rawQuery = rawQuery;
        return this;
    }

    /**
     * Marks the request as {@code OPTIONS *} (asterisk-form target).
     *
     * @return this builder
     */
    public EnvironBuilder asterisk() {
        this.asterisk = true;
        return this;
    }

    /**
     * Sets the raw request target as it appeared in the request line, in any of the forms of
     * RFC 9112 section 3.2; an absolute-form target also sets the authority.
     *
     * @param target the request target
     * @return this builder
     * @throws IllegalArgumentException if the target is in none of the forms
     */
    public EnvironBuilder target(String target) {
        if (target.equals("*")) {
            return asterisk();
        }
        String rest = target;
        if (!target.startsWith("/")) {
            int colon = target.indexOf("://");
            if (colon <= 0) {
                throw new IllegalArgumentException("request target is not origin-, absolute- or asterisk-form: " + target);
            }
            int pathStart = target.indexOf('/', colon + 3);
            int queryStart = target.indexOf('?', colon + 3);
            int authEnd = pathStart < 0 ? (queryStart < 0 ? target.length() : queryStart)
                    : (queryStart < 0 ? pathStart : Math.min(pathStart, queryStart));
            authority(target.substring(colon + 3, authEnd));
            rest = target.substring(authEnd);
            if (!rest.startsWith("/")) {
                rest = "/" + rest;
            }
        }
        int q = rest.indexOf('?');
        return q < 0 ? path(rest, null) : path(rest.substring(0, q), rest.substring(q + 1));
    }

    /**
     * Sets the authority of an absolute-form target, which RFC 9112 section 3.2.2 makes win over
     * the Host header: it sets SERVER_NAME, SERVER_PORT and HTTP_HOST.
     *
     * @param authority {@code host[:port]}, without user info
     * @return this builder
     */
    public EnvironBuilder authority(String authority) {
        int at = authority.lastIndexOf('@');
        this.authority = at >= 0 ? authority.substring(at + 1) : authority;
        return this;
    }

    /**
     * Sets SERVER_PROTOCOL.
     *
     * @param protocol {@code "HTTP/1.0"}, {@code "HTTP/1.1"} or {@code "HTTP/2.0"}
     * @return this builder
     */
    public EnvironBuilder protocol(String protocol) {
        env.put(Environ.SERVER_PROTOCOL, protocol);
        return this;
    }

    /**
     * Sets {@code jgi.url_scheme}.
     *
     * @param scheme {@code "http"} or {@code "https"}
     * @return this builder
     */
    public EnvironBuilder scheme(String scheme) {
        this.scheme = scheme;
        env.put(Environ.JGI_URL_SCHEME, scheme);
        return this;
    }

    /**
     * Adds one request header field, in arrival order. Repeated fields are joined, names that
     * cannot be mapped safely are left out, and Transfer-Encoding is left out because body framing
     * is the server's business.
     *
     * @param name the field name as received
     * @param value the field value
     * @return this builder
     */
    public EnvironBuilder header(String name, String value) {
        String key = HeaderKeys.environKey(name);
        if (key == null) {
            return this;
        }
        if (key.equals("HTTP_TRANSFER_ENCODING")) {
            transferEncoding = true;
            return this;
        }
        Object old = env.putIfAbsent(key, value);
        if (old != null) {
            env.put(key, old + HeaderKeys.separator(key) + value);
        }
        return this;
    }

    /**
     * Sets the local (server) address, the fallback for SERVER_NAME and SERVER_PORT when the
     * request names no host (HTTP/1.0 without Host).
     *
     * @param local the local socket address
     * @return this builder
     */
    public EnvironBuilder local(InetSocketAddress local) {
        if (local != null) {
            InetAddress a = local.getAddress();
            localHost = a == null ? local.getHostString() : hostLiteral(a);
            localPort = local.getPort();
        }
        return this;
    }

    /**
     * Sets REMOTE_ADDR and REMOTE_PORT.
     *
     * @param remote the client's socket address
     * @return this builder
     */
    public EnvironBuilder remote(InetSocketAddress remote) {
        if (remote != null) {
            InetAddress a = remote.getAddress();
            env.put(Environ.REMOTE_ADDR, a == null ? remote.getHostString() : formatAddress(a));
            env.put(Environ.REMOTE_PORT, Integer.toString(remote.getPort()));
        }
        return this;
    }

    /**
     * Sets REMOTE_ADDR and REMOTE_PORT from a server that reports the address as text.
     *
     * @param address an IP literal, with or without brackets
     * @param port the client's port
     * @return this builder
     */
    public EnvironBuilder remote(String address, int port) {
        env.put(Environ.REMOTE_ADDR, normalizeAddress(address));
        env.put(Environ.REMOTE_PORT, Integer.toString(port));
        return this;
    }

    /**
     * Sets {@code jgi.input}, usually a {@link BodyInput}.
     *
     * @param input the request body stream
     * @return this builder
     */
    public EnvironBuilder input(InputStream input) {
        env.put(Environ.JGI_INPUT, input);
        return this;
    }

    /**
     * Sets the server's request-body stream, which {@link #build()} wraps in a {@link BodyInput}
     * once it knows the framing: Content-Length, Transfer-Encoding (chunked), or, on HTTP/2 and
     * later, a body that ends with the stream. A request without a body gets {@link BodyInput#EMPTY}
     * and {@code serverStream} is never called. This is the one place that decides how a body is
     * framed, so adapters only hand over the stream.
     *
     * @param serverStream opens the server's own request-body stream
     * @param beforeFirstRead run before the application first reads (for a deferred 100 Continue),
     *     or {@code null}
     * @return this builder
     */
    public EnvironBuilder body(Supplier<InputStream> serverStream, Runnable beforeFirstRead) {
        this.serverStream = serverStream;
        this.beforeFirstRead = beforeFirstRead;
        return this;
    }

    /**
     * Sets a request-body limit: a declared CONTENT_LENGTH above it makes {@link #build()} reject
     * the request with 413 before the application runs.
     *
     * @param limit the limit in bytes, or {@code -1} for none
     * @return this builder
     */
    public EnvironBuilder bodyLimit(long limit) {
        this.bodyLimit = limit;
        return this;
    }

    /**
     * Sets {@code jgi.errors}.
     *
     * @param errors the error stream
     * @return this builder
     */
    public EnvironBuilder errors(PrintWriter errors) {
        env.put(Environ.JGI_ERRORS, errors);
        return this;
    }

    /**
     * Sets {@code jgi.multithread}, {@code jgi.multiprocess} and {@code jgi.run_once}.
     *
     * @param multithread whether the application may be called concurrently
     * @param multiprocess whether other processes serve it too
     * @param runOnce whether it is called only once in this process
     * @return this builder
     */
    public EnvironBuilder concurrency(boolean multithread, boolean multiprocess, boolean runOnce) {
        env.put(Environ.JGI_MULTITHREAD, multithread);
        env.put(Environ.JGI_MULTIPROCESS, multiprocess);
        env.put(Environ.JGI_RUN_ONCE, runOnce);
        return this;
    }

    /**
     * Offers the {@code jgi.file_wrapper} extension.
     *
     * @param wrapper the wrapper, usually {@link FileBody#WRAPPER}
     * @return this builder
     */
    public EnvironBuilder fileWrapper(FileWrapper wrapper) {
        env.put(Environ.JGI_FILE_WRAPPER, wrapper);
        return this;
    }

    /**
     * Puts any other key: SERVER_SOFTWARE or an extension announced by its own key.
     *
     * @param key the key
     * @param value the value
     * @return this builder
     */
    public EnvironBuilder put(String key, Object value) {
        env.put(key, value);
        return this;
    }

    /**
     * Finishes the environ.
     *
     * @return the environ, a new {@link HashMap}
     * @throws RequestRejectedException if SPEC.md says the request must not reach the application:
     *     a method that is not a token (400), a path it does not allow (400), a path outside the
     *     mount (404), a body over the limit (413)
     */
    public HashMap<String, Object> build() throws RequestRejectedException {
        Object method = env.get(Environ.REQUEST_METHOD);
        if (!(method instanceof String) || !ResponseRules.isToken((String) method)) {
            // [environ.method]: some HTTP layers (the JDK's) pass any word as the method
            throw new RequestRejectedException(400, "the request method is not a token");
        }
        if (asterisk) {
            if (!"OPTIONS".equals(env.get(Environ.REQUEST_METHOD))) {
                throw new RequestRejectedException(400, "the asterisk-form target is only allowed with OPTIONS");
            }
            env.put(Environ.SCRIPT_NAME, scriptName);
            env.put(Environ.PATH_INFO, "");
            env.put(Environ.REQUEST_URI, "*");
            env.put(Environ.QUERY_STRING, "");
        } else {
            String raw = rawPath == null ? "/" : rawPath;
            String decoded = RequestPath.decode(raw);
            String pathInfo = RequestPath.pathInfo(decoded, scriptName);
            if (pathInfo == null) {
                throw new RequestRejectedException(404, "path is not under the mount point " + scriptName);
            }
            env.put(Environ.SCRIPT_NAME, scriptName);
            env.put(Environ.PATH_INFO, pathInfo);
            String q = rawQuery == null ? "" : rawQuery;
            env.put(Environ.QUERY_STRING, q);
            env.put(Environ.REQUEST_URI, q.isEmpty() ? raw : raw + "?" + q);
        }
        env.putIfAbsent(Environ.JGI_URL_SCHEME, scheme);
        // only a protocol the server reported binds RFC 9112's Host rule; the default is for tests
        boolean requireHost = "HTTP/1.1".equals(env.get(Environ.SERVER_PROTOCOL));
        env.putIfAbsent(Environ.SERVER_PROTOCOL, "HTTP/1.1");
        if (authority != null) {
            env.put("HTTP_HOST", authority);
        }
        resolveServerName(requireHost);
        if (transferEncoding) {
            // RFC 9112 section 6.3: Transfer-Encoding overrides Content-Length, and the body is chunked
            env.remove(Environ.CONTENT_LENGTH);
        }
        Object cl = env.get(Environ.CONTENT_LENGTH);
        long length = -1;
        if (cl != null) {
            long n = ResponseRules.parseLength(cl.toString().trim());
            if (n < 0 || cl.toString().contains(",")) {
                throw new RequestRejectedException(400, "invalid Content-Length: " + cl);
            }
            env.put(Environ.CONTENT_LENGTH, Long.toString(n));
            if (bodyLimit >= 0 && n > bodyLimit) {
                throw new RequestRejectedException(413, "request body of " + n + " bytes is over the limit of " + bodyLimit);
            }
            length = n;
        }
        if (serverStream != null) {
            // HTTP/1.x frames a body by Content-Length or Transfer-Encoding; HTTP/2 and later may
            // send one with neither, ended by the stream
            boolean untilEnd = transferEncoding
                    || (length < 0 && !String.valueOf(env.get(Environ.SERVER_PROTOCOL)).startsWith("HTTP/1."));
            env.put(Environ.JGI_INPUT, length > 0 || untilEnd
                    ? new BodyInput(serverStream.get(), untilEnd ? -1 : length, bodyLimit, beforeFirstRead)
                    : BodyInput.EMPTY);
        }
        return env;
    }

    private void resolveServerName(boolean requireHost) throws RequestRejectedException {
        String host = (String) env.get("HTTP_HOST");
        String name;
        String port;
        if (host == null && requireHost) {
            throw new RequestRejectedException(400, "an HTTP/1.1 request must carry a Host header (RFC 9112 section 3.2)");
        }
        if (host != null && !host.isEmpty()) {
            int close = host.lastIndexOf(']');
            int colon = host.lastIndexOf(':');
            if (host.startsWith("[")) {
                if (close < 0) {
                    throw new RequestRejectedException(400, "invalid Host: " + host);
                }
                name = host.substring(0, close + 1);
                if (close + 1 < host.length() && host.charAt(close + 1) != ':') {
                    throw new RequestRejectedException(400, "invalid Host: " + host);
                }
                colon = close + 1 < host.length() ? close + 1 : -1;
            } else {
                name = colon < 0 ? host : host.substring(0, colon);
            }
            // RFC 9110 4.2.1 (an empty host is invalid) and RFC 9112 section 3.2 (an invalid Host, such as
            // two fields joined, a stray ':' or a space, is a 400): never a SERVER_NAME applications would
            // put into URLs
            if (!isHostName(name)) {
                throw new RequestRejectedException(400, "invalid Host: " + host);
            }
            if (colon >= 0 && colon + 1 < host.length()) {
                port = host.substring(colon + 1);
                if (ResponseRules.parseLength(port) < 0 || port.length() > 5 || Integer.parseInt(port) > 65535) {
                    throw new RequestRejectedException(400, "invalid port in Host: " + host);
                }
            } else {
                port = "https".equals(env.get(Environ.JGI_URL_SCHEME)) ? "443" : "80";
            }
        } else {
            name = localHost == null ? "localhost" : localHost;
            port = localPort < 0 ? ("https".equals(env.get(Environ.JGI_URL_SCHEME)) ? "443" : "80") : Integer.toString(localPort);
        }
        env.put(Environ.SERVER_NAME, name);
        env.put(Environ.SERVER_PORT, port);
    }

    /** Whether {@code name} is an RFC 3986 reg-name or IPv4 address, or a bracketed IPv6 address. */
    private static boolean isHostName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        boolean literal = name.charAt(0) == '[';
        int from = literal ? 1 : 0;
        int to = literal ? name.length() - 1 : name.length();
        if (literal && (to <= from || name.indexOf(':') < 0)) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = name.charAt(i);
            boolean ok = literal
                    ? (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.'
                    : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || "-._~!$&'()*+,;=%".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * Formats an IP address the way SPEC.md fixes it for REMOTE_ADDR: dotted quad for IPv4, RFC 5952
     * text (lower case, longest zero run compressed, no brackets, no zone) for IPv6.
     *
     * @param address the address
     * @return the literal
     */
    public static String formatAddress(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    /**
     * Normalises an address a server reported as text to {@link #formatAddress} form, without any
     * name lookup.
     *
     * @param address an IP literal, possibly bracketed or with a zone
     * @return the normalised literal, or the input if it is not an IP literal
     */
    public static String normalizeAddress(String address) {
        if (address == null) {
            return null;
        }
        String a = address;
        if (a.startsWith("[") && a.endsWith("]")) {
            a = a.substring(1, a.length() - 1);
        }
        if (a.indexOf(':') < 0) {
            return a; // IPv4 is already canonical as servers print it
        }
        int zone = a.indexOf('%');
        if (zone >= 0) {
            a = a.substring(0, zone);
        }
        try {
            // an IPv6 literal never triggers a lookup
            return formatAddress(InetAddress.getByName(a));
        } catch (java.net.UnknownHostException e) {
            return address;
        }
    }

    private static String hostLiteral(InetAddress a) {
        String s = formatAddress(a);
        return a instanceof Inet6Address ? "[" + s + "]" : s;
    }
}

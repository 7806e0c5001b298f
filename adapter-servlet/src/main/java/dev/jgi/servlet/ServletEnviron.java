package dev.jgi.servlet;

import dev.jgi.Environ;
import dev.jgi.gateway.EnvironBuilder;
import dev.jgi.gateway.FileBody;
import dev.jgi.gateway.RequestPath;
import dev.jgi.gateway.RequestRejectedException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.MappingMatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Enumeration;
import java.util.HashMap;

/**
 * The request side of the servlet adapter: turns an {@link HttpServletRequest} into a JGI environ
 * through core's {@link EnvironBuilder}, from the container's raw facts only.
 *
 * <p>SCRIPT_NAME is the percent-decoded context path plus the servlet's mapping prefix; PATH_INFO
 * is cut by core from the raw {@link HttpServletRequest#getRequestURI()}, never taken from
 * {@link HttpServletRequest#getPathInfo()}, whose decoding and normalisation differ per container
 * (Tomcat collapses {@code //}, Jetty rejects it).
 */
final class ServletEnviron {

    private ServletEnviron() {
    }

    /**
     * Builds the environ of one request.
     *
     * @param req the request
     * @param errors the shared {@code jgi.errors}
     * @param bodyLimit the request-body limit, or {@code -1}
     * @param serverSoftware SERVER_SOFTWARE, or {@code null}
     * @return the environ
     * @throws RequestRejectedException if SPEC.md says the request must not reach the application
     */
    static HashMap<String, Object> build(HttpServletRequest req, PrintWriter errors, long bodyLimit,
                                         String serverSoftware) throws RequestRejectedException {
        String rawPath = req.getRequestURI();
        EnvironBuilder b = new EnvironBuilder(scriptName(req))
                .method(req.getMethod())
                .path(rawPath, req.getQueryString())
                .protocol(req.getProtocol())
                .scheme(req.getScheme())
                .errors(errors)
                .bodyLimit(bodyLimit)
                .fileWrapper(FileBody.WRAPPER)
                .concurrency(true, false, false);
        if (serverSoftware != null) {
            b.put(Environ.SERVER_SOFTWARE, serverSoftware);
        }
        for (Enumeration<String> names = req.getHeaderNames(); names.hasMoreElements(); ) {
            String name = names.nextElement();
            for (Enumeration<String> values = req.getHeaders(name); values.hasMoreElements(); ) {
                b.header(name, values.nextElement());
            }
        }
        b.local(socketAddress(req.getLocalAddr(), req.getLocalPort()));
        String remote = req.getRemoteAddr();
        if (remote != null) {
            b.remote(remote, req.getRemotePort());
        }
        // core decides the framing (Content-Length, chunked, HTTP/2 end of stream) from the headers
        b.body(() -> new LazyInput(req), null);
        return b.build();
    }

    /**
     * SCRIPT_NAME: the decoded context path plus the part of the path the servlet mapping matched.
     * The mapping prefix is taken from the mapping pattern, not from {@code getServletPath()}, which
     * a container may refuse to return for a path it finds ambiguous.
     */
    static String scriptName(HttpServletRequest req) throws RequestRejectedException {
        String ctx = req.getContextPath();
        String mount = ctx == null || ctx.isEmpty() ? "" : RequestPath.decode(ctx);
        return RequestPath.normalizeMount(mount + servletPrefix(req));
    }

    private static String servletPrefix(HttpServletRequest req) {
        HttpServletMapping m = req.getHttpServletMapping();
        MappingMatch match = m == null ? null : m.getMappingMatch();
        if (match == null) {
            String sp = req.getServletPath();
            return sp == null ? "" : sp;
        }
        switch (match) {
            case CONTEXT_ROOT:
            case DEFAULT:
                return ""; // "" and "/" mappings: the whole path below the context is PATH_INFO
            case PATH:
                String p = m.getPattern(); // "/prefix/*" or "/*"
                return p.endsWith("/*") ? p.substring(0, p.length() - 2) : p;
            case EXACT:
                return m.getPattern();
            case EXTENSION:
            default:
                String sp = req.getServletPath();
                return sp == null ? "" : sp;
        }
    }

    private static InetSocketAddress socketAddress(String literal, int port) {
        if (literal == null || literal.isEmpty()) {
            return null;
        }
        String a = literal.startsWith("[") && literal.endsWith("]") ? literal.substring(1, literal.length() - 1) : literal;
        boolean ipLiteral = a.indexOf(':') >= 0 || a.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.');
        if (!ipLiteral) {
            return InetSocketAddress.createUnresolved(a, port); // never resolve a name per request
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(a), port); // a literal: no lookup
        } catch (UnknownHostException e) {
            return InetSocketAddress.createUnresolved(a, port);
        }
    }

    /**
     * The container's request stream, opened on the first read: some containers send
     * {@code 100 Continue} when the stream is obtained, and SPEC.md wants it only when the
     * application reads.
     */
    static final class LazyInput extends InputStream {
        private final HttpServletRequest req;
        private ServletInputStream in;

        LazyInput(HttpServletRequest req) {
            this.req = req;
        }

        private ServletInputStream in() throws IOException {
            ServletInputStream s = in;
            if (s == null) {
                s = in = req.getInputStream();
            }
            return s;
        }

        @Override
        public int read() throws IOException {
            return in().read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in().read(b, off, len);
        }

        @Override
        public int available() throws IOException {
            return in == null ? 0 : in.available();
        }

        @Override
        public void close() {
            // the container owns the request stream
        }
    }
}

package dev.jgi.conformance.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An HTTP/1.x request written byte for byte as the suite wants it: any method, any target form,
 * any header (repeated, odd names, Latin-1 values), a Content-Length body, a chunked body with
 * trailers, or no framing at all. Header names and values are encoded as ISO-8859-1.
 */
public final class Request {

    /**
     * The most bytes a request head (request line, header fields and the empty line) the suite
     * sends may have: 6 KiB. Jetty, Tomcat and nginx refuse heads over 8 KiB by default (431 or
     * 400), before any application runs; a case that needed more would test the server's header
     * limit rather than JGI. {@link HttpConnection} refuses to send a bigger head.
     */
    public static final int HEAD_BUDGET = 6 * 1024;

    /**
     * Thrown by {@link HttpConnection} instead of sending a request head over
     * {@link #HEAD_BUDGET}: a defect of the case that built it, never of the server under test.
     */
    public static final class HeadTooLargeException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        /**
         * @param request the request line
         * @param size the size of its head in bytes
         */
        public HeadTooLargeException(String request, int size) {
            super("the suite's request head for \"" + request + "\" is " + size + " bytes, over its budget of " + HEAD_BUDGET
                    + " bytes (a defect of the case: large data belongs in the request body)");
        }
    }
    private final String method;
    private final String target;
    private String version = "HTTP/1.1";
    private final List<String[]> headers = new ArrayList<>();
    private boolean host = true;
    private byte[] body;
    private boolean autoLength = true;
    private List<byte[]> chunks;
    private final List<String[]> trailers = new ArrayList<>();

    private Request(String method, String target) {
        this.method = method;
        this.target = target;
    }

    /**
     * Starts a request.
     *
     * @param method the method, sent verbatim
     * @param target the request target, sent verbatim (origin-form {@code /x?y}, absolute-form, or {@code *})
     * @return the request
     */
    public static Request of(String method, String target) {
        return new Request(method, target);
    }

    /**
     * @param target the request target
     * @return a GET request
     */
    public static Request get(String target) {
        return new Request("GET", target);
    }

    /** @return the method */
    public String method() {
        return method;
    }

    /** @return the request target */
    public String target() {
        return target;
    }

    /**
     * Sets the protocol of the request line.
     *
     * @param v for example {@code "HTTP/1.0"}
     * @return this request
     */
    public Request version(String v) {
        this.version = v;
        return this;
    }

    /** @return the protocol of the request line */
    public String version() {
        return version;
    }

    /**
     * Adds a header line; repeated calls with the same name send repeated lines.
     *
     * @param name the name, verbatim
     * @param value the value, verbatim (ISO-8859-1)
     * @return this request
     */
    public Request header(String name, String value) {
        headers.add(new String[] {name, value});
        return this;
    }

    /**
     * Leaves out the Host header the connection would otherwise add.
     *
     * @return this request
     */
    public Request noHost() {
        this.host = false;
        return this;
    }

    /** @return whether the connection adds a Host header */
    public boolean wantsHost() {
        return host && !hasHeader("Host");
    }

    /**
     * @param name a header name
     * @return whether a header of that name (any case) was added
     */
    public boolean hasHeader(String name) {
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param name a header name
     * @return the value of the first header of that name (any case), or {@code null}
     */
    public String headerValue(String name) {
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                return h[1];
            }
        }
        return null;
    }

    /**
     * Sets a body sent with a Content-Length header (added unless one was given explicitly).
     *
     * @param bytes the body
     * @return this request
     */
    public Request body(byte[] bytes) {
        this.body = bytes;
        this.chunks = null;
        return this;
    }

    /**
     * Sets a UTF-8 text body.
     *
     * @param text the body
     * @return this request
     */
    public Request body(String text) {
        return body(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends the body without adding Content-Length, for requests whose framing the case sets itself.
     *
     * @return this request
     */
    public Request noAutoLength() {
        this.autoLength = false;
        return this;
    }

    /**
     * Sets a chunked body: {@code Transfer-Encoding: chunked} and one chunk per element.
     *
     * @param parts the chunks; empty elements are skipped, because an empty chunk ends the body
     * @return this request
     */
    public Request chunked(List<byte[]> parts) {
        this.chunks = new ArrayList<>(parts);
        this.body = null;
        return this;
    }

    /**
     * Adds a trailer field after the last chunk of a chunked body.
     *
     * @param name the name
     * @param value the value
     * @return this request
     */
    public Request trailer(String name, String value) {
        trailers.add(new String[] {name, value});
        return this;
    }

    /** @return the body bytes (for a chunked body, the chunks joined) */
    public byte[] bodyBytes() {
        if (chunks != null) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (byte[] c : chunks) {
                b.writeBytes(c);
            }
            return b.toByteArray();
        }
        return body == null ? new byte[0] : body;
    }

    /**
     * Encodes the head only (request line and headers, ending with the empty line), so that a
     * case can hold the body back, for example until {@code 100 Continue}.
     *
     * @param hostHeader the Host value to add when {@link #wantsHost()}
     * @return the bytes
     */
    public byte[] headBytes(String hostHeader) {
        StringBuilder sb = new StringBuilder();
        sb.append(method).append(' ').append(target).append(' ').append(version).append("\r\n");
        if (wantsHost()) {
            sb.append("Host: ").append(hostHeader).append("\r\n");
        }
        for (String[] h : headers) {
            sb.append(h[0]).append(':').append(h[1].isEmpty() ? "" : " ").append(h[1]).append("\r\n");
        }
        if (chunks != null && !hasHeader("Transfer-Encoding")) {
            sb.append("Transfer-Encoding: chunked\r\n");
        } else if (body != null && autoLength && !hasHeader("Content-Length")) {
            sb.append("Content-Length: ").append(body.length).append("\r\n");
        }
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** @return the body bytes as framed on the wire (chunk framing included) */
    public byte[] framedBody() {
        if (chunks == null) {
            return body == null ? new byte[0] : body;
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] c : chunks) {
            if (c.length == 0) {
                continue;
            }
            b.writeBytes((Integer.toHexString(c.length).toUpperCase(Locale.ROOT) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            b.writeBytes(c);
            b.writeBytes(CRLF);
        }
        b.writeBytes("0\r\n".getBytes(StandardCharsets.ISO_8859_1));
        for (String[] t : trailers) {
            b.writeBytes((t[0] + ": " + t[1] + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        b.writeBytes(CRLF);
        return b.toByteArray();
    }

    private static final byte[] CRLF = {'\r', '\n'};

    /**
     * Encodes the whole request.
     *
     * @param hostHeader the Host value to add when {@link #wantsHost()}
     * @return the bytes
     */
    public byte[] toBytes(String hostHeader) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(headBytes(hostHeader));
        b.writeBytes(framedBody());
        return b.toByteArray();
    }

    @Override
    public String toString() {
        return method + " " + target + " " + version;
    }
}

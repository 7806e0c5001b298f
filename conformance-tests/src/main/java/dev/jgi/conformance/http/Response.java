package dev.jgi.conformance.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A response as it arrived on the wire: status line, header lines in order, the decoded body, how
 * it was framed, and whether the framing was completed or the connection ended early (the sign of
 * an aborted response).
 */
public final class Response {

    /** How the body was delimited. */
    public enum Framing {
        /** No body by definition (HEAD, 1xx, 204, 304). */
        NONE,
        /** {@code Content-Length}. */
        LENGTH,
        /** {@code Transfer-Encoding: chunked}. */
        CHUNKED,
        /** Read until the server closed the connection. */
        CLOSE
    }

    /** A status line and its headers. */
    public static final class Head {
        private final String statusLine;
        private final String version;
        private final int status;
        private final String reason;
        private final List<String[]> headers;

        Head(String statusLine, String version, int status, String reason, List<String[]> headers) {
            this.statusLine = statusLine;
            this.version = version;
            this.status = status;
            this.reason = reason;
            this.headers = Collections.unmodifiableList(headers);
        }

        /**
         * @return the status line exactly as it arrived (ISO-8859-1, without its line end), for
         *     checks of its form: {@code "HTTP/1.1 404 "} and {@code "HTTP/1.1 404"} have the same
         *     {@link #reason()}
         */
        public String statusLine() {
            return statusLine;
        }

        /** @return the protocol of the status line, for example {@code "HTTP/1.1"} */
        public String version() {
            return version;
        }

        /** @return the status code */
        public int status() {
            return status;
        }

        /** @return the reason phrase, possibly empty */
        public String reason() {
            return reason;
        }

        /** @return the header lines in order, each {@code {name, value}} */
        public List<String[]> headers() {
            return headers;
        }

        /**
         * @param name a header name, any case
         * @return the first value, or {@code null}
         */
        public String header(String name) {
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    return h[1];
                }
            }
            return null;
        }

        /**
         * @param name a header name, any case
         * @return every value of the lines with that name, in order
         */
        public List<String> headers(String name) {
            List<String> out = new ArrayList<>();
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    out.add(h[1]);
                }
            }
            return out;
        }

        @Override
        public String toString() {
            return version + " " + status + " " + reason;
        }
    }

    private final Head head;
    private final List<Head> interim;
    private final byte[] body;
    private final Framing framing;
    private final boolean complete;
    private final String problem;
    private final List<String[]> trailers;

    Response(Head head, List<Head> interim, byte[] body, Framing framing, boolean complete, String problem, List<String[]> trailers) {
        this.head = head;
        this.interim = Collections.unmodifiableList(interim);
        this.body = body;
        this.framing = framing;
        this.complete = complete;
        this.problem = problem;
        this.trailers = Collections.unmodifiableList(trailers);
    }

    /** @return the final status line and headers */
    public Head head() {
        return head;
    }

    /** @return the status code */
    public int status() {
        return head.status();
    }

    /** @return the reason phrase */
    public String reason() {
        return head.reason();
    }

    /**
     * @param name a header name
     * @return its first value, or {@code null}
     */
    public String header(String name) {
        return head.header(name);
    }

    /**
     * @param name a header name
     * @return all its values in order
     */
    public List<String> headers(String name) {
        return head.headers(name);
    }

    /** @return the 1xx responses received before the final one */
    public List<Head> interim() {
        return interim;
    }

    /** @return the body, de-chunked */
    public byte[] body() {
        return body.clone();
    }

    /** @return the body as UTF-8 text */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** @return how the body was delimited */
    public Framing framing() {
        return framing;
    }

    /**
     * @return whether the body ended as its framing says (all of Content-Length, the last chunk);
     *     {@code false} means the connection ended early: the server aborted the response
     */
    public boolean complete() {
        return complete;
    }

    /** @return why the body is incomplete, or {@code null} */
    public String problem() {
        return problem;
    }

    /** @return trailer fields after a chunked body */
    public List<String[]> trailers() {
        return trailers;
    }

    @Override
    public String toString() {
        return head + " (" + body.length + " body bytes, " + framing + (complete ? "" : ", incomplete: " + problem) + ")";
    }
}

package dev.jgi.testing;

import dev.jgi.Header;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a server would have sent for one {@link TestRequest}, plus what only an in-process client
 * can see: the environ the application received, the {@code jgi.errors} output, whether
 * {@code 100 Continue} would have gone out, and the order of the server's actions.
 *
 * <p>Immutable once {@link TestRequest#send()} returns.
 */
public final class TestResponse {

    private final int status;
    private final String reason;
    private final List<Header> headers;
    private final byte[] body;
    private final long contentLength;
    private final boolean aborted;
    private final String errors;
    private final Map<String, Object> environ;
    private final boolean continueSent;
    private final List<String> events;

    TestResponse(MemoryChannel ch, String errors, Map<String, Object> environ, boolean continueSent, List<String> events) {
        this.status = ch.status;
        this.reason = ch.reason;
        List<Header> all = new ArrayList<>(ch.headers);
        if (ch.contentLength >= 0) {
            all.add(Header.of("Content-Length", Long.toString(ch.contentLength)));
        }
        this.headers = List.copyOf(all);
        this.body = ch.body.toByteArray();
        this.contentLength = ch.contentLength;
        this.aborted = ch.aborted;
        this.errors = errors;
        this.environ = environ;
        this.continueSent = continueSent;
        this.events = List.copyOf(events);
    }

    /**
     * Returns the status code sent.
     *
     * @return the code, or {@code -1} if the connection was aborted before any status was sent
     */
    public int status() {
        return status;
    }

    /**
     * Returns the reason phrase the gateway passed to the server: the application's own phrase,
     * or the standard one for responses the gateway made itself (500, 413, a rejected request).
     *
     * @return the phrase, possibly empty
     */
    public String reason() {
        return reason;
    }

    /**
     * Returns the response headers in the order the application gave them, followed by
     * {@code Content-Length} when the gateway declared a length (the application's value, or one
     * it computed). A server adds framing and {@code Date} headers of its own, which are not here.
     *
     * @return the headers, unmodifiable
     */
    public List<Header> headers() {
        return headers;
    }

    /**
     * Returns the first value of a header.
     *
     * @param name the header name, any case
     * @return the value, or {@code null} if the header was not sent
     */
    public String header(String name) {
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                return h.value();
            }
        }
        return null;
    }

    /**
     * Returns every value of a header, in order.
     *
     * @param name the header name, any case
     * @return the values, empty if the header was not sent
     */
    public List<String> headers(String name) {
        List<String> out = new ArrayList<>(2);
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                out.add(h.value());
            }
        }
        return out;
    }

    /**
     * Returns the body bytes the client received; for an aborted response, the part that was sent
     * before the abort.
     *
     * @return a copy of the body
     */
    public byte[] body() {
        return body.clone();
    }

    /**
     * Returns the body decoded as UTF-8.
     *
     * @return the text
     */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * Returns the Content-Length the gateway declared: the application's, or one it computed for a
     * body of one chunk or none. For HEAD it is the length a GET would have had, if known.
     *
     * @return the length, or {@code -1} if none was declared (a server frames such a body itself:
     *     chunked on HTTP/1.1, until close on HTTP/1.0)
     */
    public long contentLength() {
        return contentLength;
    }

    /**
     * Returns whether the gateway aborted the connection instead of finishing the response, as it
     * does when the application fails after the headers were sent, a body is shorter than its
     * Content-Length, or the client went away. A real client sees an incomplete body.
     *
     * @return whether the response was aborted
     */
    public boolean isAborted() {
        return aborted;
    }

    /**
     * Returns everything written to {@code jgi.errors} during the request, by the application and
     * by the gateway (rule violations, stack traces of application errors).
     *
     * @return the error output, empty if there was none
     */
    public String errors() {
        return errors;
    }

    /**
     * Returns the environ the application was called with, as the application left it.
     *
     * @return the environ, or {@code null} if the request was rejected before the application ran
     *     (400, 404 or 413 from the path policy or the body limit)
     */
    public Map<String, Object> environ() {
        return environ;
    }

    /**
     * Returns whether {@code 100 Continue} would have been sent: the request said
     * {@code Expect: 100-continue} and the application read {@code jgi.input}.
     *
     * @return whether the interim response went out
     */
    public boolean continueSent() {
        return continueSent;
    }

    /**
     * Returns the server's actions in order, for tests of header delay, streaming and close:
     * {@code "continue"} (100 Continue), {@code "headers"}, {@code "chunk:N"} (N body bytes
     * written), {@code "file:N"} (N bytes sent from a file region), {@code "disconnect"} (the
     * simulated client went away), {@code "close"} (the body was closed), and last
     * {@code "finish"} or {@code "abort"}.
     *
     * @return the events, unmodifiable
     */
    public List<String> events() {
        return events;
    }

    /**
     * Returns a one-line summary for assertion messages.
     *
     * @return status, headers, body size and whether aborted
     */
    @Override
    public String toString() {
        return status + " " + reason + " " + headers + " body=" + body.length + " bytes" + (aborted ? " ABORTED" : "");
    }
}

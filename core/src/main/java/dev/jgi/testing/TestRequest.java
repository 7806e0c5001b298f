package dev.jgi.testing;

import dev.jgi.Header;
import dev.jgi.gateway.ResponseRules;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One request to build and {@link #send()} through a {@link TestClient}. Obtained from
 * {@link TestClient#request}; each setter returns {@code this}.
 *
 * <p>The client adds what a real HTTP client would: a {@code Host} header (HTTP/1.1 and later,
 * unless one is set here), {@code Content-Length} for a {@link #body(byte[]) body} unless
 * {@link #chunked()} or set here, and {@code Transfer-Encoding: chunked} for a chunked body.
 * A request may be sent more than once; every {@code send()} is a new exchange.
 */
public final class TestRequest {

    private final TestClient client;
    private final String method;
    private final String target;
    private final List<Header> headers = new ArrayList<>();
    private byte[] body;
    private boolean chunked;
    private String protocol = "HTTP/1.1";
    private long disconnectAfter = -1;

    TestRequest(TestClient client, String method, String target) {
        if (!ResponseRules.isToken(method)) {
            throw new IllegalArgumentException("method is not an HTTP token: \"" + method + "\"");
        }
        this.client = client;
        this.method = method;
        this.target = Objects.requireNonNull(target, "target");
    }

    /**
     * Adds a request header; repeated names are sent as repeated fields, in the order added.
     * Names need only be HTTP tokens, so that tests can send what the environ must drop, such as
     * {@code X_Forwarded_For}.
     *
     * @param name the field name, an HTTP token
     * @param value the field value, without CR, LF or NUL
     * @return this request
     * @throws IllegalArgumentException if no HTTP client could send the field, or for
     *     Transfer-Encoding, which the client sets itself (use {@link #chunked()})
     */
    public TestRequest header(String name, String value) {
        if (!ResponseRules.isToken(name)) {
            throw new IllegalArgumentException("header name is not an HTTP token: \"" + name + "\"");
        }
        if (name.equalsIgnoreCase("Transfer-Encoding")) {
            throw new IllegalArgumentException("the client frames the body itself; use chunked() instead of a Transfer-Encoding header");
        }
        Objects.requireNonNull(value, "value");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0 || c > 0xff) {
                throw new IllegalArgumentException("header " + name + " has a character no HTTP client can send at index " + i);
            }
        }
        headers.add(Header.of(name, value));
        return this;
    }

    /**
     * Sets the request body. Unless {@link #chunked()} is set or a Content-Length header was
     * given, the client declares {@code Content-Length: body.length}. A Content-Length header set
     * by the test wins, so a test can declare more bytes than it sends (the application then sees a
     * {@link dev.jgi.ClientDisconnectedException} from {@code jgi.input}, as when a client goes
     * away mid-upload).
     *
     * @param body the bytes, not copied
     * @return this request
     */
    public TestRequest body(byte[] body) {
        this.body = Objects.requireNonNull(body, "body");
        return this;
    }

    /**
     * Sets the request body to the UTF-8 encoding of {@code text}.
     *
     * @param text the body text
     * @return this request
     */
    public TestRequest body(String text) {
        return body(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends the body with chunked transfer coding: no CONTENT_LENGTH reaches the environ and
     * {@code jgi.input} ends at the end of the body. A Content-Length header set as well is sent
     * too, and dropped by the server as RFC 9112 section 6.3 requires (the request-smuggling case).
     *
     * @return this request
     */
    public TestRequest chunked() {
        this.chunked = true;
        return this;
    }

    /**
     * Adds {@code Expect: 100-continue}. The response's {@link TestResponse#continueSent()} then
     * tells whether the interim response would have been sent, which happens when the application
     * first reads {@code jgi.input} (never on HTTP/1.0, per RFC 9110 section 10.1.1).
     *
     * @return this request
     */
    public TestRequest expectContinue() {
        return header("Expect", "100-continue");
    }

    /**
     * Sets SERVER_PROTOCOL. On {@code HTTP/1.0} the client sends no Host header unless one is
     * given, so SERVER_NAME and SERVER_PORT come from the server's own address.
     *
     * @param protocol {@code "HTTP/1.0"}, {@code "HTTP/1.1"} (the default) or {@code "HTTP/2.0"}
     * @return this request
     */
    public TestRequest protocol(String protocol) {
        if (!protocol.equals("HTTP/1.0") && !protocol.equals("HTTP/1.1") && !protocol.equals("HTTP/2.0")) {
            throw new IllegalArgumentException("protocol must be HTTP/1.0, HTTP/1.1 or HTTP/2.0: " + protocol);
        }
        this.protocol = protocol;
        return this;
    }

    /**
     * Simulates a client that goes away after receiving {@code bytes} body bytes: the server's
     * write that would go past it fails, so the application sees a
     * {@link dev.jgi.ClientDisconnectedException} from {@code write} or stops being iterated, and
     * the response is aborted.
     *
     * @param bytes how many body bytes the client takes, {@code 0} for none
     * @return this request
     */
    public TestRequest disconnectAfter(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative byte count: " + bytes);
        }
        this.disconnectAfter = bytes;
        return this;
    }

    /**
     * Runs the exchange: builds the environ as a server would, calls the application through the
     * gateway, and returns what the client received.
     *
     * @return the response
     * @throws AssertionError if the application (or the validator around it) threw one; it is
     *     rethrown unchanged after the exchange ended, so a failed assertion inside the application
     *     or a {@code ValidationError} fails the test instead of becoming a 500. Also thrown if the
     *     gateway broke its own contract (a bug in JGI, not in the application).
     * @throws IllegalArgumentException if the target is in none of the forms of a request line
     */
    public TestResponse send() {
        return client.exchange(this);
    }

    String method() {
        return method;
    }

    String target() {
        return target;
    }

    List<Header> headers() {
        return headers;
    }

    byte[] body() {
        return body;
    }

    boolean isChunked() {
        return chunked;
    }

    String protocol() {
        return protocol;
    }

    long disconnectAfterBytes() {
        return disconnectAfter;
    }
}

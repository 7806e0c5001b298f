package dev.jgi.testing;

import dev.jgi.Application;
import dev.jgi.Environ;
import dev.jgi.Header;
import dev.jgi.gateway.BodyInput;
import dev.jgi.gateway.EnvironBuilder;
import dev.jgi.gateway.FileBody;
import dev.jgi.gateway.Gateway;
import dev.jgi.gateway.RequestPath;
import dev.jgi.gateway.RequestRejectedException;
import dev.jgi.validate.Validator;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An in-process client for fast unit tests of JGI applications, middleware and frameworks: no
 * socket, no thread, yet the same request translation and response rules as every JGI server.
 *
 * <p>Each request is turned into an environ by {@link EnvironBuilder} (the path policy, header
 * joining, SERVER_NAME resolution, body limits: the code servers use) and the application is
 * run by {@link Gateway} on an in-memory connection, so header delay, Content-Length computation
 * and truncation, HEAD, 204/304, the 500 on an exception, the abort after commit and the single
 * {@code close()} all happen exactly as on a server. A request the path policy refuses gets the
 * 400/404/413 a server would send, and the application is not called.
 *
 * <p>By default the application is wrapped in {@link Validator}, and any
 * {@link AssertionError} the application throws (a validation error, or a failed assertion in the
 * application code of a test) is rethrown from {@link TestRequest#send()} once the exchange has
 * ended, so the test fails with it. Other exceptions become the 500 a server would send; their
 * stack trace is in {@link TestResponse#errors()}. The client also checks the gateway's side of
 * the contract (body closed exactly once, nothing written past the declared length or on a
 * bodyless response) and fails with an {@link AssertionError} if it is broken.
 *
 * <pre>{@code
 * import static org.junit.jupiter.api.Assertions.*;
 *
 * import dev.jgi.*;
 * import dev.jgi.testing.*;
 * import java.nio.charset.StandardCharsets;
 * import java.util.List;
 * import org.junit.jupiter.api.Test;
 *
 * class EchoAppTest {
 *     // echoes the request body, and says hello on GET
 *     static final Application APP = (environ, startResponse) -> {
 *         Environ env = Environ.of(environ);
 *         if (env.method().equals("GET")) {
 *             startResponse.start("200 OK", List.of(Header.of("Content-Type", "text/plain")));
 *             return Body.ofUtf8("hello " + env.pathInfo());
 *         }
 *         byte[] in = env.input().readAllBytes();
 *         startResponse.start("201 Created", List.of(Header.of("Content-Type", "application/octet-stream")));
 *         return Body.of(in);
 *     };
 *
 *     final TestClient client = TestClient.builder(APP).mount("/api").build();
 *
 *     @Test
 *     void get() {
 *         TestResponse r = client.get("/api/caf%C3%A9?x=1");
 *         assertEquals(200, r.status());
 *         assertEquals("text/plain", r.header("content-type"));
 *         assertEquals("hello /café", r.text());
 *         assertEquals(12, r.contentLength());             // computed: one-chunk body
 *         assertEquals("/api", r.environ().get("SCRIPT_NAME"));
 *         assertEquals("x=1", r.environ().get("QUERY_STRING"));
 *     }
 *
 *     @Test
 *     void chunkedUploadWithExpectContinue() {
 *         TestResponse r = client.request("PUT", "/api/echo")
 *                 .header("Content-Type", "application/octet-stream")
 *                 .body(new byte[] {1, 2, 3}).chunked().expectContinue()
 *                 .send();
 *         assertEquals(201, r.status());
 *         assertTrue(r.continueSent());                     // the app read jgi.input
 *         assertArrayEquals(new byte[] {1, 2, 3}, r.body());
 *         assertEquals(List.of("continue", "headers", "chunk:3", "close", "finish"), r.events());
 *     }
 *
 *     @Test
 *     void encodedSlashIsRejectedBeforeTheApp() {
 *         TestResponse r = client.get("/api/a%2Fb");
 *         assertEquals(400, r.status());
 *         assertNull(r.environ());
 *     }
 * }
 * }</pre>
 *
 * <p>A {@code TestClient} is immutable and may be shared between tests and threads; each request
 * gets its own environ, error buffer and connection.
 */
public final class TestClient {

    /** SERVER_SOFTWARE in every environ this client builds. */
    public static final String SERVER_SOFTWARE = "jgi-testclient/1.0";

    private final Application app;
    private final String mount;
    private final boolean validate;
    private final String remoteAddress;
    private final int remotePort;
    private final String scheme;
    private final String serverName;
    private final int serverPort;
    private final long bodyLimit;

    private TestClient(Builder b) {
        this.app = b.app;
        this.mount = b.mount;
        this.validate = b.validate;
        this.remoteAddress = b.remoteAddress;
        this.remotePort = b.remotePort;
        this.scheme = b.scheme;
        this.serverName = b.serverName;
        this.serverPort = b.serverPort >= 0 ? b.serverPort : (b.scheme.equals("https") ? 443 : 80);
        this.bodyLimit = b.bodyLimit;
    }

    /**
     * Returns a client for {@code app} with the defaults: mounted at the root, validated,
     * {@code http://localhost} (port 80), client at {@code 127.0.0.1:40000}, no body limit.
     *
     * @param app the application under test
     * @return the client
     */
    public static TestClient of(Application app) {
        return builder(app).build();
    }

    /**
     * Returns a builder for a client of {@code app}.
     *
     * @param app the application under test
     * @return the builder
     */
    public static Builder builder(Application app) {
        return new Builder(app);
    }

    /**
     * Starts a request.
     *
     * @param method the request method, any HTTP token, verbatim
     * @param target the request target as in a request line: origin-form {@code "/path?query"}
     *     (raw, percent-escapes as the client would send them), absolute-form
     *     {@code "http://host:port/path"}, or {@code "*"}; a target with a space, a control
     *     character or a {@code #} is answered 400, as a server's request-line parser would
     * @return the request, to complete and {@link TestRequest#send() send}
     */
    public TestRequest request(String method, String target) {
        return new TestRequest(this, method, target);
    }

    /**
     * Sends a GET request.
     *
     * @param target the request target, for example {@code "/items?page=2"}
     * @return the response
     */
    public TestResponse get(String target) {
        return request("GET", target).send();
    }

    /**
     * Sends a POST request with a body and its Content-Type.
     *
     * @param target the request target
     * @param body the request body
     * @param contentType the Content-Type header value
     * @return the response
     */
    public TestResponse post(String target, byte[] body, String contentType) {
        return request("POST", target).header("Content-Type", contentType).body(body).send();
    }


    TestResponse exchange(TestRequest r) {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        MemoryChannel ch = new MemoryChannel(events, r.disconnectAfterBytes());
        StringWriter errorText = new StringWriter();
        PrintWriter errors = new PrintWriter(errorText);
        boolean head = r.method().equals("HEAD");
        boolean http10 = r.protocol().equals("HTTP/1.0");
        boolean chunked = r.isChunked();
        boolean hasLength = has(r.headers(), "Content-Length");

        EnvironBuilder b = new EnvironBuilder(mount)
                .method(r.method())
                .target(r.target())
                .protocol(r.protocol())
                .scheme(scheme)
                .local(InetSocketAddress.createUnresolved(bracketed(serverName), serverPort))
                .remote(remoteAddress, remotePort)
                .errors(errors)
                .fileWrapper(FileBody.WRAPPER)
                .bodyLimit(bodyLimit)
                .put(Environ.SERVER_SOFTWARE, SERVER_SOFTWARE);
        if (!http10 && !has(r.headers(), "Host")) {
            b.header("Host", hostHeader());
        }
        boolean expect = false;
        for (Header h : r.headers()) {
            b.header(h.name(), h.value());
            expect |= h.name().equalsIgnoreCase("Expect") && h.value().trim().equalsIgnoreCase("100-continue");
        }
        byte[] bytes = r.body() == null ? new byte[0] : r.body();
        if (chunked) {
            b.header("Transfer-Encoding", "chunked");
        } else if (r.body() != null && !hasLength) {
            b.header("Content-Length", Integer.toString(bytes.length));
        }

        HashMap<String, Object> environ;
        try {
            checkRequestLine(r.target());
            environ = b.build();
        } catch (RequestRejectedException e) {
            Gateway.reject(ch, e.status(), e.getMessage(), head);
            errors.flush();
            TestResponse response = new TestResponse(ch, errorText.toString(), null, false, events);
            checkGateway(ch, response);
            return response;
        }

        // RFC 9110 section 10.1.1: a server ignores 100-continue from an HTTP/1.0 client
        AtomicBoolean continued = new AtomicBoolean();
        Runnable sendContinue = expect && !http10 ? () -> {
            continued.set(true);
            events.add("continue");
        } : null;
        Object length = environ.get(Environ.CONTENT_LENGTH);
        environ.put(Environ.JGI_INPUT, BodyInput.of(new ByteArrayInputStream(bytes),
                length == null ? -1 : Long.parseLong(length.toString()), chunked, bodyLimit, sendContinue));

        Recorder recorder = new Recorder(validate ? Validator.wrap(app) : app, events, ch.violations);
        new Gateway(recorder, errors).serve(environ, ch);
        errors.flush();
        recorder.checkClosed();
        TestResponse response = new TestResponse(ch, errorText.toString(), environ, continued.get(), events);
        if (recorder.failure != null) {
            for (String v : ch.violations) {
                recorder.failure.addSuppressed(new AssertionError("gateway: " + v));
            }
            throw recorder.failure;
        }
        checkGateway(ch, response);
        return response;
    }

    /**
     * What a server's request-line parser refuses before any JGI code runs: a target with a space
     * or a control character cannot be told apart from the rest of the line, and clients never
     * send a fragment.
     */
    private static void checkRequestLine(String target) throws RequestRejectedException {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c == 0x7f || c == '#') {
                throw new RequestRejectedException(400, "the request target has a character no request line can carry at index " + i);
            }
        }
    }

    private static void checkGateway(MemoryChannel ch, TestResponse response) {
        if (!ch.finished && !ch.aborted) {
            ch.violations.add("the response was neither finished nor aborted");
        }
        if (!ch.violations.isEmpty()) {
            throw new AssertionError("the JGI gateway broke the server contract: " + ch.violations + "; response " + response);
        }
    }

    private static boolean has(List<Header> headers, String name) {
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    private String hostHeader() {
        String host = bracketed(serverName);
        boolean defaultPort = serverPort == (scheme.equals("https") ? 443 : 80);
        return defaultPort ? host : host + ":" + serverPort;
    }

    private static String bracketed(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** Configures a {@link TestClient}; obtained from {@link TestClient#builder}. */
    public static final class Builder {
        private final Application app;
        private String mount = "";
        private boolean validate = true;
        private String remoteAddress = "127.0.0.1";
        private int remotePort = 40000;
        private String scheme = "http";
        private String serverName = "localhost";
        private int serverPort = -1;
        private long bodyLimit = -1;

        private Builder(Application app) {
            this.app = Objects.requireNonNull(app, "app");
        }

        /**
         * Mounts the application under a prefix, which becomes SCRIPT_NAME. Requests outside it
         * get 404 without reaching the application.
         *
         * @param prefix the decoded prefix, for example {@code "/api"}; {@code ""} or {@code "/"}
         *     for the root (the default)
         * @return this builder
         */
        public Builder mount(String prefix) {
            this.mount = RequestPath.normalizeMount(prefix);
            return this;
        }

        /**
         * Sets whether the application is wrapped in {@link Validator}
         * (default {@code true}). Turn it off to test how the server side handles an application
         * that breaks the rules, which the validator would stop first.
         *
         * @param validate whether to validate
         * @return this builder
         */
        public Builder validate(boolean validate) {
            this.validate = validate;
            return this;
        }

        /**
         * Sets the client's address, REMOTE_ADDR and REMOTE_PORT.
         *
         * @param address an IP literal; IPv6 is normalised to RFC 5952 text without brackets
         * @param port the client port
         * @return this builder
         */
        public Builder remote(String address, int port) {
            this.remoteAddress = Objects.requireNonNull(address, "address");
            this.remotePort = checkPort(port);
            return this;
        }

        /**
         * Sets {@code jgi.url_scheme}: whether the simulated connection is TLS.
         *
         * @param scheme {@code "http"} (the default) or {@code "https"}
         * @return this builder
         */
        public Builder scheme(String scheme) {
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("scheme must be http or https: " + scheme);
            }
            this.scheme = scheme;
            return this;
        }

        /**
         * Sets the server's name and port: the default Host header of requests, and the local
         * address SERVER_NAME and SERVER_PORT fall back to when a request has no Host.
         *
         * @param name a host name or IP literal (default {@code "localhost"})
         * @param port the port (default 80, or 443 for https)
         * @return this builder
         */
        public Builder server(String name, int port) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("server name must not be empty");
            }
            this.serverName = name;
            this.serverPort = checkPort(port);
            return this;
        }

        /**
         * Sets the request-body limit a server would enforce: a larger declared Content-Length is
         * answered 413 before the application runs, and reading past the limit from a chunked
         * body throws {@link dev.jgi.gateway.RequestBodyTooLargeException}.
         *
         * @param bytes the limit, or {@code -1} for none (the default)
         * @return this builder
         */
        public Builder bodyLimit(long bytes) {
            if (bytes < -1) {
                throw new IllegalArgumentException("body limit must be -1 or non-negative: " + bytes);
            }
            this.bodyLimit = bytes;
            return this;
        }

        /**
         * Builds the client.
         *
         * @return the client
         */
        public TestClient build() {
            return new TestClient(this);
        }

        private static int checkPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            return port;
        }
    }
}

package dev.jgi.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.ClientDisconnectedException;
import dev.jgi.Covers;
import dev.jgi.Environ;
import dev.jgi.FileWrapper;
import dev.jgi.Header;
import dev.jgi.gateway.BodyInput;
import dev.jgi.validate.ValidationError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The TestClient's own behaviour: what it sends, what it records, what it refuses. */
class TestClientTest {

    private static final List<Header> TEXT = List.of(Header.of("Content-Type", "text/plain"));

    /** Answers 200 with the request body, and keeps the environ in the response. */
    private static final Application ECHO = (environ, sr) -> {
        byte[] in = Environ.of(environ).input().readAllBytes();
        sr.start("200 OK", TEXT);
        return Body.of(in);
    };

    /** Answers 200 without reading the request body. */
    private static final Application IGNORE_BODY = (environ, sr) -> {
        sr.start("200 OK", TEXT);
        return Body.ofUtf8("ignored");
    };

    private static TestClient client(Application app) {
        return TestClient.builder(app).validate(false).build();
    }

    // --- the environ the client builds ------------------------------------------------------------

    @Test
    @Covers({"environ.required", "environ.request-uri"})
    void defaults() {
        TestResponse r = client(ECHO).get("/a/b?x=1");
        Map<String, Object> env = r.environ();
        assertEquals("GET", env.get(Environ.REQUEST_METHOD));
        assertEquals("", env.get(Environ.SCRIPT_NAME));
        assertEquals("/a/b", env.get(Environ.PATH_INFO));
        assertEquals("x=1", env.get(Environ.QUERY_STRING));
        assertEquals("/a/b?x=1", env.get(Environ.REQUEST_URI));
        assertEquals("HTTP/1.1", env.get(Environ.SERVER_PROTOCOL));
        assertEquals("localhost", env.get("HTTP_HOST"));
        assertEquals("localhost", env.get(Environ.SERVER_NAME));
        assertEquals("80", env.get(Environ.SERVER_PORT));
        assertEquals("127.0.0.1", env.get(Environ.REMOTE_ADDR));
        assertEquals("40000", env.get(Environ.REMOTE_PORT));
        assertEquals("http", env.get(Environ.JGI_URL_SCHEME));
        assertEquals(TestClient.SERVER_SOFTWARE, env.get(Environ.SERVER_SOFTWARE));
        assertInstanceOf(FileWrapper.class, env.get(Environ.JGI_FILE_WRAPPER));
        assertSame(BodyInput.EMPTY, env.get(Environ.JGI_INPUT));
        assertFalse(env.containsKey(Environ.CONTENT_LENGTH));
        assertFalse(env.containsKey(Environ.CONTENT_TYPE));
        assertEquals("", r.errors());
        assertFalse(r.continueSent());
    }

    @Test
    @Covers({"environ.url-scheme", "environ.server", "environ.remote-addr"})
    void serverSchemeAndRemoteAreConfigurable() {
        TestClient c = TestClient.builder(ECHO).scheme("https").server("api.example", 8443).remote("2001:DB8:0:0:0:0:0:1", 5555).build();
        Map<String, Object> env = c.get("/").environ();
        assertEquals("https", env.get(Environ.JGI_URL_SCHEME));
        assertEquals("api.example:8443", env.get("HTTP_HOST"));
        assertEquals("api.example", env.get(Environ.SERVER_NAME));
        assertEquals("8443", env.get(Environ.SERVER_PORT));
        assertEquals("2001:db8::1", env.get(Environ.REMOTE_ADDR));
        assertEquals("5555", env.get(Environ.REMOTE_PORT));

        env = TestClient.builder(ECHO).scheme("https").build().get("/").environ();
        assertEquals("localhost", env.get("HTTP_HOST"), "the default port is left out of Host");
        assertEquals("443", env.get(Environ.SERVER_PORT));

        env = TestClient.builder(ECHO).server("::1", 8080).build().get("/").environ();
        assertEquals("[::1]:8080", env.get("HTTP_HOST"));
        assertEquals("[::1]", env.get(Environ.SERVER_NAME));
    }

    @Test
    @Covers({"request.no-host", "environ.protocol"})
    void http10SendsNoHostSoTheServerAddressIsUsed() {
        TestClient c = TestClient.builder(ECHO).server("srv.example", 8080).build();
        Map<String, Object> env = c.request("GET", "/").protocol("HTTP/1.0").send().environ();
        assertEquals("HTTP/1.0", env.get(Environ.SERVER_PROTOCOL));
        assertFalse(env.containsKey("HTTP_HOST"));
        assertEquals("srv.example", env.get(Environ.SERVER_NAME));
        assertEquals("8080", env.get(Environ.SERVER_PORT));

        env = TestClient.builder(ECHO).server("::1", 81).build().request("GET", "/").protocol("HTTP/1.0").send().environ();
        assertEquals("[::1]", env.get(Environ.SERVER_NAME));
    }

    @Test
    @Covers({"request.host", "environ.server"})
    void anExplicitHostReplacesTheDefault() {
        TestResponse r = TestClient.of(ECHO).request("GET", "/").header("Host", "other.example:81").send();
        assertEquals("other.example:81", r.environ().get("HTTP_HOST"));
        assertEquals("other.example", r.environ().get(Environ.SERVER_NAME));
        assertEquals("81", r.environ().get(Environ.SERVER_PORT));
        assertEquals(400, TestClient.of(ECHO).request("GET", "/").header("Host", "a.example").header("Host", "b.example").send().status());
    }

    @Test
    @Covers({"headers.join", "headers.cookie-join", "headers.underscore"})
    void headersAreJoinedAndFilteredLikeOnAServer() {
        Map<String, Object> env = TestClient.of(ECHO).request("GET", "/")
                .header("Accept", "text/html").header("accept", "*/*")
                .header("Cookie", "a=1").header("Cookie", "b=2")
                .header("X-Forwarded-For", "10.0.0.1").header("X_Forwarded_For", "6.6.6.6")
                .send().environ();
        assertEquals("text/html, */*", env.get("HTTP_ACCEPT"));
        assertEquals("a=1; b=2", env.get("HTTP_COOKIE"));
        assertEquals("10.0.0.1", env.get("HTTP_X_FORWARDED_FOR"));
    }

    @Test
    @Covers({"request.absolute-form", "request.options-asterisk", "path.decode", "request.query-empty"})
    void targetForms() {
        Map<String, Object> env = TestClient.of(ECHO).get("http://api.example:8080/v1?q").environ();
        assertEquals("api.example", env.get(Environ.SERVER_NAME));
        assertEquals("8080", env.get(Environ.SERVER_PORT));
        assertEquals("/v1?q", env.get(Environ.REQUEST_URI));

        env = TestClient.builder(ECHO).mount("/app").build().request("OPTIONS", "*").send().environ();
        assertEquals("*", env.get(Environ.REQUEST_URI));
        assertEquals("/app", env.get(Environ.SCRIPT_NAME));
        assertEquals("", env.get(Environ.PATH_INFO));

        env = TestClient.of(ECHO).get("/caf%C3%A9/a%20b?").environ();
        assertEquals("/café/a b", env.get(Environ.PATH_INFO));
        assertEquals("/caf%C3%A9/a%20b", env.get(Environ.REQUEST_URI));
    }

    // --- rejected requests ---------------------------------------------------------------------------

    @Test
    @Covers({"server.call", "path.encoded-slash", "path.mount", "input.limit", "request.content-length",
        "path.chars", "environ.query-string"})
    void rejectedRequestsNeverReachTheApplication() {
        AtomicInteger calls = new AtomicInteger();
        TestClient c = TestClient.builder((env, sr) -> {
            calls.incrementAndGet();
            return ECHO.call(env, sr);
        }).mount("/app").bodyLimit(4).build();

        TestResponse r = c.get("/app/a%2Fb");
        assertEquals(400, r.status());
        assertEquals("Bad Request", r.reason());
        assertTrue(r.text().startsWith("400 Bad Request\n"), r.text());
        assertEquals(r.body().length, r.contentLength());
        assertNull(r.environ());

        assertEquals(404, c.get("/elsewhere").status());
        assertEquals(404, c.get("/").status());
        assertEquals(413, c.request("PUT", "/app/x").body("12345").send().status());
        assertEquals(400, c.request("POST", "/app/x").header("Content-Length", "x").send().status());

        TestResponse headReject = c.request("HEAD", "/elsewhere").send();
        assertEquals(404, headReject.status());
        assertEquals(0, headReject.body().length);
        assertEquals(List.of("headers", "finish"), headReject.events());

        assertEquals(400, c.get("/app/a b").status());
        assertEquals(400, c.get("/app/x?q=a b").status());
        assertEquals(400, c.get("/app/x?q=a#frag").status());
        assertEquals(400, c.get("/app/x?q=\t").status());
        assertEquals(400, c.get("/app/caf\u00e9").status());

        assertEquals(0, calls.get());
        assertEquals(200, c.request("PUT", "/app/x").body("1234").send().status());
        assertEquals(1, calls.get());
    }

    // --- request bodies ------------------------------------------------------------------------------

    @Test
    @Covers("environ.content-length")
    void postSendsContentTypeAndLength() {
        TestResponse r = TestClient.of(ECHO).post("/form", "a=1&b=2".getBytes(StandardCharsets.US_ASCII), "application/x-www-form-urlencoded");
        assertEquals("application/x-www-form-urlencoded", r.environ().get(Environ.CONTENT_TYPE));
        assertEquals("7", r.environ().get(Environ.CONTENT_LENGTH));
        assertEquals("a=1&b=2", r.text());
        assertEquals(7, r.contentLength());
    }

    @Test
    @Covers({"environ.content-length", "input.eof"})
    void emptyBodyIsDeclaredAsZero() {
        TestResponse r = client(ECHO).request("POST", "/").body(new byte[0]).send();
        assertEquals("0", r.environ().get(Environ.CONTENT_LENGTH));
        assertSame(BodyInput.EMPTY, r.environ().get(Environ.JGI_INPUT));
    }

    @Test
    @Covers({"headers.transfer-encoding", "input.terminated"})
    void chunkedBodyHasNoLengthAndNoTransferEncodingInTheEnviron() {
        byte[] data = new byte[100_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        TestResponse r = TestClient.of(ECHO).request("PUT", "/").body(data).chunked().send();
        assertFalse(r.environ().containsKey(Environ.CONTENT_LENGTH));
        assertFalse(r.environ().containsKey("HTTP_TRANSFER_ENCODING"));
        assertArrayEquals(data, r.body());
    }

    @Test
    @Covers({"headers.transfer-encoding", "input.terminated"})
    void chunkedWinsOverAContentLengthSentAlongside() {
        TestResponse r = TestClient.of(ECHO).request("PUT", "/").header("Content-Length", "3").body("0123456789").chunked().send();
        assertFalse(r.environ().containsKey(Environ.CONTENT_LENGTH));
        assertEquals("0123456789", r.text(), "the whole chunked body, not the first 3 bytes");
    }

    @Test
    @Covers("input.disconnect")
    void declaredLengthLongerThanTheBodyLooksLikeAClientThatWentAway() {
        AtomicReference<IOException> seen = new AtomicReference<>();
        TestResponse r = TestClient.of((env, sr) -> {
            try {
                Environ.of(env).input().readAllBytes();
            } catch (IOException e) {
                seen.set(e);
            }
            sr.start("200 OK", TEXT);
            return Body.empty();
        }).request("POST", "/").header("Content-Length", "10").body("abc").send();
        assertEquals("10", r.environ().get(Environ.CONTENT_LENGTH));
        assertInstanceOf(ClientDisconnectedException.class, seen.get());
    }

    @Test
    @Covers("input.limit")
    void chunkedBodyOverTheLimitIs413WhenTheApplicationReadsIt() {
        TestClient c = TestClient.builder(ECHO).bodyLimit(10).build();
        assertEquals(413, c.request("PUT", "/").body("0123456789A").chunked().send().status());
        assertEquals(200, c.request("PUT", "/").body("0123456789").chunked().send().status());
    }

    // --- Expect: 100-continue ------------------------------------------------------------------------

    @Test
    @Covers("response.expect-continue")
    void continueIsSentWhenTheApplicationFirstReads() {
        TestResponse r = TestClient.of(ECHO).request("PUT", "/").body("data").expectContinue().send();
        assertTrue(r.continueSent());
        assertEquals("100-continue", r.environ().get("HTTP_EXPECT"));
        assertEquals(List.of("continue", "headers", "chunk:4", "close", "finish"), r.events());
    }

    @Test
    @Covers({"response.expect-continue", "input.unread"})
    void continueIsNotSentWhenTheApplicationAnswersWithoutReading() {
        TestResponse r = TestClient.of(IGNORE_BODY).request("PUT", "/").body("data").expectContinue().send();
        assertFalse(r.continueSent());
        assertFalse(r.events().contains("continue"));
    }

    @Test
    @Covers("response.expect-continue")
    void continueIsNeverSentToAnHttp10Client() {
        TestResponse r = TestClient.of(ECHO).request("PUT", "/").protocol("HTTP/1.0").body("data").expectContinue().send();
        assertEquals("data", r.text());
        assertFalse(r.continueSent());
    }

    @Test
    @Covers("response.expect-continue")
    void continueIsNotSentWithoutExpect() {
        assertFalse(TestClient.of(ECHO).request("PUT", "/").body("data").send().continueSent());
    }

    // --- the response ----------------------------------------------------------------------------------

    @Test
    @Covers({"response.repeated-headers", "response.reason-phrase"})
    void responseAccessors() {
        TestResponse r = client((env, sr) -> {
            sr.start("201 Made It", List.of(Header.of("Set-Cookie", "a=1"), Header.of("X-One", "1"), Header.of("set-cookie", "b=2")));
            return Body.of("héllo".getBytes(StandardCharsets.UTF_8));
        }).get("/");
        assertEquals(201, r.status());
        assertEquals("Made It", r.reason());
        assertEquals("a=1", r.header("SET-COOKIE"));
        assertEquals(List.of("a=1", "b=2"), r.headers("Set-Cookie"));
        assertEquals(List.of(), r.headers("X-Missing"));
        assertNull(r.header("X-Missing"));
        assertEquals("6", r.header("content-length"));
        assertEquals(4, r.headers().size());
        assertEquals("héllo", r.text());
        byte[] body = r.body();
        body[0] = 'X';
        assertEquals("héllo", r.text(), "body() returns a copy");
        assertThrows(UnsupportedOperationException.class, () -> r.headers().add(Header.of("a", "b")));
        assertThrows(UnsupportedOperationException.class, () -> r.events().add("x"));
        assertTrue(r.toString().startsWith("201 Made It"), r.toString());
    }

    @Test
    @Covers("server.log")
    void errorsCollectsWhatTheApplicationAndTheGatewayWrote() {
        TestResponse r = client((env, sr) -> {
            Environ.of(env).errors().println("app says hi");
            throw new IllegalStateException("kaput");
        }).get("/");
        assertTrue(r.errors().startsWith("app says hi\n"), r.errors());
        assertTrue(r.errors().contains("kaput"));
        assertEquals(500, r.status());
    }

    @Test
    @Covers("environ.fresh")
    void eachSendIsANewExchange() {
        TestRequest req = TestClient.of(ECHO).request("PUT", "/").body("x");
        TestResponse a = req.send();
        TestResponse b = req.send();
        assertNotSame(a.environ(), b.environ());
        assertEquals("x", a.text());
        assertEquals("x", b.text());
    }

    @Test
    void clientIsSafeToShareBetweenThreads() throws Exception {
        TestClient c = TestClient.of(ECHO);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            String body = "thread-" + t;
            Thread th = new Thread(() -> {
                try {
                    for (int i = 0; i < 50; i++) {
                        TestResponse r = c.request("PUT", "/").body(body).send();
                        assertEquals(body, r.text());
                        assertEquals("", r.errors());
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join(60_000);
        }
        assertEquals(List.of(), failures);
    }

    // --- assertion errors are the test's, not a 500 ----------------------------------------------------

    @Test
    void assertionErrorFromTheApplicationIsRethrownAfterTheExchange() {
        AssertionError failed = new AssertionError("expected PATH_INFO /x");
        AtomicInteger closes = new AtomicInteger();
        TestClient c = TestClient.of((env, sr) -> {
            sr.start("200 OK", TEXT);
            return Body.from(() -> new java.util.Iterator<byte[]>() {
                @Override
                public boolean hasNext() {
                    return true;
                }

                @Override
                public byte[] next() {
                    throw failed;
                }
            }, closes::incrementAndGet);
        });
        AssertionError thrown = assertThrows(AssertionError.class, () -> c.get("/"));
        assertSame(failed, thrown);
        assertEquals(1, closes.get(), "the body is still closed before the error reaches the test");
    }

    @Test
    void assertionErrorFromCallIsRethrown() {
        TestClient c = TestClient.of((env, sr) -> {
            throw new AssertionError("in call");
        });
        assertEquals("in call", assertThrows(AssertionError.class, () -> c.get("/")).getMessage());
    }

    @Test
    @Covers("response.error-500")
    void otherExceptionsBecomeTheServers500() {
        TestResponse r = TestClient.of((env, sr) -> {
            throw new IllegalArgumentException("not an assertion");
        }).get("/");
        assertEquals(500, r.status());
    }

    // --- validation -------------------------------------------------------------------------------------

    /** Closes jgi.input, which only the validator notices: the gateway's input ignores close(). */
    private static final Application CLOSES_INPUT = (env, sr) -> {
        Environ.of(env).input().close();
        sr.start("200 OK", TEXT);
        return Body.empty();
    };

    @Test
    @Covers("input.close")
    void validationIsOnByDefault() {
        ValidationError e = assertThrows(ValidationError.class, () -> TestClient.of(CLOSES_INPUT).get("/"));
        assertEquals("input.close", e.rule());
    }

    @Test
    void validationCanBeTurnedOff() {
        assertEquals(200, client(CLOSES_INPUT).get("/").status());
        assertEquals(200, TestClient.builder(CLOSES_INPUT).validate(false).build().get("/").status());
    }

    @Test
    void validatorSeesTheSameEnvironTheTestGetsBack() {
        TestResponse r = TestClient.of(ECHO).request("PUT", "/x").body("abc").send();
        assertEquals("abc", r.text());
        assertEquals("/x", r.environ().get(Environ.PATH_INFO));
        assertFalse(r.environ().get(Environ.JGI_INPUT) instanceof BodyInput, "the validator's checked input was handed to the app");
    }

    // --- misuse ----------------------------------------------------------------------------------------

    @Test
    void requestsNoClientCouldSendAreRefused() {
        TestClient c = TestClient.of(ECHO);
        assertThrows(IllegalArgumentException.class, () -> c.request("GE T", "/"));
        assertThrows(IllegalArgumentException.class, () -> c.request("", "/"));
        assertThrows(IllegalArgumentException.class, () -> c.request("GET", "/").header("X A", "1"));
        assertThrows(IllegalArgumentException.class, () -> c.request("GET", "/").header("X-A", "1\r\nX-B: 2"));
        assertThrows(IllegalArgumentException.class, () -> c.request("GET", "/").header("X-A", "\u20ac"));
        assertThrows(IllegalArgumentException.class, () -> c.request("GET", "/").header("Transfer-Encoding", "chunked"));
        assertThrows(IllegalArgumentException.class, () -> c.request("GET", "/").protocol("HTTP/3"));
        assertThrows(IllegalArgumentException.class, () -> c.request("GET", "/").disconnectAfter(-1));
        assertThrows(IllegalArgumentException.class, () -> c.get("relative"));
        assertThrows(NullPointerException.class, () -> c.request("GET", null));
    }

    @Test
    void builderRefusesNonsense() {
        assertThrows(NullPointerException.class, () -> TestClient.builder(null));
        assertThrows(IllegalArgumentException.class, () -> TestClient.builder(ECHO).scheme("ftp"));
        assertThrows(IllegalArgumentException.class, () -> TestClient.builder(ECHO).server("", 80));
        assertThrows(IllegalArgumentException.class, () -> TestClient.builder(ECHO).server("h", 70000));
        assertThrows(IllegalArgumentException.class, () -> TestClient.builder(ECHO).remote("1.2.3.4", -1));
        assertThrows(IllegalArgumentException.class, () -> TestClient.builder(ECHO).mount("app"));
        assertThrows(IllegalArgumentException.class, () -> TestClient.builder(ECHO).bodyLimit(-2));
    }

    @Test
    @Covers({"path.mount", "environ.script-name"})
    void mountIsNormalised() {
        TestClient c = TestClient.builder(ECHO).mount("/app/").build();
        assertEquals("/app", c.get("/app/x").environ().get(Environ.SCRIPT_NAME));
        assertEquals("", c.get("/app").environ().get(Environ.PATH_INFO));
        assertEquals("", TestClient.builder(ECHO).mount("/").build().get("/x").environ().get(Environ.SCRIPT_NAME));
    }
}

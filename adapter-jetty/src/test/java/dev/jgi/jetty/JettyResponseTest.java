package dev.jgi.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.Header;
import dev.jgi.Write;
import dev.jgi.conformance.http.HttpConnection;
import dev.jgi.conformance.http.Response;
import dev.jgi.conformance.testing.GatedChunks;
import dev.jgi.gateway.RequestBodyTooLargeException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What reaches the wire: status, headers, framing, HEAD and bodyless statuses, errors, streaming. */
class JettyResponseTest {

    static final TestSupport.Log LOG = new TestSupport.Log();
    static final AtomicInteger CALLS = new AtomicInteger();
    /** Counted down by the client once it has the first chunk; the application waits for it. */
    static volatile CountDownLatch firstChunkSeen = new CountDownLatch(1);
    static JettyServer server;

    static final Application APP = (environ, start) -> {
        CALLS.incrementAndGet();
        String q = (String) environ.get("QUERY_STRING");
        switch (q) {
            case "cookies":
                start.start("200 OK", List.of(Header.of("Set-Cookie", "a=1"), Header.of("X-Order", "1"),
                        Header.of("Set-Cookie", "b=2")));
                return Body.ofUtf8("ok");
            case "date":
                start.start("200 OK", List.of(Header.of("Date", "Sun, 06 Nov 1994 08:49:37 GMT")));
                return Body.ofUtf8("ok");
            case "server":
                start.start("200 OK", List.of(Header.of("Server", "mine")));
                return Body.ofUtf8("ok");
            case "chunks":
                start.start("200 OK", List.of(Header.of("Content-Type", "text/plain")));
                return Body.from(List.of("ab".getBytes(), "cd".getBytes(), "ef".getBytes()), null);
            case "declared":
                start.start("200 OK", List.of(Header.of("Content-Length", "6")));
                return Body.from(List.of("ab".getBytes(), "cd".getBytes(), "ef".getBytes()), null);
            case "empty":
                start.start("200 OK", List.of());
                return Body.empty();
            case "204":
                start.start("204 No Content", List.of());
                return Body.ofUtf8("dropped");
            case "304":
                start.start("304 Not Modified", List.of(Header.of("Content-Length", "10"), Header.of("ETag", "\"e\"")));
                return Body.empty();
            case "304-bare":
                start.start("304 Not Modified", List.of(Header.of("ETag", "\"e\"")));
                return Body.empty();
            case "form-type":
                start.start("200 OK", List.of());
                return Body.ofUtf8(String.valueOf(environ.get("CONTENT_TYPE")));
            case "reason":
                start.start("299 Very Custom", List.of());
                return Body.ofUtf8("ok");
            case "reason-known":
                start.start("200 Fine Thanks", List.of());
                return Body.ofUtf8("ok");
            case "reason-empty":
                start.start("404 ", List.of());
                return Body.ofUtf8("ok");
            case "reason-latin1":
                start.start("200 Caf\u00e9", List.of());
                return Body.ofUtf8("ok");
            case "latin1":
                start.start("200 OK", List.of(Header.of("X-Latin", "caf\u00e9")));
                return Body.ofUtf8("ok");
            case "boom":
                throw new IllegalStateException("secret detail");
            case "late-boom":
                start.start("200 OK", List.of());
                return Body.from(() -> new Iterator<byte[]>() {
                    int i;

                    @Override
                    public boolean hasNext() {
                        return true;
                    }

                    @Override
                    public byte[] next() {
                        if (i++ == 0) {
                            return "first".getBytes();
                        }
                        throw new IllegalStateException("late failure");
                    }
                }, null);
            case "short":
                start.start("200 OK", List.of(Header.of("Content-Length", "100")));
                return Body.from(List.of("only-this".getBytes()), null);
            case "stream":
                start.start("200 OK", List.of());
                return GatedChunks.of("one|".getBytes(), "two".getBytes(), firstChunkSeen, Duration.ofSeconds(30), null);
            case "write": {
                Write w = start.start("200 OK", List.of());
                w.write("one|".getBytes());
                try {
                    if (!firstChunkSeen.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("written chunk never reached the client");
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return Body.ofUtf8("two");
            }
            case "read": {
                InputStream in = (InputStream) environ.get("jgi.input");
                byte[] all = in.readAllBytes();
                start.start("200 OK", List.of());
                return Body.ofUtf8("read " + all.length);
            }
            default:
                start.start("200 OK", List.of(Header.of("Content-Type", "text/plain")));
                return Body.ofUtf8("hello");
        }
    };

    @BeforeAll
    static void start() throws Exception {
        server = TestSupport.server(APP).errors(LOG.writer).bodyLimit(1000).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Response get(String query) throws Exception {
        return TestSupport.exchange(server.port(), "GET /?" + query + " HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
    }

    /** A HEAD request; the exchange checks that the response carries no body bytes. */
    private static Response head(String query) throws Exception {
        return TestSupport.exchange(server.port(), "HEAD /?" + query + " HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
    }

    @Test
    void repeatedHeadersAreSentAsRepeatedFieldsInOrder() throws Exception {
        Response r = get("cookies");
        assertEquals(List.of("a=1", "b=2"), r.headers("Set-Cookie"));
        assertEquals("1", r.header("X-Order"));
    }

    @Test
    void exactlyOneDateHeaderAndNoServerHeader() throws Exception {
        Response r = get("plain");
        assertEquals(1, r.headers("Date").size(), r::toString);
        assertTrue(r.headers("Server").isEmpty(), r::toString);
        assertEquals("HTTP/1.1 200 OK", r.head().statusLine());
        assertEquals("5", r.header("Content-Length"));
        assertEquals("hello", r.text());
    }

    @Test
    void applicationDateReplacesJettysAndServerIsTheApplications() throws Exception {
        Response r = get("date");
        assertEquals(List.of("Sun, 06 Nov 1994 08:49:37 GMT"), r.headers("Date"));
        Response s = get("server");
        assertEquals(List.of("mine"), s.headers("Server"));
        assertEquals(1, s.headers("Date").size());
    }

    @Test
    void unknownLengthIsChunkedOnHttp11AndCloseDelimitedOnHttp10() throws Exception {
        // "Connection: close" on the request: still chunked, so that an abort stays visible
        Response r = get("chunks");
        assertEquals(List.of("chunked"), r.headers("Transfer-Encoding"));
        assertNull(r.header("Content-Length"));
        assertTrue(r.complete());
        assertEquals("abcdef", r.text());

        Response old = TestSupport.exchange(server.port(), "GET /?chunks HTTP/1.0\r\n\r\n");
        assertNull(old.header("Transfer-Encoding"));
        assertNull(old.header("Content-Length"));
        assertEquals("abcdef", old.text());
    }

    @Test
    void declaredContentLengthIsSentOnce() throws Exception {
        Response r = get("declared");
        assertEquals(List.of("6"), r.headers("Content-Length"));
        assertNull(r.header("Transfer-Encoding"));
        assertEquals("abcdef", r.text());
    }

    @Test
    void emptyBodyHasContentLengthZero() throws Exception {
        Response r = get("empty");
        assertEquals("0", r.header("Content-Length"));
        assertEquals(0, r.body().length);
    }

    @Test
    void headSendsTheGetHeadersWithoutABody() throws Exception {
        assertEquals("5", head("plain").header("Content-Length"));
        assertEquals("6", head("declared").header("Content-Length"));
        assertEquals("0", head("empty").header("Content-Length"));
        Response unknown = head("chunks");
        // the GET length is unknown: no Content-Length rather than a wrong one
        assertNull(unknown.header("Content-Length"));
        assertEquals("text/plain", unknown.header("Content-Type"));
    }

    @Test
    void noContentAndNotModified() throws Exception {
        Response r = TestSupport.exchange(server.port(), "GET /?204 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        assertEquals(204, r.status());
        assertNull(r.header("Content-Length"));
        assertNull(r.header("Transfer-Encoding"));
        // here and below, the exchange checks that no body bytes follow
        assertTrue(LOG.awaitContains("[body.no-content]"));

        Response nm = TestSupport.exchange(server.port(), "GET /?304 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        assertEquals(304, nm.status());
        assertEquals("10", nm.header("Content-Length"));

        Response bare = TestSupport.exchange(server.port(), "GET /?304-bare HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        assertEquals(304, bare.status());
        assertNull(bare.header("Content-Length"), "a 304 without a declared length must not claim 0");
        assertNull(bare.header("Transfer-Encoding"));
    }

    @Test
    void applicationsReasonPhraseIsSentUnchanged() throws Exception {
        assertEquals("HTTP/1.1 299 Very Custom", get("reason").head().statusLine());
        assertEquals("HTTP/1.1 200 Fine Thanks", get("reason-known").head().statusLine());
        assertEquals("HTTP/1.1 404 ", get("reason-empty").head().statusLine());
        assertEquals("HTTP/1.1 200 Caf\u00e9", get("reason-latin1").head().statusLine());
        assertEquals("HTTP/1.1 200 OK", get("plain").head().statusLine());
        assertEquals("HTTP/1.1 299 Very Custom", head("reason").head().statusLine());
        Response old = TestSupport.exchange(server.port(), "GET /?reason HTTP/1.0\r\n\r\n");
        assertTrue(old.head().statusLine().endsWith(" 299 Very Custom"), old.head().statusLine());
    }

    @Test
    void requestHeaderValuesArriveAsSent() throws Exception {
        // Jetty's header cache would hand out its own spelling, "charset=utf-8"
        Response r = TestSupport.exchange(server.port(), "POST /?form-type HTTP/1.1\r\nHost: h\r\n"
                + "Content-Type: application/x-www-form-urlencoded; charset=UTF-8\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        assertEquals("application/x-www-form-urlencoded; charset=UTF-8", r.text());
    }

    @Test
    void latin1HeaderValueIsSentAsOneByte() throws Exception {
        Response r = get("latin1");
        assertEquals("caf\u00e9", r.header("X-Latin"));
    }

    @Test
    void exceptionBeforeCommitIs500WithoutStackTrace() throws Exception {
        Response r = get("boom");
        assertEquals(500, r.status());
        assertTrue(r.header("Content-Type").startsWith("text/plain"));
        assertFalse(r.text().contains("secret detail"), r.text());
        assertTrue(LOG.awaitContains("secret detail"), "the stack trace goes to jgi.errors");
    }

    @Test
    void exceptionAfterCommitAbortsTheConnectionMidChunkedBody() throws Exception {
        // keep-alive request: only an abort, not the end of the response, closes the connection
        for (String connection : List.of("", "Connection: close\r\n")) {
            Response r = TestSupport.exchange(server.port(), "GET /?late-boom HTTP/1.1\r\nHost: h\r\n" + connection + "\r\n");
            assertEquals(200, r.status());
            assertEquals("chunked", r.header("Transfer-Encoding"));
            assertEquals("first", r.text());
            assertFalse(r.complete(), "the client must see that the body is incomplete");
        }
        assertTrue(LOG.awaitContains("late failure"));
    }

    @Test
    void bodyShorterThanContentLengthAbortsTheConnection() throws Exception {
        Response r = TestSupport.exchange(server.port(), "GET /?short HTTP/1.1\r\nHost: h\r\n\r\n");
        assertEquals("100", r.header("Content-Length"));
        assertEquals("only-this", r.text());
        assertFalse(r.complete());
    }

    @Test
    void eachChunkIsOnTheWireBeforeTheNextIsAskedFor() throws Exception {
        for (String mode : List.of("stream", "write")) {
            firstChunkSeen = new CountDownLatch(1);
            try (HttpConnection c = TestSupport.connect(server.port())) {
                c.sendRaw("GET /?" + mode + " HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
                Response.Head head = c.readHead();
                HttpConnection.BodyStream body = c.body(head, "GET");
                String first = new String(body.readAtLeast(4), StandardCharsets.ISO_8859_1);
                assertEquals("one|", first, () -> mode + ": the first chunk, before the connection ended");
                firstChunkSeen.countDown();
                assertEquals("one|two", first + new String(body.readAll(), StandardCharsets.ISO_8859_1), mode);
                assertTrue(body.complete(), mode);
                assertEquals(0, c.readToClose().length, mode + ": nothing after the response, then the close");
            }
        }
    }

    @Test
    void persistentConnectionServesSeveralRequests() throws Exception {
        try (HttpConnection c = TestSupport.connect(server.port())) {
            c.sendRaw("GET /?plain HTTP/1.1\r\nHost: h\r\n\r\n"
                    + "GET /?chunks HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
            Response first = c.readResponse("GET");
            assertEquals("hello", first.text());
            Response second = c.readResponse("GET");
            assertEquals("abcdef", second.text());
            assertTrue(second.complete());
            assertEquals(0, c.readToClose().length, "nothing after the second response, then the close");
        }
    }

    @Test
    void declaredBodyOverTheLimitIs413BeforeTheApplication() throws Exception {
        int before = CALLS.get();
        Response r = TestSupport.exchange(server.port(), "POST /?read HTTP/1.1\r\nHost: h\r\nContent-Length: 5000\r\n"
                + "Connection: close\r\n\r\n");
        assertEquals(413, r.status());
        assertEquals(before, CALLS.get(), "the application must not run");
    }

    @Test
    void chunkedBodyOverTheLimitIs413FromTheInputStream() throws Exception {
        String chunk = "x".repeat(600);
        Response r = TestSupport.exchange(server.port(), "POST /?read HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n258\r\n" + chunk + "\r\n258\r\n" + chunk + "\r\n0\r\n\r\n");
        assertEquals(413, r.status(), r::toString);
        assertTrue(LOG.awaitContains(RequestBodyTooLargeException.class.getName()));
    }
}

package dev.jgi.undertow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.Environ;
import dev.jgi.Header;
import dev.jgi.Write;
import dev.jgi.conformance.http.HttpConnection;
import dev.jgi.conformance.http.Response;
import dev.jgi.conformance.testing.GatedChunks;
import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What reaches the wire: status line, headers, framing, streaming, aborts. */
class ResponseTest {

    static UndertowServer server;
    static final TestServers.Log log = new TestServers.Log();
    static final Map<String, CountDownLatch> latches = new ConcurrentHashMap<>();
    static final AtomicInteger closes = new AtomicInteger();

    static final Application APP = (environ, start) -> {
        String path = Environ.of(environ).pathInfo();
        switch (path) {
            case "/reason":
                start.start("299 Very Fine Indeed", List.of(Header.of("Content-Type", "text/plain")));
                return Body.ofUtf8("ok");
            case "/empty-reason":
                start.start("200 ", List.of());
                return Body.ofUtf8("ok");
            case "/cookies":
                start.start("200 OK", List.of(Header.of("Set-Cookie", "a=1"), Header.of("Set-Cookie", "b=2"),
                        Header.of("X-Mixed-CASE", "v")));
                return Body.empty();
            case "/one-chunk":
                start.start("200 OK", List.of());
                return Body.ofUtf8("hello");
            case "/chunks":
                start.start("200 OK", List.of());
                return Body.from(List.of("a".getBytes(), "bb".getBytes(), new byte[0], "ccc".getBytes()), closes::incrementAndGet);
            case "/declared":
                start.start("200 OK", List.of(Header.of("Content-Length", "6")));
                return Body.from(List.of("abc".getBytes(), "def".getBytes()), null);
            case "/date":
                start.start("200 OK", List.of(Header.of("Date", "Tue, 15 Nov 1994 08:12:31 GMT")));
                return Body.ofUtf8("x");
            case "/204":
                start.start("204 No Content", List.of());
                return Body.empty();
            case "/304":
                start.start("304 Not Modified", List.of(Header.of("Content-Length", "10"), Header.of("ETag", "\"e\"")));
                return Body.empty();
            case "/write": {
                Write w = start.start("200 OK", List.of());
                w.write("first,".getBytes());
                return Body.ofUtf8("second");
            }
            case "/stream": {
                CountDownLatch gate = latches.get(Environ.of(environ).queryString());
                start.start("200 OK", List.of(Header.of("Content-Type", "text/plain")));
                return GatedChunks.of("chunk1".getBytes(), "chunk2".getBytes(), gate, Duration.ofSeconds(20), closes::incrementAndGet);
            }
            case "/fail-after-commit":
                start.start("200 OK", List.of());
                return Body.from(() -> new Iterator<>() {
                    int i;

                    @Override
                    public boolean hasNext() {
                        return true;
                    }

                    @Override
                    public byte[] next() {
                        if (i++ == 0) {
                            return "partial".getBytes();
                        }
                        throw new IllegalStateException("boom after commit");
                    }
                }, closes::incrementAndGet);
            case "/short":
                start.start("200 OK", List.of(Header.of("Content-Length", "10")));
                return Body.from(List.of("abc".getBytes(), "d".getBytes()), null);
            case "/fail-before-commit":
                throw new IOException("boom before commit");
            case "/large": {
                byte[] big = new byte[5 << 20];
                for (int i = 0; i < big.length; i++) {
                    big[i] = (byte) i;
                }
                start.start("200 OK", List.of());
                return Body.of(big);
            }
            default:
                start.start("404 Not Found", List.of());
                return Body.ofUtf8("no " + path);
        }
    };

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.builder(APP).errors(log.writer).start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        org.junit.jupiter.api.Assertions.assertFalse(log.text().contains("server broke rule"), log::text);
    }

    static Response get(String target) throws Exception {
        return request("GET", target);
    }

    static Response request(String method, String target) throws Exception {
        try (HttpConnection r = TestServers.connect(server.port())) {
            return r.sendRaw(method + " " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").readResponse(method);
        }
    }

    @Test
    void theApplicationsReasonPhraseIsSent() throws Exception {
        assertEquals("HTTP/1.1 299 Very Fine Indeed", get("/reason").head().statusLine());
        assertEquals("HTTP/1.1 200 ", get("/empty-reason").head().statusLine());
    }

    @Test
    void repeatedHeadersAreSeparateFieldsAndNamesKeepTheirCase() throws Exception {
        Response r = get("/cookies");
        assertEquals(List.of("a=1", "b=2"), r.headers("Set-Cookie"));
        assertTrue(r.head().headers().stream().anyMatch(h -> h[0].equals("X-Mixed-CASE")), "header name case");
        assertEquals("0", r.header("Content-Length"));
    }

    @Test
    void aSingleChunkGetsAContentLengthAndSeveralAreChunked() throws Exception {
        Response one = get("/one-chunk");
        assertEquals("5", one.header("Content-Length"));
        assertNull(one.header("Transfer-Encoding"));
        assertEquals("hello", one.text());
        Response many = get("/chunks");
        assertNull(many.header("Content-Length"));
        assertEquals("chunked", many.header("Transfer-Encoding"));
        assertEquals("abbccc", many.text());
        assertTrue(many.complete());
        Response declared = get("/declared");
        assertEquals("6", declared.header("Content-Length"));
        assertEquals("abcdef", declared.text());
    }

    @Test
    void onHttp10AnUnknownLengthIsDelimitedByClosingTheConnection() throws Exception {
        try (HttpConnection r = TestServers.connect(server.port())) {
            r.sendRaw("GET /chunks HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            Response resp = r.readResponse("GET");
            assertEquals(200, resp.status());
            assertNull(resp.header("Transfer-Encoding"));
            assertNull(resp.header("Content-Length"));
            assertEquals("abbccc", resp.text()); // read to the end of the stream: the server closed it
        }
        try (HttpConnection r = TestServers.connect(server.port())) {
            r.sendRaw("GET /one-chunk HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            Response resp = r.readResponse("GET");
            assertEquals("5", resp.header("Content-Length"));
            r.sendRaw("GET /one-chunk HTTP/1.0\r\n\r\n");
            assertEquals("hello", r.readResponse("GET").text(), "a known length keeps an HTTP/1.0 keep-alive connection");
        }
    }

    @Test
    void exactlyOneDateHeader() throws Exception {
        assertEquals(1, get("/one-chunk").headers("Date").size());
        List<String> dates = get("/date").headers("Date");
        assertEquals(List.of("Tue, 15 Nov 1994 08:12:31 GMT"), dates);
    }

    @Test
    void headSendsTheLengthButNoBody() throws Exception {
        try (HttpConnection r = TestServers.connect(server.port())) {
            r.sendRaw("HEAD /one-chunk HTTP/1.1\r\nHost: x\r\n\r\n");
            Response head = r.readResponse("HEAD");
            assertEquals(200, head.status());
            assertEquals("5", head.header("Content-Length"));
            // the next response on the same connection starts right away: no body bytes were sent
            r.sendRaw("GET /one-chunk HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertEquals("hello", r.readResponse("GET").text());
        }
        try (HttpConnection r = TestServers.connect(server.port())) {
            r.sendRaw("HEAD /chunks HTTP/1.1\r\nHost: x\r\n\r\n");
            Response head = r.readResponse("HEAD");
            assertEquals(200, head.status());
            r.sendRaw("GET /one-chunk HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertEquals("HTTP/1.1 200 OK", r.readResponse("GET").head().statusLine());
        }
    }

    @Test
    void noContentAndNotModifiedHaveNoBody() throws Exception {
        try (HttpConnection r = TestServers.connect(server.port())) {
            r.sendRaw("GET /204 HTTP/1.1\r\nHost: x\r\n\r\n");
            Response nc = r.readResponse("GET");
            assertEquals(204, nc.status());
            assertNull(nc.header("Content-Length"));
            assertNull(nc.header("Transfer-Encoding"));
            r.sendRaw("GET /304 HTTP/1.1\r\nHost: x\r\n\r\n");
            Response nm = r.readResponse("GET");
            assertEquals(304, nm.status());
            assertEquals("10", nm.header("Content-Length"));
            assertEquals("\"e\"", nm.header("ETag"));
            r.sendRaw("GET /one-chunk HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertEquals("hello", r.readResponse("GET").text());
        }
    }

    @Test
    void writeCallableOutputComesFirst() throws Exception {
        assertEquals("first,second", get("/write").text());
    }

    @Test
    void eachChunkIsFlushedBeforeTheNextIsAskedFor() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        latches.put("g1", gate);
        try (HttpConnection r = TestServers.connect(server.port())) {
            r.sendRaw("GET /stream?g1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            Response.Head head = r.readHead();
            assertEquals("chunked", head.header("Transfer-Encoding"));
            assertEquals(6, Integer.parseInt(r.readLine(), 16));
            assertEquals("chunk1", r.readLine());
            gate.countDown();
            assertEquals(6, Integer.parseInt(r.readLine(), 16));
            assertEquals("chunk2", r.readLine());
            assertEquals(0, Integer.parseInt(r.readLine(), 16));
        }
    }

    @Test
    void anErrorAfterCommitCutsTheConnectionWithoutTheLastChunk() throws Exception {
        int before = closes.get();
        Response r = get("/fail-after-commit");
        assertEquals(200, r.status());
        assertEquals("partial", r.text());
        assertFalse(r.complete(), "the chunked body must not be terminated");
        assertTrue(log.text().contains("boom after commit"), log.text());
        awaitCloses(before);
    }

    @Test
    void aBodyShorterThanItsContentLengthCutsTheConnection() throws Exception {
        Response r = get("/short");
        assertEquals("10", r.header("Content-Length"));
        assertEquals("abcd", r.text());
        assertFalse(r.complete());
    }

    @Test
    void anErrorBeforeCommitIsA500WithoutDetails() throws Exception {
        Response r = get("/fail-before-commit");
        assertEquals(500, r.status());
        assertFalse(r.text().contains("boom"), r.text());
        assertTrue(log.text().contains("boom before commit"));
    }

    @Test
    void largeBodiesArriveWhole() throws Exception {
        Response r = get("/large");
        assertEquals(Integer.toString(5 << 20), r.header("Content-Length"));
        byte[] expected = new byte[5 << 20];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (byte) i;
        }
        assertArrayEquals(expected, r.body());
    }

    @Test
    void keepAliveServesManyRequestsOnOneConnection() throws Exception {
        try (HttpConnection r = TestServers.connect(server.port())) {
            for (int i = 0; i < 20; i++) {
                r.sendRaw("GET /one-chunk HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals("hello", r.readResponse("GET").text());
                r.sendRaw("GET /chunks HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals("abbccc", r.readResponse("GET").text());
            }
        }
    }

    @Test
    void aClientThatLeavesMidResponseGetsTheBodyClosed() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        latches.put("g2", gate);
        int before = closes.get();
        try (HttpConnection r = TestServers.connect(server.port())) {
            r.sendRaw("GET /stream?g2 HTTP/1.1\r\nHost: x\r\n\r\n");
            r.readHead();
            assertEquals(6, Integer.parseInt(r.readLine(), 16));
        }
        gate.countDown();
        awaitCloses(before);
    }

    /** The body is closed on the server's thread, possibly after the client saw the connection end. */
    static void awaitCloses(int before) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (closes.get() == before && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(closes.get() > before, "body.close() was called");
    }


}

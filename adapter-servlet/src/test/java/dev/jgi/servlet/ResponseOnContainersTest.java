package dev.jgi.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.Body;
import dev.jgi.Header;
import dev.jgi.Write;
import dev.jgi.conformance.http.HttpConnection;
import dev.jgi.conformance.http.Response;
import dev.jgi.conformance.testing.GatedChunks;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The response side on real Tomcat and Jetty, checked on the wire: streaming in both directions,
 * Content-Length, repeated headers, HEAD and bodyless statuses, errors, abort after commit, client
 * disconnect, and 100-continue.
 */
class ResponseOnContainersTest {

    static Targets targets;

    @BeforeAll
    static void start() throws Exception {
        targets = Targets.start();
    }

    @AfterAll
    static void stop() throws Exception {
        targets.close();
    }

    static Stream<Arguments> targets() {
        return targets.arguments();
    }

    static final List<Header> TEXT = List.of(Header.of("Content-Type", "text/plain"));

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A body whose second chunk waits for the client to have received the first one. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void eachChunkIsFlushedBeforeTheNextIsProduced(Targets.Target t) throws Exception {
        CountDownLatch clientGotFirst = new CountDownLatch(1);
        t.with((env, sr) -> {
            sr.start("200 OK", TEXT);
            return GatedChunks.of(utf8("first"), utf8("second"), clientGotFirst, Duration.ofSeconds(20), null);
        });
        try (HttpConnection http = Container.connect(t.port())) {
            Response.Head head = http.sendRaw("GET /ctx/app/s HTTP/1.1\r\nHost: h\r\n\r\n").readHead();
            assertEquals("chunked", head.header("Transfer-Encoding"), "an unknown length streams chunked");
            // each piece is read as soon as its bytes arrive: Jetty sends the CRLF after a chunk's
            // data only together with the next chunk's size line
            HttpConnection.BodyStream body = http.body(head, "GET");
            assertEquals("first", next(body, "first"));
            clientGotFirst.countDown();
            assertEquals("second", next(body, "second"));
            assertEquals("", new String(body.readAll(), StandardCharsets.UTF_8), "the last chunk");
            assertTrue(body.complete(), body::problem);
        }
    }

    /** The application reads part of the body and answers before the client has sent the rest. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void requestBodyStreamsToTheApplication(Targets.Target t) throws Exception {
        t.with((env, sr) -> {
            InputStream in = (InputStream) env.get("jgi.input");
            Write w = sr.start("200 OK", TEXT);
            byte[] first = in.readNBytes(5);
            w.write(utf8("got:" + new String(first, StandardCharsets.UTF_8)));
            byte[] rest = in.readAllBytes();
            return Body.of(utf8("rest:" + new String(rest, StandardCharsets.UTF_8)));
        });
        try (HttpConnection http = Container.connect(t.port())) {
            http.sendRaw("POST /ctx/app/u HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
            Response.Head head = http.readHead();
            assertEquals(200, head.status());
            HttpConnection.BodyStream body = http.body(head, "POST");
            assertEquals("got:hello", next(body, "got:hello"));
            http.sendRaw("6\r\n world\r\n0\r\n\r\n");
            assertEquals("rest: world", next(body, "rest: world"));
            assertEquals("", new String(body.readAll(), StandardCharsets.UTF_8), "the last chunk");
            assertTrue(body.complete(), body::problem);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void declaredContentLengthAndRepeatedHeaders(Targets.Target t) throws Exception {
        t.with((env, sr) -> {
            sr.start("201 Created", List.of(Header.of("Content-Type", "text/plain"), Header.of("Content-Length", "10"),
                    Header.of("Set-Cookie", "a=1"), Header.of("Set-Cookie", "b=2"), Header.of("X-Custom", "v")));
            return Body.of(utf8("01234"), utf8("56789"));
        });
        try (HttpConnection http = Container.connect(t.port())) {
            Response r = http.sendRaw("GET /ctx/app/cl HTTP/1.1\r\nHost: h\r\n\r\n").readResponse("GET");
            assertEquals(201, r.status());
            assertEquals("10", r.header("Content-Length"));
            assertNull(r.header("Transfer-Encoding"));
            assertEquals(List.of("a=1", "b=2"), r.headers("Set-Cookie"));
            assertEquals("v", r.header("X-Custom"));
            assertEquals("text/plain", r.header("Content-Type"), "Content-Type passes unchanged");
            assertEquals("0123456789", r.text());
            assertTrue(r.complete());
            assertTrue(r.head().statusLine().startsWith("HTTP/1.1 201"), r.head().statusLine());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void contentTypeWithCharset(Targets.Target t) throws Exception {
        t.with((env, sr) -> {
            sr.start("200 OK", List.of(Header.of("Content-Type", "text/html; charset=UTF-8")));
            return Body.ofUtf8("x");
        });
        try (HttpConnection http = Container.connect(t.port())) {
            Response r = http.sendRaw("GET /ctx/app/ct HTTP/1.1\r\nHost: h\r\n\r\n").readResponse("GET");
            // both containers re-format a charset parameter (Tomcat drops the space, Jetty also lower-cases
            // the charset); the servlet API offers no way around it, and the meaning is unchanged
            assertEquals("text/html;charset=utf-8", r.header("Content-Type").replace("; ", ";").toLowerCase(java.util.Locale.ROOT));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void singleChunkGetsAContentLength(Targets.Target t) throws Exception {
        t.with((env, sr) -> {
            sr.start("200 OK", TEXT);
            return Body.ofUtf8("hello");
        });
        try (HttpConnection http = Container.connect(t.port())) {
            Response r = http.sendRaw("GET /ctx/app/one HTTP/1.1\r\nHost: h\r\n\r\n").readResponse("GET");
            assertEquals("5", r.header("Content-Length"));
            assertEquals("hello", r.text());
            // HEAD: same Content-Length, no body; the connection stays usable
            r = http.sendRaw("HEAD /ctx/app/one HTTP/1.1\r\nHost: h\r\n\r\n").readResponse("HEAD");
            assertEquals(200, r.status());
            assertEquals("5", r.header("Content-Length"));
            r = http.sendRaw("GET /ctx/app/one HTTP/1.1\r\nHost: h\r\n\r\n").readResponse("GET");
            assertEquals("hello", r.text());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void headOfAStreamSendsNoBody(Targets.Target t) throws Exception {
        AtomicInteger closes = new AtomicInteger();
        t.with((env, sr) -> {
            sr.start("200 OK", TEXT);
            return Body.from(List.of(utf8("a"), utf8("b")), closes::incrementAndGet);
        });
        try (HttpConnection http = Container.connect(t.port())) {
            Response r = http.sendRaw("HEAD /ctx/app/h HTTP/1.1\r\nHost: h\r\n\r\n").readResponse("HEAD");
            assertEquals(200, r.status());
            // the connection must not carry stray body bytes: the next response parses
            r = http.sendRaw("GET /ctx/app/h HTTP/1.1\r\nHost: h\r\n\r\n").readResponse("GET");
            assertEquals("ab", r.text());
        }
        assertEquals(2, closes.get());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void noContentAndNotModified(Targets.Target t) throws Exception {
        t.with((env, sr) -> {
            String p = (String) env.get("PATH_INFO");
            if (p.equals("/204")) {
                sr.start("204 No Content", List.of());
            } else {
                sr.start("304 Not Modified", List.of(Header.of("ETag", "\"x\"")));
            }
            return Body.empty();
        });
        try (HttpConnection http = Container.connect(t.port())) {
            Response r = http.sendRaw("GET /ctx/app/204 HTTP/1.1\r\nHost: h\r\n\r\n").readResponse("GET");
            assertEquals(204, r.status());
            assertNull(r.header("Content-Length"));
            assertNull(r.header("Transfer-Encoding"));
            r = http.sendRaw("GET /ctx/app/304 HTTP/1.1\r\nHost: h\r\n\r\n").readResponse("GET");
            assertEquals(304, r.status());
            assertEquals("\"x\"", r.header("ETag"));
            assertNull(r.header("Transfer-Encoding"));
            r = http.sendRaw("GET /ctx/app/204 HTTP/1.1\r\nHost: h\r\n\r\n").readResponse("GET");
            assertEquals(204, r.status(), "connection still in sync");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void errorBeforeCommitIs500WithoutStackTrace(Targets.Target t) throws Exception {
        t.with((env, sr) -> {
            throw new IllegalStateException("secret detail");
        });
        try (HttpConnection http = Container.connect(t.port())) {
            Response r = http.sendRaw("GET /ctx/app/e HTTP/1.1\r\nHost: h\r\n\r\n").readResponse("GET");
            assertEquals(500, r.status());
            assertFalse(r.text().contains("secret"), r.text());
            assertTrue(r.complete());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void errorAfterCommitLeavesTheChunkedBodyIncomplete(Targets.Target t) throws Exception {
        AtomicInteger closes = new AtomicInteger();
        t.with((env, sr) -> {
            sr.start("200 OK", TEXT);
            Iterator<byte[]> it = new Iterator<>() {
                int i;

                @Override
                public boolean hasNext() {
                    return true;
                }

                @Override
                public byte[] next() {
                    if (i++ == 0) {
                        return utf8("partial");
                    }
                    throw new IllegalStateException("boom after commit");
                }
            };
            return Body.from(() -> it, closes::incrementAndGet);
        });
        try (HttpConnection http = Container.connect(t.port())) {
            Response r = http.sendRaw("GET /ctx/app/a HTTP/1.1\r\nHost: h\r\n\r\n").readResponse("GET");
            assertEquals(200, r.status());
            assertEquals(Response.Framing.CHUNKED, r.framing());
            assertEquals("partial", r.text());
            assertFalse(r.complete(), "the client must see an incomplete body");
            assertEquals(0, http.readToClose().length, "closed by the server");
        }
        assertEquals(1, closes.get());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void bodyShorterThanContentLengthIsCutOff(Targets.Target t) throws Exception {
        t.with((env, sr) -> {
            sr.start("200 OK", List.of(Header.of("Content-Length", "10")));
            return Body.of(utf8("12345"), utf8("678"));
        });
        try (HttpConnection http = Container.connect(t.port())) {
            Response r = http.sendRaw("GET /ctx/app/short HTTP/1.1\r\nHost: h\r\n\r\n").readResponse("GET");
            assertEquals(200, r.status());
            assertEquals("10", r.header("Content-Length"));
            assertEquals("12345678", r.text());
            assertFalse(r.complete(), "the connection must close before the declared length");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void clientDisconnectSurfacesAsIOExceptionAndClosesOnce(Targets.Target t) throws Exception {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        AtomicInteger closes = new AtomicInteger();
        CountDownLatch closed = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        byte[] chunk = new byte[64 * 1024];
        t.with((env, sr) -> {
            Write w = sr.start("200 OK", TEXT);
            started.countDown();
            try {
                for (int i = 0; i < 100_000; i++) { // ~6 GiB: only a disconnect ends this
                    w.write(chunk);
                }
            } catch (Exception e) {
                seen.set(e);
                throw e;
            }
            return Body.from(List.of(), () -> {
                closes.incrementAndGet();
                closed.countDown();
            });
        });
        try (HttpConnection http = Container.connect(t.port())) {
            http.sendRaw("GET /ctx/app/d HTTP/1.1\r\nHost: h\r\n\r\n").readHead();
            assertTrue(started.await(20, TimeUnit.SECONDS));
            http.reset(); // a TCP reset, so the server's next writes fail promptly
        }
        for (int i = 0; i < 200 && seen.get() == null; i++) {
            Thread.sleep(100); // liveness only: waits for the server to notice
        }
        assertTrue(seen.get() instanceof java.io.IOException, "write() must throw an IOException, got " + seen.get());
        assertTrue(seen.get() instanceof dev.jgi.ClientDisconnectedException, "got " + seen.get());
        // the write loop threw, so the application returned no body: nothing to close; now a body that is iterated
        AtomicInteger bodyCloses = new AtomicInteger();
        CountDownLatch bodyClosed = new CountDownLatch(1);
        t.with((env, sr) -> {
            sr.start("200 OK", TEXT);
            return Body.from(() -> new Iterator<byte[]>() {
                @Override
                public boolean hasNext() {
                    return true;
                }

                @Override
                public byte[] next() {
                    return chunk;
                }
            }, () -> {
                bodyCloses.incrementAndGet();
                bodyClosed.countDown();
            });
        });
        try (HttpConnection http = Container.connect(t.port())) {
            http.sendRaw("GET /ctx/app/d2 HTTP/1.1\r\nHost: h\r\n\r\n").readHead();
            http.reset();
        }
        assertTrue(bodyClosed.await(30, TimeUnit.SECONDS), "body closed after the client went away");
        Thread.sleep(200); // a second close would come right after the first
        assertEquals(1, bodyCloses.get());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void continueIsSentOnlyWhenTheApplicationReads(Targets.Target t) throws Exception {
        t.with((env, sr) -> {
            String p = (String) env.get("PATH_INFO");
            byte[] got = p.equals("/read") ? ((InputStream) env.get("jgi.input")).readAllBytes() : new byte[0];
            sr.start(p.equals("/read") ? "200 OK" : "403 Forbidden", TEXT);
            return Body.of(got);
        });
        try (HttpConnection http = Container.connect(t.port())) {
            http.sendRaw("POST /ctx/app/noread HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n");
            Response r = http.readResponse("POST");
            assertEquals(403, r.status());
            assertEquals(List.of(), r.interim(), "no 100 Continue when the application does not read");
        }
        try (HttpConnection http = Container.connect(t.port())) {
            http.sendRaw("POST /ctx/app/read HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            String line = http.readLine();
            assertTrue(line.startsWith("HTTP/1.1 100"), line);
            assertEquals("", http.readLine());
            http.sendRaw("hello");
            Response r = http.readResponse("POST");
            assertEquals(200, r.status());
            assertEquals("hello", r.text());
        }
    }

    /** Reads as many body bytes as {@code expected} has, as soon as they arrive. */
    private static String next(HttpConnection.BodyStream body, String expected) throws java.io.IOException {
        return new String(body.readAtLeast(utf8(expected).length), StandardCharsets.UTF_8);
    }
}

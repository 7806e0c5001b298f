package dev.jgi.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.Covers;
import dev.jgi.Environ;
import dev.jgi.Header;
import dev.jgi.Write;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The response rules of decisions.md as this server puts them on the wire: framing and
 * Content-Length, header delay, streaming, HEAD and bodyless statuses, errors before and after
 * commit, excInfo, and close() exactly once on every path.
 */
class ReferenceServerResponseTest {

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    private static final List<Header> TEXT = List.of(Header.of("Content-Type", "text/plain"));

    private static String request(String method, String target) {
        return method + " " + target + " HTTP/1.1\r\nHost: h\r\n\r\n";
    }

    private static Application returning(String status, List<Header> headers, Body body) {
        return (environ, start) -> {
            start.start(status, headers);
            return body;
        };
    }

    /** Returns {@code first} for the first request and a fresh one-chunk body after that. */
    private static Application firstThen(String status, List<Header> headers, Body first) {
        AtomicBoolean used = new AtomicBoolean();
        return (environ, start) -> {
            start.start(status, headers);
            return used.getAndSet(true) ? Body.ofUtf8("again") : first;
        };
    }

    private static List<Header> withLength(long n) {
        return List.of(Header.of("Content-Type", "text/plain"), Header.of("Content-Length", Long.toString(n)));
    }

    // ---- framing and Content-Length ----

    @Test
    @Covers({"response.content-length-computed", "response.date"})
    void oneChunkBodyGetsAComputedContentLength() throws Exception {
        ReferenceServer server = fixture.start(returning("200 OK", TEXT, Body.ofUtf8("hello")));
        RawHttp.Response r = RawHttp.get(server.port(), "/");
        assertEquals(200, r.status);
        assertEquals(List.of("5"), r.headers("Content-Length"));
        assertNull(r.header("Transfer-Encoding"));
        assertEquals("hello", r.text());
        assertTrue(r.complete);
        assertNotNull(r.header("Date"), "the server adds Date");
    }

    @Test
    @Covers({"response.chunked", "response.content-length-computed"})
    void bodyOfUnknownOrSeveralChunksIsChunked() throws Exception {
        AtomicInteger which = new AtomicInteger();
        Application app = (environ, start) -> {
            start.start("200 OK", TEXT);
            switch (which.getAndIncrement()) {
                case 0: return Body.of("hel".getBytes(UTF_8), "lo".getBytes(UTF_8)); // count 2
                case 1: return Body.from(List.of("hello".getBytes(UTF_8)), null);    // count unknown: no peeking
                default: return TrackedBody.of("he", "", "llo");
            }
        };
        ReferenceServer server = fixture.start(app);
        for (int i = 0; i < 3; i++) {
            RawHttp.Response r = RawHttp.get(server.port(), "/");
            assertEquals(200, r.status);
            assertTrue(r.chunked, r::toString);
            assertNull(r.header("Content-Length"));
            assertTrue(r.complete);
            assertEquals("hello", r.text());
        }
    }

    @Test
    @Covers("response.content-length-computed")
    void emptyBodyGetsContentLengthZero() throws Exception {
        ReferenceServer server = fixture.start(returning("200 OK", TEXT, Body.empty()));
        RawHttp.Response r = RawHttp.get(server.port(), "/");
        assertEquals(200, r.status);
        assertEquals(List.of("0"), r.headers("Content-Length"));
        assertNull(r.header("Transfer-Encoding"));
        assertEquals(0, r.body.length);
    }

    @Test
    @Covers("start.content-length")
    void declaredContentLengthIsSentOnceAndNotWithChunked() throws Exception {
        ReferenceServer server = fixture.start(returning("200 OK", withLength(5), TrackedBody.of("hel", "lo")));
        RawHttp.Response r = RawHttp.get(server.port(), "/");
        assertEquals(List.of("5"), r.headers("Content-Length"));
        assertNull(r.header("Transfer-Encoding"));
        assertEquals("hello", r.text());
        assertTrue(r.complete);
    }

    @Test
    @Covers({"response.short-body", "response.abort-after-commit", "server.log", "server.close-once"})
    void bodyShorterThanDeclaredAbortsTheConnection() throws Exception {
        TrackedBody body = TrackedBody.of("hel", "lo");
        ReferenceServer server = fixture.start(returning("200 OK", withLength(10), body));
        RawHttp.Response r = RawHttp.get(server.port(), "/");
        assertEquals(200, r.status);
        assertEquals("10", r.header("Content-Length"));
        assertFalse(r.complete, "the client must see a short body, not a padded or completed one");
        assertEquals("hello", r.text());
        body.awaitClosed();
        assertEquals(1, body.closes.get());
        assertTrue(fixture.log().contains("body.content-length"), fixture::log);
    }

    @Test
    @Covers("response.short-body")
    void emptyBodyWithDeclaredLengthIsA500BeforeCommit() throws Exception {
        ReferenceServer server = fixture.start(returning("200 OK", withLength(10), Body.empty()));
        RawHttp.Response r = RawHttp.get(server.port(), "/");
        assertEquals(500, r.status);
        assertTrue(r.complete);
        assertTrue(fixture.log().contains("body.content-length"), fixture::log);
    }

    @Test
    @Covers({"response.content-length-limit", "server.close-once"})
    void bodyLongerThanDeclaredIsTruncatedAndIterationStops() throws Exception {
        TrackedBody body = TrackedBody.of("he", "llo!!", "never");
        ReferenceServer server = fixture.start(firstThen("200 OK", withLength(3), body));
        try (RawHttp c = RawHttp.connect(server.port())) {
            RawHttp.Response r = c.send(request("GET", "/")).read();
            assertEquals("3", r.header("Content-Length"));
            assertEquals("hel", r.text());
            // nothing more was written: the next response on this connection parses cleanly
            RawHttp.Response second = c.send(request("GET", "/again")).read();
            assertEquals(200, second.status, second::toString);
        }
        body.awaitClosed();
        assertEquals(2, body.nexts.get(), "iteration stops once Content-Length is reached");
        assertEquals(1, body.closes.get());
        assertTrue(fixture.log().contains("body.content-length"), fixture::log);
    }

    @Test
    @Covers("response.chunked")
    void http10BodyOfUnknownLengthIsCloseDelimited() throws Exception {
        ReferenceServer server = fixture.start(returning("200 OK", TEXT, TrackedBody.of("a", "b", "c")));
        try (RawHttp c = RawHttp.connect(server.port())) {
            RawHttp.Response r = c.send("GET / HTTP/1.0\r\n\r\n").read();
            assertEquals(200, r.status);
            assertNull(r.header("Transfer-Encoding"), "no chunked encoding on HTTP/1.0");
            assertTrue(r.closeDelimited);
            assertEquals("abc", r.text());
        }
    }

    @Test
    @Covers({"response.repeated-headers", "response.reason-phrase"})
    void repeatedResponseHeadersAreSeparateFieldsAndTheReasonPhraseIsTheServers() throws Exception {
        ReferenceServer server = fixture.start(returning("200 Everything Fine", List.of(
                Header.of("Set-Cookie", "a=1"), Header.of("Set-Cookie", "b=2"), Header.of("X-Mixed-Case", "v")),
                Body.ofUtf8("x")));
        RawHttp.Response r = RawHttp.get(server.port(), "/");
        assertEquals(List.of("a=1", "b=2"), r.headers("Set-Cookie"));
        assertEquals("v", r.header("x-mixed-case"));
        // declared: no reason-phrase capability, the JDK sends its own
        assertEquals("HTTP/1.1 200 OK", r.statusLine);
    }

    // ---- HEAD, 204, 304 ----

    @Test
    @Covers("response.head")
    void headSendsTheContentLengthItKnowsAndNoBody() throws Exception {
        TrackedBody body = new TrackedBody(i -> i == 0 ? "hello".getBytes(UTF_8) : null, 1);
        ReferenceServer server = fixture.start(firstThen("200 OK", TEXT, body));
        try (RawHttp c = RawHttp.connect(server.port())) {
            RawHttp.Response r = c.send(request("HEAD", "/")).read(true);
            assertEquals(200, r.status);
            assertEquals("5", r.header("Content-Length"));
            assertNull(r.header("Transfer-Encoding"));
            // had any body byte been sent, this second response would not parse
            RawHttp.Response next = c.send(request("GET", "/")).read();
            assertEquals(200, next.status, next::toString);
        }
        body.awaitClosed();
        assertEquals(1, body.closes.get());
    }

    @Test
    @Covers({"response.head", "server.close-once"})
    void headOfAStreamedBodyHasNoLengthAndStopsIterating() throws Exception {
        TrackedBody body = TrackedBody.of("a", "b", "c");
        ReferenceServer server = fixture.start(firstThen("200 OK", TEXT, body));
        try (RawHttp c = RawHttp.connect(server.port())) {
            RawHttp.Response r = c.send(request("HEAD", "/")).read(true);
            assertEquals(200, r.status);
            assertNull(r.header("Content-Length"), "a streamed length is not invented");
            assertEquals(200, c.send(request("GET", "/x")).read().status);
        }
        body.awaitClosed();
        assertEquals(1, body.nexts.get(), "HEAD commits at the first non-empty chunk and stops");
        assertEquals(1, body.closes.get());
    }

    @Test
    @Covers("response.head")
    void headKeepsADeclaredContentLength() throws Exception {
        ReferenceServer server = fixture.start(returning("200 OK", withLength(100), Body.empty()));
        try (RawHttp c = RawHttp.connect(server.port())) {
            RawHttp.Response r = c.send(request("HEAD", "/")).read(true);
            assertEquals("100", r.header("Content-Length"));
            assertEquals(200, c.send(request("HEAD", "/")).read(true).status);
        }
    }

    @Test
    @Covers({"response.bodyless", "server.log"})
    void noContentHasNoLengthAndNoBodyAndDroppedBytesAreLogged() throws Exception {
        TrackedBody body = TrackedBody.of("oops");
        ReferenceServer server = fixture.start(firstThen("204 No Content", List.of(), body));
        try (RawHttp c = RawHttp.connect(server.port())) {
            RawHttp.Response r = c.send(request("GET", "/")).read();
            assertEquals(204, r.status);
            assertNull(r.header("Content-Length"));
            assertNull(r.header("Transfer-Encoding"));
            RawHttp.Response next = c.send(request("GET", "/")).read();
            assertEquals(204, next.status, next::toString);
        }
        body.awaitClosed();
        assertTrue(fixture.log().contains("body.no-content"), fixture::log);
    }

    @Test
    @Covers("response.bodyless")
    void notModifiedKeepsTheAppsContentLengthAndSendsNoBody() throws Exception {
        ReferenceServer server = fixture.start(returning("304 Not Modified",
                List.of(Header.of("Content-Length", "42"), Header.of("ETag", "\"v1\"")), Body.empty()));
        try (RawHttp c = RawHttp.connect(server.port())) {
            RawHttp.Response r = c.send(request("GET", "/")).read();
            assertEquals(304, r.status);
            assertEquals(List.of("42"), r.headers("Content-Length"));
            assertEquals("\"v1\"", r.header("ETag"));
            RawHttp.Response next = c.send(request("GET", "/")).read();
            assertEquals(304, next.status, next::toString);
        }
    }

    // ---- errors ----

    @Test
    @Covers({"response.error-500", "server.log"})
    void exceptionBeforeCommitIsA500WithoutStackTraceAndIsLogged() throws Exception {
        Application app = (environ, start) -> {
            throw new IllegalStateException("secret detail 42");
        };
        ReferenceServer server = fixture.start(app);
        RawHttp.Response r = RawHttp.get(server.port(), "/boom");
        assertEquals(500, r.status);
        assertTrue(r.complete);
        assertTrue(r.header("Content-Type").startsWith("text/plain"));
        assertFalse(r.text().contains("secret detail"), r.text());
        assertFalse(r.text().contains("Exception"), r.text());
        assertFalse(r.text().contains("\tat "), r.text());
        String log = fixture.log();
        assertTrue(log.contains("secret detail 42"), log);
        assertTrue(log.contains("at dev.jgi.server.ReferenceServerResponseTest"), "stack trace on jgi.errors: " + log);
        // the server goes on serving
        assertEquals(500, RawHttp.get(server.port(), "/again").status);
    }

    @Test
    @Covers({"response.error-500", "server.close-once"})
    void exceptionInIterationBeforeCommitIsA500AndTheBodyIsClosed() throws Exception {
        TrackedBody body = new TrackedBody(i -> {
            throw new IllegalStateException("iteration failed");
        });
        ReferenceServer server = fixture.start(returning("200 OK", TEXT, body));
        RawHttp.Response r = RawHttp.get(server.port(), "/");
        assertEquals(500, r.status);
        body.awaitClosed();
        assertEquals(1, body.closes.get());
        assertTrue(fixture.log().contains("iteration failed"));
    }

    @Test
    @Covers({"response.abort-after-commit", "server.log", "server.close-once"})
    void exceptionAfterCommitAbortsTheConnection() throws Exception {
        TrackedBody body = new TrackedBody(i -> {
            if (i == 0) {
                return "first".getBytes(UTF_8);
            }
            throw new IllegalStateException("failed mid-body");
        });
        ReferenceServer server = fixture.start(returning("200 OK", TEXT, body));
        RawHttp.Response r = RawHttp.get(server.port(), "/");
        assertEquals(200, r.status);
        assertTrue(r.chunked);
        assertFalse(r.complete, "the chunked body must end without its last chunk");
        assertEquals("first", r.text());
        body.awaitClosed();
        assertEquals(1, body.closes.get());
        assertTrue(fixture.log().contains("failed mid-body"));
        assertEquals(200, RawHttp.get(server.port(), "/").status, "the server still serves");
    }

    @Test
    @Covers("start.exc-info")
    void excInfoBeforeCommitReplacesStatusAndHeaders() throws Exception {
        Application app = (environ, start) -> {
            start.start("200 OK", List.of(Header.of("X-First", "yes")));
            try {
                throw new IllegalStateException("late failure");
            } catch (IllegalStateException e) {
                start.start("503 Service Unavailable", List.of(Header.of("X-Error", "yes")), e);
            }
            return Body.ofUtf8("sorry");
        };
        ReferenceServer server = fixture.start(app);
        RawHttp.Response r = RawHttp.get(server.port(), "/");
        assertEquals(503, r.status);
        assertEquals("yes", r.header("X-Error"));
        assertNull(r.header("X-First"));
        assertEquals("sorry", r.text());
    }

    @Test
    @Covers("start.twice")
    void secondStartWithoutExcInfoIsAProtocolErrorAnd500() throws Exception {
        Application app = (environ, start) -> {
            start.start("200 OK", TEXT);
            start.start("201 Created", TEXT);
            return Body.ofUtf8("x");
        };
        ReferenceServer server = fixture.start(app);
        assertEquals(500, RawHttp.get(server.port(), "/").status);
        assertTrue(fixture.log().contains("start.twice"), fixture::log);
    }

    @Test
    @Covers({"server.exc-info-rethrow", "response.abort-after-commit"})
    void excInfoAfterCommitRethrowsTheSameExceptionAndAborts() throws Exception {
        AtomicBoolean sameInstance = new AtomicBoolean();
        AtomicReference<dev.jgi.StartResponse> startRef = new AtomicReference<>();
        TrackedBody body = new TrackedBody(i -> {
            if (i == 0) {
                return "partial".getBytes(UTF_8);
            }
            IllegalStateException failure = new IllegalStateException("after commit");
            try {
                startRef.get().start("500 Internal Server Error", TEXT, failure);
            } catch (IllegalStateException thrown) {
                sameInstance.set(thrown == failure);
                throw thrown;
            }
            throw new AssertionError("start_response with excInfo after commit returned");
        });
        Application app = (environ, start) -> {
            startRef.set(start);
            start.start("200 OK", TEXT);
            return body;
        };
        ReferenceServer server = fixture.start(app);
        RawHttp.Response r = RawHttp.get(server.port(), "/");
        assertEquals(200, r.status);
        assertFalse(r.complete);
        assertEquals("partial", r.text());
        body.awaitClosed();
        assertTrue(sameInstance.get(), "start_response must throw excInfo itself");
        assertEquals(1, body.closes.get());
    }

    // ---- close() exactly once ----

    @Test
    @Covers({"server.close-once", "server.iterate-once", "server.chunk-after-close"})
    void closeIsCalledOnceAfterANormalResponse() throws Exception {
        TrackedBody body = TrackedBody.of("a", "b");
        ReferenceServer server = fixture.start(returning("200 OK", TEXT, body));
        assertEquals("ab", RawHttp.get(server.port(), "/").text());
        body.awaitClosed();
        assertEquals(1, body.closes.get());
        assertEquals(1, body.iterators.get());
        assertFalse(body.nextAfterClose);
    }

    @Test
    @Covers({"server.client-disconnect", "server.close-once", "server.chunk-after-close", "server.log"})
    void clientDisconnectMidResponseStopsIterationClosesOnceAndTheServerGoesOn() throws Exception {
        int cap = 200_000;
        byte[] block = new byte[8192];
        CountDownLatch clientGone = new CountDownLatch(1);
        TrackedBody body = new TrackedBody(i -> {
            if (i == 1) {
                TrackedBody.await(clientGone);
            }
            return i < cap ? block : null;
        });
        AtomicInteger requests = new AtomicInteger();
        Application app = (environ, start) -> {
            start.start("200 OK", TEXT);
            return requests.getAndIncrement() == 0 ? body : Body.ofUtf8("next");
        };
        ReferenceServer server = fixture.start(app);
        RawHttp c = RawHttp.connect(server.port());
        c.send(request("GET", "/stream"));
        RawHttp.Response head = c.readHead();
        assertEquals(200, head.status);
        assertTrue(c.readChunk().length > 0);
        c.reset();
        clientGone.countDown();
        body.awaitClosed();
        assertEquals(1, body.closes.get());
        assertFalse(body.nextAfterClose);
        assertTrue(body.nexts.get() < cap, "iteration must stop when the client is gone, got " + body.nexts.get());
        assertTrue(fixture.log().contains("client disconnected"), fixture::log);
        assertEquals("next", RawHttp.get(server.port(), "/").text());
    }

    // ---- streaming and header delay ----

    @Test
    @Covers("response.no-delay")
    void chunksAreSentAsTheyAreProducedNotBuffered() throws Exception {
        CountDownLatch gotFirst = new CountDownLatch(1);
        TrackedBody body = new TrackedBody(i -> {
            switch (i) {
                case 0: return "one".getBytes(UTF_8);
                case 1:
                    TrackedBody.await(gotFirst); // produced only after the client has chunk one
                    return "two".getBytes(UTF_8);
                default: return null;
            }
        });
        ReferenceServer server = fixture.start(returning("200 OK", TEXT, body));
        try (RawHttp c = RawHttp.connect(server.port())) {
            c.send(request("GET", "/"));
            RawHttp.Response head = c.readHead();
            assertEquals(200, head.status);
            assertArrayEquals("one".getBytes(UTF_8), c.readChunk());
            gotFirst.countDown();
            assertArrayEquals("two".getBytes(UTF_8), c.readChunk());
            assertNull(c.readChunk());
        }
    }

    @Test
    @Covers({"write.sent", "response.no-delay"})
    void writeCallableStreamsToo() throws Exception {
        CountDownLatch gotFirst = new CountDownLatch(1);
        Application app = (environ, start) -> {
            Write write = start.start("200 OK", TEXT);
            write.write("one".getBytes(UTF_8));
            TrackedBody.await(gotFirst);
            write.write("two".getBytes(UTF_8));
            return Body.ofUtf8("three");
        };
        ReferenceServer server = fixture.start(app);
        try (RawHttp c = RawHttp.connect(server.port())) {
            c.send(request("GET", "/"));
            c.readHead();
            assertArrayEquals("one".getBytes(UTF_8), c.readChunk());
            gotFirst.countDown();
            assertArrayEquals("two".getBytes(UTF_8), c.readChunk());
            assertArrayEquals("three".getBytes(UTF_8), c.readChunk());
            assertNull(c.readChunk());
        }
    }

    @Test
    @Covers({"response.header-delay", "start.exc-info"})
    void headersAreNotSentBeforeTheFirstNonEmptyChunk() throws Exception {
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<dev.jgi.StartResponse> startRef = new AtomicReference<>();
        TrackedBody body = new TrackedBody(i -> {
            switch (i) {
                case 0: return new byte[0];
                case 1:
                    blocked.countDown();
                    TrackedBody.await(release);
                    // still allowed: nothing is committed after an empty chunk
                    startRef.get().start("500 Internal Server Error", TEXT, new IllegalStateException("changed my mind"));
                    return "x".getBytes(UTF_8);
                default: return null;
            }
        });
        Application app = (environ, start) -> {
            startRef.set(start);
            start.start("200 OK", TEXT);
            return body;
        };
        ReferenceServer server = fixture.start(app);
        try (RawHttp c = RawHttp.connect(server.port())) {
            c.send(request("GET", "/"));
            TrackedBody.await(blocked);
            // the empty chunk was fully handled before chunk 1 was asked for; had the server sent
            // the status line then, it would already be in this socket's receive buffer
            assertFalse(c.anyDataWithin(300), "no byte may be sent before the first non-empty chunk");
            release.countDown();
            RawHttp.Response r = c.read();
            assertEquals(500, r.status);
            assertEquals("x", r.text());
        }
    }

    // ---- file wrapper ----

    @Test
    @Covers({"file.region", "file.close", "response.content-length-computed"})
    void fileWrapperBodyIsSentWithItsLengthAndClosed(@TempDir Path dir) throws Exception {
        byte[] data = new byte[200_000];
        new java.util.Random(7).nextBytes(data);
        Path file = Files.write(dir.resolve("data.bin"), data);
        AtomicReference<Body> sent = new AtomicReference<>();
        Application app = (environ, start) -> {
            start.start("200 OK", List.of(Header.of("Content-Type", "application/octet-stream")));
            Body b = Environ.of(environ).fileWrapper().wrap(file);
            sent.set(b);
            return b;
        };
        ReferenceServer server = fixture.start(app);
        RawHttp.Response r = RawHttp.get(server.port(), "/file");
        assertEquals(Integer.toString(data.length), r.header("Content-Length"));
        assertArrayEquals(data, r.body);
        assertTrue(r.complete);
        // FileBody closes its channel on close(); a closed channel proves close() ran
        java.nio.channels.FileChannel ch = ((dev.jgi.gateway.FileBody) sent.get()).channel();
        for (int i = 0; i < 100 && ch.isOpen(); i++) {
            Thread.sleep(50); // close() runs just after the last byte; poll for liveness only
        }
        assertFalse(ch.isOpen());
    }
}

package dev.jgi.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.ClientDisconnectedException;
import dev.jgi.Covers;
import dev.jgi.Environ;
import dev.jgi.Header;
import dev.jgi.ProtocolException;
import dev.jgi.Write;
import dev.jgi.testing.TestClient;
import dev.jgi.testing.TestResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The response rules of decisions.md, carried out by Gateway: through the TestClient (which runs
 * the real Gateway on an in-memory connection and checks the channel contract) and directly on a
 * recording channel. The validator is off: these applications break rules on purpose.
 */
class GatewayTest {

    private static final List<Header> TEXT = List.of(Header.of("Content-Type", "text/plain"));

    @TempDir
    Path tmp;

    private static TestClient client(Application app) {
        return TestClient.builder(app).validate(false).build();
    }

    private static TestResponse get(Application app) {
        return client(app).get("/");
    }

    private static TestResponse head(Application app) {
        return client(app).request("HEAD", "/").send();
    }

    /** An application that starts 200 with {@code headers} and returns {@code body}. */
    private static Application returning(List<Header> headers, Body body) {
        return (env, sr) -> {
            sr.start("200 OK", headers);
            return body;
        };
    }

    private static List<Header> withLength(long n) {
        return List.of(Header.of("Content-Type", "text/plain"), Header.of("Content-Length", Long.toString(n)));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void assertClosedOnce(TrackedBody body) {
        assertEquals(1, body.closes, "close() calls");
        assertFalse(body.usedAfterClose, "iterated after close()");
        assertTrue(body.iterators <= 1, "iterator() calls: " + body.iterators);
    }

    // --- header delay -------------------------------------------------------------------------

    @Test
    @Covers({"response.header-delay", "server.close-once", "server.iterate-once", "server.chunk-after-close"})
    void headersWaitForTheFirstNonEmptyChunk() {
        RecordingChannel ch = new RecordingChannel();
        TrackedBody body = TrackedBody.lazy("", "", "abc", "de");
        body.beforeChunk(i -> assertEquals(i > 2, ch.headersSent(), "headers sent before chunk " + i));
        new Gateway(returning(TEXT, body)).serve(environ("GET"), ch);
        assertEquals(List.of("headers 200 OK", "write 3", "write 2", "finish"), ch.events);
        assertEquals(-1, ch.contentLength);
        assertEquals("abcde", ch.body.toString(StandardCharsets.UTF_8));
        assertClosedOnce(body);
    }

    @Test
    @Covers({"response.header-delay", "start.exc-info"})
    void statusCanBeReplacedWhileOnlyEmptyChunksWereYielded() {
        RuntimeException why = new IllegalStateException("backend down");
        AtomicReference<dev.jgi.StartResponse> start = new AtomicReference<>();
        TrackedBody body = TrackedBody.lazy("", "", "busy");
        body.beforeChunk(i -> {
            if (i == 2) {
                start.get().start("503 Service Unavailable", List.of(Header.of("Retry-After", "5")), why);
            }
        });
        TestResponse r = get((env, sr) -> {
            start.set(sr);
            sr.start("200 OK", TEXT);
            return body;
        });
        assertEquals(503, r.status());
        assertEquals("Service Unavailable", r.reason());
        assertEquals(List.of(Header.of("Retry-After", "5")), r.headers());
        assertEquals("busy", r.text());
        assertClosedOnce(body);
    }

    @Test
    @Covers("server.lazy-start")
    void startResponseMayBeCalledLazilyInsideTheFirstNext() {
        AtomicReference<dev.jgi.StartResponse> start = new AtomicReference<>();
        TrackedBody body = TrackedBody.lazy("hi");
        body.beforeChunk(i -> start.get().start("201 Created", TEXT));
        TestResponse r = get((env, sr) -> {
            start.set(sr);
            return body;
        });
        assertEquals(201, r.status());
        assertEquals("hi", r.text());
    }

    // --- Content-Length -----------------------------------------------------------------------

    @Test
    @Covers({"response.content-length-computed", "server.close-once", "server.iterate-once",
        "server.chunk-after-close"})
    void oneChunkBodyGetsAComputedContentLength() {
        TrackedBody body = TrackedBody.counted("hello");
        TestResponse r = get(returning(TEXT, body));
        assertEquals(5, r.contentLength());
        assertEquals(List.of(Header.of("Content-Type", "text/plain"), Header.of("Content-Length", "5")), r.headers());
        assertEquals(List.of("headers", "chunk:5", "close", "finish"), r.events());
        assertClosedOnce(body);
    }

    @Test
    @Covers({"response.content-length-computed", "response.chunked"})
    void bodyOfUnknownCountIsNotPeekedAt() {
        TrackedBody body = TrackedBody.lazy("hello");
        TestResponse r = get(returning(TEXT, body));
        assertEquals(-1, r.contentLength(), "a server must not look ahead to find that there is only one chunk");
        assertNull(r.header("Content-Length"));
        assertEquals("hello", r.text());
    }

    @Test
    @Covers({"response.content-length-computed", "response.chunked"})
    void twoChunkBodyIsNotCounted() {
        TestResponse r = get(returning(TEXT, Body.of(utf8("he"), utf8("llo"))));
        assertEquals(-1, r.contentLength());
        assertEquals("hello", r.text());
        assertEquals(List.of("headers", "chunk:2", "chunk:3", "close", "finish"), r.events());
    }

    @Test
    @Covers("response.content-length-computed")
    void emptyBodiesCommitAtTheEndWithLengthZero() {
        for (Body b : List.of(Body.empty(), Body.of(new byte[0]), TrackedBody.counted("", ""), TrackedBody.lazy("", "", ""))) {
            TestResponse r = get(returning(TEXT, b));
            assertEquals(0, r.contentLength(), b.toString());
            assertEquals(List.of("headers", "close", "finish"), r.events());
        }
    }

    @Test
    @Covers({"write.sent", "response.content-length-computed"})
    void writeGoesOutBeforeTheBodyAndMakesTheLengthUnknown() {
        TestResponse r = get((env, sr) -> {
            Write w = sr.start("200 OK", TEXT);
            w.write(utf8("a"));
            w.write(new byte[0]);
            w.write(utf8("bc"));
            return Body.of(utf8("de"));
        });
        assertEquals("abcde", r.text());
        assertEquals(-1, r.contentLength());
        assertEquals(List.of("headers", "chunk:1", "chunk:2", "chunk:2", "close", "finish"), r.events());
    }

    @Test
    @Covers("start.content-length")
    void declaredContentLengthIsSentOnce() {
        TrackedBody body = TrackedBody.lazy("he", "llo");
        TestResponse r = get(returning(List.of(Header.of("Content-Length", "5"), Header.of("content-length", "5"), Header.of("X-A", "1")), body));
        assertEquals(5, r.contentLength());
        assertEquals(List.of("5"), r.headers("Content-Length"));
        assertEquals("hello", r.text());
        assertFalse(r.isAborted());
        assertEquals("", r.errors());
    }

    @Test
    @Covers({"response.content-length-limit", "body.content-length", "server.log", "server.chunk-after-close"})
    void bodyLongerThanDeclaredIsTruncatedLoggedAndNotIteratedFurther() {
        TrackedBody body = TrackedBody.lazy("hel", "lo", "more");
        TestResponse r = get(returning(withLength(4), body));
        assertEquals("hell", r.text());
        assertEquals(2, body.nexts, "the third chunk must not be asked for");
        assertFalse(r.isAborted());
        assertTrue(r.errors().contains("[body.content-length]"), r.errors());
        assertClosedOnce(body);
    }

    @Test
    @Covers("response.content-length-limit")
    void bodyReachingTheDeclaredLengthStopsIteration() {
        TrackedBody body = TrackedBody.lazy("abc", "never");
        TestResponse r = get(returning(withLength(3), body));
        assertEquals("abc", r.text());
        assertEquals(1, body.nexts);
        assertEquals("", r.errors());
        assertClosedOnce(body);
    }

    @Test
    @Covers("response.content-length-limit")
    void oneChunkLongerThanDeclaredIsTruncated() {
        TestResponse r = get(returning(withLength(2), Body.ofUtf8("hello")));
        assertEquals("he", r.text());
        assertEquals(2, r.contentLength());
        assertTrue(r.errors().contains("[body.content-length]"));
    }

    @Test
    @Covers("response.content-length-limit")
    void writeLongerThanDeclaredIsTruncated() {
        TestResponse r = get((env, sr) -> {
            Write w = sr.start("200 OK", withLength(3));
            w.write(utf8("ab"));
            w.write(utf8("cdef"));
            w.write(utf8("gh"));
            return Body.empty();
        });
        assertEquals("abc", r.text());
        assertFalse(r.isAborted());
        assertTrue(r.errors().contains("[body.content-length]"));
    }

    @Test
    @Covers({"response.short-body", "body.content-length"})
    void bodyShorterThanDeclaredBeforeCommitIs500() {
        for (Body b : List.of(Body.empty(), TrackedBody.lazy("", ""))) {
            TestResponse r = get(returning(withLength(5), b));
            assertEquals(500, r.status());
            assertFalse(r.isAborted());
            assertTrue(r.errors().contains("[body.content-length]"), r.errors());
        }
    }

    @Test
    @Covers({"response.short-body", "response.abort-after-commit"})
    void bodyShorterThanDeclaredAfterCommitAbortsTheConnection() {
        TrackedBody body = TrackedBody.lazy("abc");
        TestResponse r = get(returning(withLength(5), body));
        assertEquals(200, r.status());
        assertEquals(5, r.contentLength());
        assertEquals("abc", r.text());
        assertTrue(r.isAborted());
        assertFalse(r.events().contains("finish"));
        assertTrue(r.errors().contains("[body.content-length]"), r.errors());
        assertClosedOnce(body);
    }

    // --- HEAD -----------------------------------------------------------------------------------

    @Test
    @Covers("response.head")
    void headCallsTheApplicationAndSendsTheKnownLengthWithoutBody() {
        TrackedBody body = TrackedBody.counted("hello");
        TestResponse r = head(returning(TEXT, body));
        assertEquals("HEAD", r.environ().get(Environ.REQUEST_METHOD));
        assertEquals(200, r.status());
        assertEquals(5, r.contentLength());
        assertEquals(0, r.body().length);
        assertEquals(List.of("headers", "close", "finish"), r.events());
        assertClosedOnce(body);
    }

    @Test
    @Covers({"response.head", "server.close-once"})
    void headStopsIteratingAtTheFirstNonEmptyChunk() {
        TrackedBody body = TrackedBody.lazy("", "abc", "def");
        TestResponse r = head(returning(TEXT, body));
        assertEquals(2, body.nexts);
        assertEquals(-1, r.contentLength());
        assertEquals(0, r.body().length);
        assertClosedOnce(body);
    }

    @Test
    @Covers("response.head")
    void headKeepsADeclaredLengthEvenWithAnEmptyBody() {
        TestResponse r = head(returning(withLength(100), Body.empty()));
        assertEquals(200, r.status());
        assertEquals(100, r.contentLength());
        assertFalse(r.isAborted());
        assertEquals("", r.errors());
    }

    @Test
    @Covers("response.head")
    void headWithWriteSendsNothing() {
        TestResponse r = head((env, sr) -> {
            sr.start("200 OK", TEXT).write(utf8("abc"));
            return Body.ofUtf8("def");
        });
        assertEquals(0, r.body().length);
        assertEquals(-1, r.contentLength());
        assertEquals(List.of("headers", "close", "finish"), r.events());
    }

    @Test
    @Covers({"response.head", "response.error-500"})
    void headErrorIs500WithoutBody() {
        TestResponse r = head((env, sr) -> {
            throw new IllegalStateException("boom");
        });
        assertEquals(500, r.status());
        assertEquals(0, r.body().length);
        assertTrue(r.contentLength() > 0);
    }

    // --- 204 / 304 ------------------------------------------------------------------------------

    @Test
    @Covers({"response.bodyless", "body.no-content", "server.log"})
    void noContentDropsLengthAndBodyAndLogsOnce() {
        TrackedBody body = TrackedBody.lazy("x", "y");
        TestResponse r = get((env, sr) -> {
            sr.start("204 No Content", List.of(Header.of("Content-Length", "2"), Header.of("X-A", "1")));
            return body;
        });
        assertEquals(204, r.status());
        assertEquals(-1, r.contentLength());
        assertNull(r.header("Content-Length"));
        assertEquals("1", r.header("X-A"));
        assertEquals(0, r.body().length);
        assertEquals(2, body.nexts);
        assertEquals(1, r.errors().split("\\[body.no-content]", -1).length - 1, r.errors());
        assertClosedOnce(body);
    }

    @Test
    @Covers("response.bodyless")
    void notModifiedKeepsTheDeclaredLengthAndSendsNoBody() {
        TestResponse r = get((env, sr) -> {
            sr.start("304 Not Modified", List.of(Header.of("ETag", "\"v1\""), Header.of("Content-Length", "1234")));
            return Body.empty();
        });
        assertEquals(304, r.status());
        assertEquals(1234, r.contentLength());
        assertEquals("1234", r.header("Content-Length"));
        assertEquals(0, r.body().length);
        assertEquals("", r.errors());
        assertFalse(r.isAborted());
    }

    @Test
    @Covers({"response.bodyless", "body.no-content"})
    void notModifiedWithBodyBytesDropsThemAndLogs() {
        TestResponse r = get((env, sr) -> {
            sr.start("304 Not Modified", List.of());
            return Body.ofUtf8("stale");
        });
        assertEquals(-1, r.contentLength(), "no length from the dropped body");
        assertEquals(0, r.body().length);
        assertTrue(r.errors().contains("[body.no-content]"));
    }

    @Test
    @Covers("response.bodyless")
    void emptyNoContentIsQuiet() {
        TestResponse r = get((env, sr) -> {
            sr.start("204 No Content", List.of());
            return Body.empty();
        });
        assertEquals(204, r.status());
        assertEquals("", r.errors());
        assertEquals(List.of("headers", "close", "finish"), r.events());
    }

    // --- errors ---------------------------------------------------------------------------------

    @Test
    @Covers({"response.error-500", "server.log"})
    void exceptionBeforeCommitIs500WithoutStackTraceAndIsLogged() {
        TestResponse r = client((env, sr) -> {
            sr.start("200 OK", TEXT);
            throw new IllegalStateException("secret detail");
        }).get("/boom?x=1");
        assertEquals(500, r.status());
        assertEquals("Internal Server Error", r.reason());
        assertEquals("text/plain; charset=utf-8", r.header("Content-Type"));
        assertEquals("500 Internal Server Error\n", r.text());
        assertEquals(r.body().length, r.contentLength());
        assertFalse(r.isAborted());
        assertTrue(r.errors().contains("GET /boom?x=1"), r.errors());
        assertTrue(r.errors().contains("java.lang.IllegalStateException: secret detail"), r.errors());
        assertTrue(r.errors().contains("\tat "), "stack trace on jgi.errors");
    }

    @Test
    @Covers("response.error-500")
    void exceptionFromTheFirstChunkIs500() {
        TrackedBody body = TrackedBody.lazy("a").failAt(0, new UncheckedIOException(new IOException("disk")));
        TestResponse r = get(returning(TEXT, body));
        assertEquals(500, r.status());
        assertTrue(r.errors().contains("disk"));
        assertClosedOnce(body);
    }

    @Test
    @Covers("response.error-500")
    void checkedExceptionsAndErrorsAre500Too() {
        assertEquals(500, get((env, sr) -> {
            throw new IOException("checked");
        }).status());
        assertEquals(500, get((env, sr) -> {
            throw new Error("an error");
        }).status());
    }

    @Test
    @Covers("input.limit")
    void bodyOverTheLimitIs413() {
        TestResponse r = TestClient.builder((env, sr) -> {
            Environ.of(env).input().readAllBytes();
            sr.start("200 OK", TEXT);
            return Body.empty();
        }).validate(false).bodyLimit(4).build().request("POST", "/").body("0123456789").chunked().send();
        assertEquals(413, r.status());
        assertEquals("413 Content Too Large\n", r.text());
    }

    @Test
    @Covers("input.limit")
    void bodyOverTheLimitReadInsideTheIterationIs413() {
        TestResponse r = TestClient.builder((env, sr) -> {
            InputStream in = Environ.of(env).input();
            sr.start("200 OK", TEXT);
            // a streaming body reads lazily, and Body iteration can only throw unchecked exceptions
            return Body.from(() -> new java.util.Iterator<byte[]>() {
                boolean done;

                @Override
                public boolean hasNext() {
                    return !done;
                }

                @Override
                public byte[] next() {
                    done = true;
                    try {
                        return in.readAllBytes();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }, null);
        }).validate(false).bodyLimit(4).build().request("POST", "/").body("0123456789").chunked().send();
        assertEquals(413, r.status());
    }

    @Test
    @Covers({"response.abort-after-commit", "server.log", "server.close-once"})
    void exceptionAfterCommitAbortsTheConnection() {
        TrackedBody body = TrackedBody.lazy("abc", "def").failAt(1, new IllegalStateException("mid-body"));
        TestResponse r = get(returning(TEXT, body));
        assertEquals(200, r.status());
        assertEquals("abc", r.text());
        assertTrue(r.isAborted());
        assertTrue(r.errors().contains("mid-body"));
        assertTrue(r.errors().contains("\tat "));
        assertClosedOnce(body);
    }

    // --- start_response -------------------------------------------------------------------------

    @Test
    @Covers("start.exc-info")
    void excInfoBeforeCommitReplacesStatusAndHeaders() {
        TestResponse r = get((env, sr) -> {
            sr.start("200 OK", List.of(Header.of("X-A", "1")));
            try {
                throw new IOException("render failed");
            } catch (IOException e) {
                sr.start("500 Oops", List.of(Header.of("X-B", "2")), e);
                return Body.ofUtf8("sorry");
            }
        });
        assertEquals(500, r.status());
        assertEquals("Oops", r.reason());
        assertEquals(List.of(Header.of("X-B", "2"), Header.of("Content-Length", "5")), r.headers());
        assertEquals("sorry", r.text());
    }

    @Test
    @Covers("server.exc-info-rethrow")
    void excInfoAfterCommitIsRethrownUnchanged() {
        IOException original = new IOException("after commit");
        AtomicReference<Throwable> seen = new AtomicReference<>();
        TestResponse r = get((env, sr) -> {
            sr.start("200 OK", TEXT).write(utf8("x"));
            try {
                sr.start("500 Oops", TEXT, original);
            } catch (Throwable t) {
                seen.set(t);
            }
            return Body.empty();
        });
        assertSame(original, seen.get(), "the checked exception itself, not a wrapper");
        assertEquals(200, r.status());
        assertEquals("x", r.text());
        assertFalse(r.isAborted());
    }

    @Test
    @Covers({"server.exc-info-rethrow", "response.abort-after-commit"})
    void excInfoRethrownAndPropagatedAfterCommitAborts() {
        TestResponse r = get((env, sr) -> {
            sr.start("200 OK", TEXT).write(utf8("x"));
            sr.start("500 Oops", TEXT, new IllegalStateException("late"));
            throw new AssertionError("unreachable: start_response must have thrown");
        });
        assertTrue(r.isAborted());
        assertTrue(r.errors().contains("late"));
    }

    @Test
    @Covers("start.twice")
    void secondStartWithoutExcInfoIsRefused() {
        AtomicReference<RuntimeException> seen = new AtomicReference<>();
        TestResponse r = get((env, sr) -> {
            sr.start("200 OK", TEXT);
            try {
                sr.start("404 Not Found", TEXT);
            } catch (RuntimeException e) {
                seen.set(e);
            }
            return Body.ofUtf8("ok");
        });
        assertEquals("start.twice", assertInstanceOf(ProtocolException.class, seen.get()).rule());
        assertEquals(200, r.status());
    }

    @Test
    @Covers("start.twice")
    void startAfterAFailedStartIsStillASecondCall() {
        AtomicReference<RuntimeException> second = new AtomicReference<>();
        TestResponse r = get((env, sr) -> {
            try {
                sr.start("bad status", TEXT);
            } catch (ProtocolException e) {
                try {
                    sr.start("200 OK", TEXT);
                } catch (ProtocolException again) {
                    second.set(again);
                }
            }
            return Body.ofUtf8("x");
        });
        assertEquals("start.twice", assertInstanceOf(ProtocolException.class, second.get()).rule());
        assertEquals(500, r.status(), "no valid status was ever set");
    }

    @Test
    @Covers("start.headers-mutated")
    void headersAreCopiedAtStart() {
        List<Header> headers = new ArrayList<>(TEXT);
        TrackedBody body = TrackedBody.lazy("x");
        body.beforeChunk(i -> headers.add(Header.of("Bad Name", "smuggled\r\n")));
        TestResponse r = get((env, sr) -> {
            sr.start("200 OK", headers);
            return body;
        });
        assertEquals(200, r.status());
        assertEquals(TEXT, r.headers(), "a change after start_response must not reach the wire unvalidated");
    }

    @Test
    @Covers({"response.content-length-computed", "body.chunk-count"})
    void aBodyThatLiesAboutItsOneChunkIsCutAtTheComputedLength() {
        Body liar = new Body() {
            @Override
            public java.util.Iterator<byte[]> iterator() {
                return List.of(utf8("abc"), utf8("def")).iterator();
            }

            @Override
            public int chunkCount() {
                return 1;
            }
        };
        TestResponse r = get(returning(TEXT, liar));
        // the gateway stops at the computed length and never asks for the second chunk, as it must not peek
        assertEquals(3, r.contentLength());
        assertEquals("abc", r.text());
        assertFalse(r.isAborted());
        assertEquals("", r.errors());
    }

    @Test
    @Covers({"start.missing", "server.lazy-start"})
    void missingStartIs500() {
        for (Body b : List.of(Body.ofUtf8("x"), Body.empty())) {
            TestResponse r = get((env, sr) -> b);
            assertEquals(500, r.status());
            assertTrue(r.errors().contains("[start.missing]"), r.errors());
        }
    }

    @Test
    @Covers({"start.missing", "server.close-once"})
    void bodyDataBeforeStartIsRefusedAndTheBodyStillClosed() {
        TrackedBody body = TrackedBody.lazy("data");
        TestResponse r = get((env, sr) -> body);
        assertEquals(500, r.status());
        assertTrue(r.errors().contains("[start.missing]"));
        assertClosedOnce(body);
    }

    @Test
    @Covers("body.null")
    void nullBodyIs500() {
        TestResponse r = get((env, sr) -> {
            sr.start("200 OK", TEXT);
            return null;
        });
        assertEquals(500, r.status());
        assertTrue(r.errors().contains("[body.null]"));
        assertFalse(r.events().contains("close"), "there is nothing to close");
    }

    @Test
    @Covers("body.chunk-null")
    void nullChunkBeforeCommitIs500AndAfterCommitAborts() {
        TrackedBody first = TrackedBody.lazy((String) null);
        TestResponse r = get(returning(TEXT, first));
        assertEquals(500, r.status());
        assertTrue(r.errors().contains("[body.chunk-null]"));
        assertClosedOnce(first);

        TrackedBody later = TrackedBody.lazy("a", null);
        r = get(returning(TEXT, later));
        assertEquals(200, r.status());
        assertTrue(r.isAborted());
        assertTrue(r.errors().contains("[body.chunk-null]"));
        assertClosedOnce(later);
    }

    @Test
    @Covers("body.chunk-null")
    void writeNullIsRefused() {
        AtomicReference<RuntimeException> seen = new AtomicReference<>();
        get((env, sr) -> {
            Write w = sr.start("200 OK", TEXT);
            try {
                w.write(null);
            } catch (RuntimeException e) {
                seen.set(e);
            }
            return Body.empty();
        });
        assertEquals("body.chunk-null", assertInstanceOf(ProtocolException.class, seen.get()).rule());
    }

    @ParameterizedTest(name = "{2}: {0} / {1}")
    @CsvSource(delimiter = '|', value = {
        "200|X-A: 1|start.status",
        "'200 '|X-A: 1|OK",
        "2000 OK|X-A: 1|start.status",
        "20x OK|X-A: 1|start.status",
        "199 Early|X-A: 1|start.status",
        "100 Continue|X-A: 1|start.status",
        "600 Beyond|X-A: 1|start.status",
        "200 O<CR>K|X-A: 1|start.status",
        "200 Ü OK|X-A: 1|OK",
        "200 \u20ac|X-A: 1|start.status",
        "200 OK|X A: 1|start.header-name",
        "200 OK|X-A\u00e9: 1|start.header-name",
        "200 OK|X-A: a<CR><LF>Set-Cookie: x|start.header-value",
        "200 OK|X-A: a<LF>|start.header-value",
        "200 OK|X-A: <NUL>|start.header-value",
        "200 OK|X-A: <DEL>|start.header-value",
        "200 OK|X-A: caf\u00e9|OK",
        "200 OK|X-A: \u20ac|start.header-value",
        "200 OK|X-A: tab\there|OK",
        "200 OK|Connection: close|start.hop-by-hop",
        "200 OK|keep-alive: 5|start.hop-by-hop",
        "200 OK|Transfer-Encoding: chunked|start.hop-by-hop",
        "200 OK|TE: trailers|start.hop-by-hop",
        "200 OK|Upgrade: h2c|start.hop-by-hop",
        "200 OK|Proxy-Connection: x|start.hop-by-hop",
        "200 OK|Content-Length: -1|start.content-length",
        "200 OK|'Content-Length: 1 '|start.content-length",
        "200 OK|Content-Length: 0x1|start.content-length",
    })
    @Covers({"start.status", "start.header-name", "start.header-value", "start.hop-by-hop", "start.content-length"})
    void startResponseValidatesImmediately(String statusText, String headerText, String rule) {
        // control characters are spelled out: a CSV source would split records at CR and LF
        String status = controls(statusText);
        String header = controls(headerText);
        int colon = header.indexOf(": ");
        List<Header> headers = List.of(Header.of(header.substring(0, colon), header.substring(colon + 2)));
        AtomicReference<RuntimeException> seen = new AtomicReference<>();
        TestResponse r = get((env, sr) -> {
            try {
                sr.start(status, headers);
            } catch (RuntimeException e) {
                seen.set(e);
                throw e;
            }
            return Body.empty();
        });
        if (rule.equals("OK")) {
            assertNull(seen.get());
            assertEquals(200, r.status());
        } else {
            assertEquals(rule, assertInstanceOf(ProtocolException.class, seen.get()).rule());
            assertTrue(seen.get().getMessage().startsWith("[" + rule + "] "));
            assertEquals(500, r.status());
        }
    }

    private static String controls(String s) {
        return s.replace("<CR>", "\r").replace("<LF>", "\n").replace("<NUL>", "\0").replace("<DEL>", "\u007f");
    }

    @Test
    @Covers({"start.headers", "start.content-length", "start.header-value"})
    void nullHeadersAndConflictingLengthsAreRefused() {
        List<List<Header>> cases = new ArrayList<>();
        cases.add(null);
        cases.add(Arrays.asList(Header.of("X-A", "1"), null));
        cases.add(List.of(Header.of("Content-Length", "1"), Header.of("Content-Length", "2")));
        cases.add(List.of(Header.of("X-A", null)));
        for (List<Header> headers : cases) {
            AtomicReference<RuntimeException> seen = new AtomicReference<>();
            get((env, sr) -> {
                try {
                    sr.start("200 OK", headers);
                } catch (RuntimeException e) {
                    seen.set(e);
                }
                return Body.empty();
            });
            assertInstanceOf(ProtocolException.class, seen.get(), String.valueOf(headers));
        }
    }

    // --- close() --------------------------------------------------------------------------------

    @Test
    @Covers({"server.close-once", "server.log"})
    void closeThatThrowsIsLoggedAndTheResponseStillFinishes() {
        TrackedBody body = TrackedBody.counted("ok").failOnClose(new IOException("close failed"));
        TestResponse r = get(returning(TEXT, body));
        assertEquals("ok", r.text());
        assertFalse(r.isAborted());
        assertTrue(r.events().contains("finish"));
        assertTrue(r.errors().contains("body.close() failed"), r.errors());
        assertClosedOnce(body);
    }

    @Test
    @Covers("server.close-once")
    void closeIsCalledBeforeFinish() {
        TestResponse r = get(returning(TEXT, TrackedBody.lazy("a", "b")));
        List<String> ev = r.events();
        assertEquals(ev.size() - 2, ev.indexOf("close"));
        assertEquals("finish", ev.get(ev.size() - 1));
    }

    // --- file bodies ----------------------------------------------------------------------------

    private Path file(String content) throws IOException {
        Path p = Files.createTempFile(tmp, "body", ".txt");
        Files.writeString(p, content);
        return p;
    }

    private static FileBody region(Path p, long pos, long count) throws IOException {
        return new FileBody(FileChannel.open(p, StandardOpenOption.READ), pos, count);
    }

    @Test
    @Covers({"file.region", "file.close", "response.content-length-computed"})
    void fileBodyGoesThroughTransferWithItsLength() throws Exception {
        FileBody body = region(file("0123456789"), 2, 5);
        TestResponse r = get(returning(TEXT, body));
        assertEquals("23456", r.text());
        assertEquals(5, r.contentLength());
        assertEquals(List.of("headers", "file:5", "close", "finish"), r.events());
        assertFalse(body.channel().isOpen(), "closing the body closes the file");
    }

    @Test
    @Covers("file.region")
    void fileBodyWithDeclaredLength() throws Exception {
        TestResponse r = get(returning(withLength(10), region(file("0123456789"), 0, 10)));
        assertEquals("0123456789", r.text());
        assertEquals(10, r.contentLength());
        assertEquals(List.of("headers", "file:10", "close", "finish"), r.events());
    }

    @Test
    @Covers({"file.region", "response.content-length-limit"})
    void fileBodyLongerThanDeclaredIsTruncatedAndLogged() throws Exception {
        TestResponse r = get(returning(withLength(3), region(file("0123456789"), 0, 10)));
        assertEquals("012", r.text());
        assertFalse(r.isAborted());
        assertTrue(r.errors().contains("[body.content-length]"), r.errors());
    }

    @Test
    @Covers({"file.region", "response.short-body"})
    void fileBodyShorterThanDeclaredAborts() throws Exception {
        TestResponse r = get(returning(withLength(20), region(file("0123456789"), 0, 10)));
        assertEquals("0123456789", r.text());
        assertTrue(r.isAborted());
        assertTrue(r.errors().contains("[body.content-length]"));
    }

    @Test
    @Covers({"file.region", "response.head"})
    void fileBodyOnHeadSendsOnlyTheLength() throws Exception {
        TestResponse r = head(returning(TEXT, region(file("0123456789"), 0, 10)));
        assertEquals(10, r.contentLength());
        assertEquals(List.of("headers", "close", "finish"), r.events());
    }

    @Test
    @Covers({"file.region", "response.bodyless", "file.close"})
    void fileBodyOnNoContentIsDroppedAndLogged() throws Exception {
        FileBody body = region(file("0123456789"), 0, 10);
        TestResponse r = get((env, sr) -> {
            sr.start("204 No Content", List.of());
            return body;
        });
        assertEquals(0, r.body().length);
        assertTrue(r.errors().contains("[body.no-content]"), r.errors());
        assertFalse(body.channel().isOpen());
    }

    @Test
    @Covers("file.region")
    void fileBodyAfterWrite() throws Exception {
        TestResponse r = get((env, sr) -> {
            sr.start("200 OK", TEXT).write(utf8("head:"));
            return region(file("tail"), 0, 4);
        });
        assertEquals("head:tail", r.text());
        assertEquals(-1, r.contentLength());
    }

    @Test
    @Covers({"file.region", "start.missing", "file.close"})
    void fileBodyWithoutStartIs500() throws Exception {
        FileBody body = region(file("x"), 0, 1);
        TestResponse r = get((env, sr) -> body);
        assertEquals(500, r.status());
        assertTrue(r.errors().contains("[start.missing]"));
        assertFalse(body.channel().isOpen());
    }

    @Test
    @Covers("file.region")
    void fileWrapperFromTheEnvironWrapsAPath() throws Exception {
        Path p = file("wrapped file");
        TestResponse r = get((env, sr) -> {
            sr.start("200 OK", TEXT);
            return Environ.of(env).fileWrapper().wrap(p);
        });
        assertEquals("wrapped file", r.text());
        assertEquals(12, r.contentLength());
        assertEquals(List.of("headers", "file:12", "close", "finish"), r.events());
    }

    @Test
    @Covers({"file.iterable", "extension.bypass", "middleware.file-region"})
    void fileBodyHiddenByMiddlewareIsIteratedInBlocks() throws Exception {
        String content = "x".repeat(150_000);
        FileBody inner = region(file(content), 0, content.length());
        TestResponse r = get(returning(TEXT, Body.from(inner, inner)));
        assertEquals(content, r.text());
        assertEquals(-1, r.contentLength());
        assertEquals(List.of("headers", "chunk:65536", "chunk:65536", "chunk:18928", "close", "finish"), r.events());
        assertFalse(inner.channel().isOpen());
    }

    @Test
    @Covers("file.region")
    void defaultTransferCopiesThroughWrite() throws Exception {
        RecordingChannel ch = new RecordingChannel();
        String content = "y".repeat(70_000);
        new Gateway(returning(TEXT, region(file(content), 0, content.length()))).serve(environ("GET"), ch);
        assertEquals(List.of("headers 200 OK", "write 65536", "write 4464", "finish"), ch.events);
        assertEquals(content.length(), ch.contentLength);
        assertEquals(content, ch.body.toString(StandardCharsets.UTF_8));
    }

    // --- client disconnect ----------------------------------------------------------------------

    @Test
    @Covers({"server.client-disconnect", "server.close-once", "server.log"})
    void disconnectIsSeenByWriteAndTheBodyIsStillClosed() {
        AtomicReference<IOException> seen = new AtomicReference<>();
        TrackedBody body = TrackedBody.lazy("never sent");
        TestResponse r = client((env, sr) -> {
            Write w = sr.start("200 OK", TEXT);
            try {
                w.write(utf8("abc"));
            } catch (IOException e) {
                seen.set(e);
            }
            return body;
        }).request("GET", "/").disconnectAfter(0).send();
        assertInstanceOf(ClientDisconnectedException.class, seen.get());
        assertTrue(r.isAborted());
        assertEquals(0, body.nexts, "nothing more is sent to a client that is gone");
        assertTrue(r.errors().contains("client disconnected"), r.errors());
        assertClosedOnce(body);
    }

    @Test
    @Covers("server.client-disconnect")
    void writeKeepsFailingAfterADisconnect() {
        List<IOException> seen = new ArrayList<>();
        TestResponse r = client((env, sr) -> {
            Write w = sr.start("200 OK", TEXT);
            for (int i = 0; i < 3; i++) {
                try {
                    w.write(utf8("abc"));
                } catch (IOException e) {
                    seen.add(e);
                }
            }
            return Body.empty();
        }).request("GET", "/").disconnectAfter(3).send();
        assertEquals("abc", r.text());
        assertEquals(2, seen.size(), "every write after the disconnect fails: " + seen);
        seen.forEach(e -> assertInstanceOf(ClientDisconnectedException.class, e));
        assertTrue(r.isAborted());
    }

    @Test
    @Covers({"server.client-disconnect", "server.close-once"})
    void disconnectStopsIteration() {
        TrackedBody body = TrackedBody.lazy("a", "b", "c");
        TestResponse r = client(returning(TEXT, body)).request("GET", "/").disconnectAfter(1).send();
        assertEquals("a", r.text());
        assertEquals(2, body.nexts);
        assertTrue(r.isAborted());
        assertEquals(List.of("headers", "chunk:1", "disconnect", "abort", "close"), r.events());
        assertClosedOnce(body);
    }

    // --- directly on a channel ------------------------------------------------------------------

    private static Map<String, Object> environ(String method) {
        try {
            return new EnvironBuilder("").method(method).target("/t").header("Host", "h")
                    .errors(new PrintWriter(new StringWriter())).build();
        } catch (RequestRejectedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @Covers({"server.close-once", "server.client-disconnect"})
    void failingHeadersAbortAndCloseOnce() {
        RecordingChannel ch = new RecordingChannel();
        ch.failHeaders = new IOException("reset");
        TrackedBody body = TrackedBody.lazy("a", "b");
        new Gateway(returning(TEXT, body)).serve(environ("GET"), ch);
        assertEquals(1, ch.aborts);
        assertFalse(ch.finished);
        assertEquals(1, body.nexts);
        assertClosedOnce(body);
    }

    @Test
    @Covers("server.close-once")
    void failingFinishAborts() {
        RecordingChannel ch = new RecordingChannel();
        ch.failFinish = new IOException("reset");
        TrackedBody body = TrackedBody.counted("a");
        new Gateway(returning(TEXT, body)).serve(environ("GET"), ch);
        assertEquals(List.of("headers 200 OK", "write 1", "finish", "abort"), ch.events);
        assertClosedOnce(body);
    }

    @Test
    @Covers("response.error-500")
    void failingErrorResponseAborts() {
        RecordingChannel ch = new RecordingChannel();
        ch.failHeaders = new IOException("reset");
        new Gateway((env, sr) -> {
            throw new IllegalStateException("x");
        }).serve(environ("GET"), ch);
        assertEquals(List.of("headers 500 Internal Server Error", "abort"), ch.events);
    }

    @Test
    @Covers("server.close-once")
    void serveNeverThrowsEvenIfAbortDoes() {
        List<String> events = new ArrayList<>();
        ResponseChannel throwing = new ResponseChannel() {
            @Override
            public void sendHeaders(int status, String reason, List<Header> headers, long contentLength, boolean bodyless) {
                events.add("headers");
            }

            @Override
            public void write(byte[] chunk, int offset, int length) throws IOException {
                throw new IOException("gone");
            }

            @Override
            public void finish() {
                events.add("finish");
            }

            @Override
            public void abort(Throwable cause) {
                events.add("abort");
                throw new IllegalStateException("abort failed");
            }
        };
        TrackedBody body = TrackedBody.lazy("a");
        new Gateway(returning(TEXT, body)).serve(environ("GET"), throwing);
        assertEquals(List.of("headers", "abort"), events);
        assertClosedOnce(body);
    }

    @Test
    @Covers("server.log")
    void environWithoutErrorsLogsToTheFallback() {
        StringWriter fallback = new StringWriter();
        Map<String, Object> env = environ("GET");
        env.remove(Environ.JGI_ERRORS);
        RecordingChannel ch = new RecordingChannel();
        new Gateway((e, sr) -> {
            throw new IllegalStateException("logged to fallback");
        }, new PrintWriter(fallback)).serve(env, ch);
        assertEquals(500, ch.status);
        assertTrue(fallback.toString().contains("logged to fallback"));
        assertTrue(fallback.toString().contains("[jgi] GET /t: "));
    }

    @Test
    @Covers("server.log")
    void logLabelIsCapturedBeforeTheApplicationRewritesTheEnviron() {
        TestResponse r = client((env, sr) -> {
            env.put(Environ.REQUEST_URI, "/rewritten");
            throw new IllegalStateException("x");
        }).get("/original");
        assertTrue(r.errors().contains("GET /original: "), r.errors());
    }

    @Test
    void rejectSendsAShortPlainTextResponse() {
        RecordingChannel ch = new RecordingChannel();
        Gateway.reject(ch, 400, "bad path", false);
        assertEquals(400, ch.status);
        assertEquals("400 Bad Request\nbad path\n", ch.body.toString(StandardCharsets.UTF_8));
        assertEquals(ch.body.size(), ch.contentLength);
        assertTrue(ch.finished);

        RecordingChannel headCh = new RecordingChannel();
        Gateway.reject(headCh, 404, "elsewhere", true);
        assertEquals(404, headCh.status);
        assertEquals(0, headCh.body.size());
        assertTrue(headCh.contentLength > 0);
        assertTrue(headCh.bodyless);
        assertTrue(headCh.finished);
    }

    @Test
    void gatewayKeepsItsApplication() {
        Application app = returning(TEXT, Body.empty());
        assertSame(app, new Gateway(app).application());
        assertThrows(NullPointerException.class, () -> new Gateway(null));
        assertNotNull(new Gateway(app, null));
    }

    @Test
    @Covers("start.twice")
    void aSecondStartAfterAFailedFirstCallIsStillStartTwice() {
        AtomicReference<RuntimeException> second = new AtomicReference<>();
        TestResponse r = get((env, sr) -> {
            assertThrows(ProtocolException.class, () -> sr.start("bad", TEXT));
            try {
                sr.start("200 OK", TEXT);
            } catch (ProtocolException e) {
                second.set(e);
                throw e;
            }
            return Body.ofUtf8("unreachable");
        });
        assertEquals(500, r.status());
        assertNotNull(second.get(), "PEP 3333: the second call without excInfo is fatal even after a failed one");
        assertEquals(ResponseRules.TWICE, ((ProtocolException) second.get()).rule());
    }

    @Test
    @Covers("start.headers-mutated")
    void headersChangedAfterStartAreNotSent() {
        TestResponse r = get((env, sr) -> {
            List<Header> headers = new ArrayList<>(TEXT);
            sr.start("200 OK", headers);
            headers.add(Header.of("X-Injected", "a\r\nSet-Cookie: evil"));
            headers.set(0, Header.of("Content-Type", "text/evil"));
            return Body.ofUtf8("ok");
        });
        assertEquals(200, r.status());
        assertEquals("text/plain", r.header("Content-Type"));
        assertNull(r.header("X-Injected"), "the server sends the validated copy taken at start");
    }

    @Test
    @Covers({"response.content-length-computed", "body.chunk-count"})
    void aWrongOneChunkCountCannotSendMoreThanTheComputedLength() {
        Body lying = new Body() {
            @Override
            public java.util.Iterator<byte[]> iterator() {
                return List.of(utf8("abc"), utf8("defg")).iterator();
            }

            @Override
            public int chunkCount() {
                return 1;
            }
        };
        TestResponse r = get(returning(TEXT, lying));
        assertEquals(3, r.contentLength());
        assertEquals("abc", r.text(), "never more bytes than the Content-Length sent");
        assertFalse(r.isAborted());
        // the gateway stops at the computed length without looking ahead, so only the validator
        // ([body.chunk-count]) can report the lie
    }
}

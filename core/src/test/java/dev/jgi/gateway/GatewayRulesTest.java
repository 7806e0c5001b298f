package dev.jgi.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import dev.jgi.Covers;
import dev.jgi.Environ;
import dev.jgi.FileWrapper;
import dev.jgi.Header;
import dev.jgi.ProtocolException;
import dev.jgi.StartResponse;
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
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC.md rules of the server side that the engine carries out, checked in-process where the
 * older tests (GatewayTest, EnvironBuilderTest, TestClientTest) left them unchecked: environ
 * freshness, the division of labour with the adapter (Date, reason phrase, repeated fields,
 * transparency), streaming of write(), the methods and threads the server uses, file bodies
 * before they are sent, and extension keys.
 */
class GatewayRulesTest {

    private static final List<Header> TEXT = List.of(Header.of("Content-Type", "text/plain"));

    @TempDir
    Path tmp;

    private static TestClient unvalidated(Application app) {
        return TestClient.builder(app).validate(false).build();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, Object> environ(String method) {
        try {
            return new EnvironBuilder("").method(method).target("/t").header("Host", "h")
                    .errors(new PrintWriter(new StringWriter())).build();
        } catch (RequestRejectedException e) {
            throw new AssertionError(e);
        }
    }

    private Path file(String content) throws IOException {
        Path p = Files.createTempFile(tmp, "body", ".txt");
        Files.writeString(p, content);
        return p;
    }

    // --- the environ ---------------------------------------------------------------------------

    @Test
    @Covers({"environ.fresh", "server.call"})
    void everyRequestGetsANewEnvironAndNothingOfThePreviousOne() {
        List<Map<String, Object>> seen = new ArrayList<>();
        List<StartResponse> starts = new ArrayList<>();
        TestClient c = TestClient.of((env, sr) -> {
            assertFalse(env.containsKey("test.mark"), "a key the previous call added must not come back");
            assertEquals("/p", env.get(Environ.PATH_INFO), "a value the previous call changed must not come back");
            seen.add(env);
            starts.add(sr);
            env.put("test.mark", "left behind");
            env.put(Environ.PATH_INFO, "/changed");
            env.remove(Environ.QUERY_STRING);
            sr.start("200 OK", TEXT);
            return Body.empty();
        });
        for (int i = 0; i < 3; i++) {
            assertEquals(200, c.get("/p?q").status());
        }
        assertEquals(3, seen.size(), "one call per request");
        Set<Object> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        distinct.addAll(seen);
        assertEquals(3, distinct.size(), "a new map each time");
        distinct.clear();
        distinct.addAll(starts);
        assertEquals(3, distinct.size(), "a new start_response each time");
    }

    @Test
    @Covers({"environ.fresh", "response.head"})
    void theGatewayDecidesFromTheRequestNotFromTheEnvironTheAppChanged() {
        Application rewrites = (env, sr) -> {
            env.put(Environ.REQUEST_METHOD, "GET".equals(env.get(Environ.REQUEST_METHOD)) ? "HEAD" : "GET");
            env.put(Environ.REQUEST_URI, "/rewritten");
            sr.start("200 OK", TEXT);
            return Body.ofUtf8("body");
        };
        TestResponse get = unvalidated(rewrites).get("/x");
        assertEquals("body", get.text(), "a GET stays a GET for the server");
        TestResponse head = unvalidated(rewrites).request("HEAD", "/x").send();
        assertEquals(0, head.body().length, "a HEAD stays a HEAD for the server");
        assertEquals(4, head.contentLength());
    }

    @Test
    @Covers({"extension.key", "extension.bypass"})
    void theEnvironHasNoKeysOtherThanCgiAndTheSpecsJgiKeys() {
        Set<String> jgiKeys = Set.of(Environ.JGI_VERSION, Environ.JGI_URL_SCHEME, Environ.JGI_INPUT, Environ.JGI_ERRORS,
                Environ.JGI_MULTITHREAD, Environ.JGI_MULTIPROCESS, Environ.JGI_RUN_ONCE, Environ.JGI_INPUT_TERMINATED,
                Environ.JGI_FILE_WRAPPER);
        Pattern cgi = Pattern.compile("[A-Z][A-Z0-9_]*");
        TestResponse r = TestClient.of((env, sr) -> {
            sr.start("200 OK", TEXT);
            return Body.empty();
        }).request("POST", "/x?y").header("Content-Type", "text/plain").header("X-A", "1").body("abc").send();
        Map<String, Object> env = r.environ();
        for (String key : env.keySet()) {
            if (key.indexOf('.') < 0) {
                assertTrue(cgi.matcher(key).matches(), "a key without a dot is a CGI key: " + key);
            } else {
                // jgi.* is reserved; the engine offers no server-specific extension, so there is
                // nothing that could bypass a middleware's replacement of a JGI part
                assertTrue(jgiKeys.contains(key), "no extension key beyond the spec's jgi.* keys: " + key);
            }
        }
        assertTrue(env.keySet().containsAll(Set.of(Environ.JGI_VERSION, Environ.JGI_FILE_WRAPPER)));
    }

    @Test
    @Covers("thread.multithread")
    void aSharedClientCallsTheApplicationConcurrentlyAndSaysSo() throws Exception {
        CyclicBarrier both = new CyclicBarrier(2);
        List<Object> flags = Collections.synchronizedList(new ArrayList<>());
        TestClient c = TestClient.of((env, sr) -> {
            flags.add(env.get(Environ.JGI_MULTITHREAD));
            both.await(20, TimeUnit.SECONDS); // both requests are inside the application at once
            sr.start("200 OK", TEXT);
            return Body.empty();
        });
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        Thread other = new Thread(() -> {
            try {
                assertEquals(200, c.get("/a").status());
            } catch (Throwable t) {
                failures.add(t);
            }
        });
        other.start();
        assertEquals(200, c.get("/b").status());
        other.join(20_000);
        assertEquals(List.of(), failures);
        assertEquals(List.of(Boolean.TRUE, Boolean.TRUE), flags, "concurrent calls: jgi.multithread must be TRUE");
    }

    // --- request bodies ------------------------------------------------------------------------

    @Test
    @Covers("input.unread")
    void anApplicationMayLeaveTheBodyUnreadOrPartlyRead() {
        for (int readBytes : new int[] {0, 3}) {
            TestResponse r = TestClient.of((env, sr) -> {
                InputStream in = Environ.of(env).input();
                byte[] got = in.readNBytes(readBytes);
                sr.start("200 OK", TEXT);
                return Body.of(got);
            }).request("POST", "/").body("0123456789").expectContinue().send();
            assertEquals(200, r.status());
            assertEquals("012".substring(0, readBytes), r.text());
            assertEquals("", r.errors(), "leaving the body is not an error");
            assertEquals(readBytes > 0, r.continueSent(), "100 Continue only for a read");
        }
    }

    // --- streaming -----------------------------------------------------------------------------

    @Test
    @Covers("response.no-delay")
    void eachChunkIsOnTheChannelBeforeTheNextIsAskedFor() {
        RecordingChannel ch = new RecordingChannel();
        String[] chunks = {"a", "", "bc", "def"};
        TrackedBody body = TrackedBody.lazy(chunks);
        int[] sentBefore = {0, 1, 1, 3};
        body.beforeChunk(i -> assertEquals(sentBefore[i], ch.body.size(), "bytes on the channel before chunk " + i));
        new Gateway((env, sr) -> {
            sr.start("200 OK", TEXT);
            return body;
        }).serve(environ("GET"), ch);
        assertEquals("abcdef", ch.body.toString(StandardCharsets.UTF_8));
        assertEquals(4, body.nexts);
    }

    @Test
    @Covers({"write.sent", "response.no-delay", "response.header-delay"})
    void writeHasSentItsBytesWhenItReturnsAndAnEmptyWriteCommitsNothing() {
        RecordingChannel ch = new RecordingChannel();
        AtomicReference<Write> first = new AtomicReference<>();
        new Gateway((env, sr) -> {
            Write w = sr.start("200 OK", TEXT);
            first.set(w);
            w.write(new byte[0]);
            assertFalse(ch.headersSent(), "an empty write must not commit");
            Write again = sr.start("201 Created", List.of(Header.of("X-Replaced", "yes")), new IllegalStateException("why"));
            assertSame(w, again, "the same write callable after a replacement");
            byte[] data = utf8("abc");
            w.write(data);
            assertEquals("abc", ch.body.toString(StandardCharsets.UTF_8), "write returned before the bytes were sent");
            data[0] = 'X'; // the server keeps no reference to the array
            w.write(utf8("de"));
            return Body.ofUtf8("f");
        }).serve(environ("GET"), ch);
        assertEquals(201, ch.status);
        assertEquals("abcdef", ch.body.toString(StandardCharsets.UTF_8), "write data first, then the body");
        assertEquals(-1, ch.contentLength);
        assertNotNull(first.get());
    }

    // --- what the gateway hands the adapter ----------------------------------------------------

    @Test
    @Covers({"response.repeated-headers", "response.transparent"})
    void theApplicationsHeadersReachTheChannelInOrderEachAsItsOwnField() {
        List<Header> headers = List.of(Header.of("Set-Cookie", "a=1; Path=/"), Header.of("X-Mid", "m"),
                Header.of("set-cookie", "b=2"), Header.of("Vary", "Accept"), Header.of("Vary", "Cookie"),
                Header.of("ETag", "\"v1\""), Header.of("Cache-Control", "no-store"), Header.of("Content-Encoding", "br"));
        RecordingChannel ch = new RecordingChannel();
        new Gateway((env, sr) -> {
            sr.start("200 OK", headers);
            return Body.of(new byte[] {0, (byte) 0xff, 10, 13});
        }).serve(environ("GET"), ch);
        assertEquals(headers, ch.headers, "no header joined, dropped, reordered or changed");
        assertEquals(4, ch.contentLength);
        assertArrayEquals(new byte[] {0, (byte) 0xff, 10, 13}, ch.body.toByteArray(), "the body byte-exact");
    }

    @Test
    @Covers("response.transparent")
    void aPartialContentResponseIsPassedOnUnchanged() {
        TestResponse r = TestClient.of((env, sr) -> {
            sr.start("206 Partial Content", List.of(Header.of("Content-Range", "bytes 2-4/10"),
                    Header.of("Content-Length", "3"), Header.of("Accept-Ranges", "bytes")));
            return Body.ofUtf8("234");
        }).request("GET", "/").header("Range", "bytes=2-4").header("Accept-Encoding", "gzip").send();
        assertEquals(206, r.status());
        assertEquals("Partial Content", r.reason());
        assertEquals(List.of(Header.of("Content-Range", "bytes 2-4/10"), Header.of("Accept-Ranges", "bytes"),
                Header.of("Content-Length", "3")), r.headers());
        assertEquals("234", r.text(), "no compression, no range handling of the server's own");
    }

    @Test
    @Covers("response.date")
    void dateIsTheAdaptersJobAndTheApplicationsDatePassesThroughOnce() {
        RecordingChannel ch = new RecordingChannel();
        new Gateway((env, sr) -> {
            sr.start("200 OK", TEXT);
            return Body.empty();
        }).serve(environ("GET"), ch);
        assertTrue(ch.headers.stream().noneMatch(h -> h.name().equalsIgnoreCase("Date")),
                "the gateway adds no Date: the adapter does, where its server does not (SPEC: the adapter's job)");

        RecordingChannel own = new RecordingChannel();
        Header date = Header.of("Date", "Sun, 06 Nov 1994 08:49:37 GMT");
        new Gateway((env, sr) -> {
            sr.start("200 OK", List.of(date));
            return Body.empty();
        }).serve(environ("GET"), own);
        assertEquals(List.of(date), own.headers, "the application's Date, once and unchanged");
    }

    @Test
    @Covers("response.reason-phrase")
    void theApplicationsReasonPhraseReachesTheChannelUnchanged() {
        String[][] cases = {{"299 Custom Phrase", "299", "Custom Phrase"}, {"404 Gone Fishing", "404", "Gone Fishing"},
            {"200 ", "200", ""}, {"200 caf\u00e9\tok", "200", "caf\u00e9\tok"}};
        for (String[] c : cases) {
            RecordingChannel ch = new RecordingChannel();
            new Gateway((env, sr) -> {
                sr.start(c[0], TEXT);
                return Body.empty();
            }).serve(environ("GET"), ch);
            assertEquals(List.of("headers " + c[1] + " " + c[2], "finish"), ch.events, c[0]);
        }
    }

    @Test
    @Covers("response.chunked")
    void anUnknownLengthIsLeftToTheAdapterToFrame() {
        for (String protocol : new String[] {"HTTP/1.1", "HTTP/1.0"}) {
            TestResponse r = unvalidated((env, sr) -> {
                sr.start("200 OK", TEXT);
                return TrackedBody.lazy("a", "b");
            }).request("GET", "/").protocol(protocol).send();
            assertEquals(-1, r.contentLength(), protocol + ": the gateway passes -1 and the adapter frames");
            assertNull(r.header("Transfer-Encoding"), "framing fields are never the gateway's");
            assertEquals("ab", r.text());
            assertFalse(r.isAborted());
        }
    }

    // --- start_response with excInfo -----------------------------------------------------------

    @Test
    @Covers("start.exc-info")
    void aReplacementIsValidatedLikeAFirstCallAndReplacesEverything() {
        AtomicReference<RuntimeException> refused = new AtomicReference<>();
        // unvalidated: the Validator would stop the bad replacement first, as its own start.header-value
        TestResponse r = unvalidated((env, sr) -> {
            Write w = sr.start("200 OK", List.of(Header.of("X-First", "1"), Header.of("Content-Length", "99")));
            IllegalStateException e = new IllegalStateException("render failed");
            try {
                sr.start("500 Internal Server Error", List.of(Header.of("X-Bad", "a\r\nb")), e);
            } catch (ProtocolException bad) {
                refused.set(bad);
            }
            assertSame(w, sr.start("502 Bad Gateway", List.of(Header.of("X-Second", "2")), e));
            assertSame(w, sr.start("503 Service Unavailable", List.of(Header.of("X-Third", "3")), e),
                    "any number of replacements before commit, always the same write callable");
            return Body.ofUtf8("sorry");
        }).get("/");
        assertEquals("start.header-value", assertInstanceOf(ProtocolException.class, refused.get()).rule(),
                "a replacement's headers are validated as for a first call");
        assertEquals(503, r.status());
        assertEquals(List.of(Header.of("X-Third", "3"), Header.of("Content-Length", "5")), r.headers(),
                "nothing of the earlier calls survives, not even their Content-Length");
        assertEquals("sorry", r.text());
    }

    @Test
    @Covers("start.exc-info")
    void aFirstCallMayCarryExcInfo() {
        TestResponse r = TestClient.of((env, sr) -> {
            sr.start("500 Internal Server Error", TEXT, new IllegalStateException("before anything"));
            return Body.ofUtf8("x");
        }).get("/");
        assertEquals(500, r.status());
        assertEquals("x", r.text());
    }

    // --- how the server uses the body ----------------------------------------------------------

    @Test
    @Covers("server.body-methods")
    void theGatewayUsesOnlyIteratorChunkCountAndClose() throws Exception {
        for (String method : new String[] {"GET", "HEAD"}) {
            BodyProbes.Strict body = new BodyProbes.Strict("a", "b");
            RecordingChannel ch = new RecordingChannel();
            new Gateway((env, sr) -> {
                sr.start("200 OK", TEXT);
                return body;
            }).serve(environ(method), ch);
            assertEquals(List.of(), body.forbidden, method);
            assertTrue(List.of("iterator", "chunkCount", "close").containsAll(body.used), method + ": " + body.used);
            assertEquals("close", body.used.get(body.used.size() - 1));
        }
        BodyProbes.Strict failing = new BodyProbes.Strict("a");
        RecordingChannel ch = new RecordingChannel();
        new Gateway((env, sr) -> failing).serve(environ("GET"), ch); // start.missing: the error path
        assertEquals(500, ch.status);
        assertEquals(List.of(), failing.forbidden);
    }

    @Test
    @Covers("thread.request")
    void everyCallIntoTheApplicationIsOnTheRequestThread() {
        Set<Thread> threads = Collections.synchronizedSet(new LinkedHashSet<>());
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        Consumer<String> here = what -> {
            calls.add(what);
            threads.add(Thread.currentThread());
        };
        TestResponse r = TestClient.of((env, sr) -> {
            here.accept("call");
            Write w = sr.start("200 OK", TEXT);
            w.write(utf8("w"));
            return BodyProbes.observed(here, "a", "b");
        }).get("/");
        assertEquals("wab", r.text());
        assertTrue(calls.containsAll(List.of("call", "iterator", "hasNext", "next", "chunkCount", "close")), calls.toString());
        assertEquals(Set.of(Thread.currentThread()), threads, "the request thread of the TestClient is the caller's");
    }

    @Test
    @Covers("thread.pinning")
    void theApplicationIsNeverCalledWhileTheServerHoldsAMonitor() {
        Object lock = new Object();
        synchronized (lock) {
            assertEquals(1, BodyProbes.monitorsHeld().size(), "the check must see a monitor held further up the stack");
        }
        List<String> held = Collections.synchronizedList(new ArrayList<>());
        Runnable check = () -> held.addAll(BodyProbes.monitorsHeld());
        TestResponse r = TestClient.of((env, sr) -> {
            check.run();
            sr.start("200 OK", TEXT);
            Environ.of(env).errors().println("logged");
            Environ.of(env).errors().flush();
            return Body.from(() -> new Iterator<byte[]>() {
                int i;

                @Override
                public boolean hasNext() {
                    check.run();
                    return i < 2;
                }

                @Override
                public byte[] next() {
                    check.run();
                    return utf8(Integer.toString(i++));
                }
            }, check::run);
        }).get("/");
        assertEquals("01", r.text());
        assertEquals(List.of(), held);
    }

    // --- file bodies before and without the file path -------------------------------------------

    @Test
    @Covers("file.lazy")
    void wrapSendsNothingSoTheApplicationCanStillChangeItsMind() throws Exception {
        Path p = file("file content");
        AtomicReference<Body> wrapped = new AtomicReference<>();
        TestResponse r = TestClient.of((env, sr) -> {
            sr.start("200 OK", TEXT);
            FileWrapper wrapper = Environ.of(env).fileWrapper();
            Body b = wrapper.wrap(p);
            wrapped.set(b);
            // wrap has committed nothing: the response can still be replaced
            sr.start("503 Service Unavailable", List.of(Header.of("Retry-After", "1")), new IOException("changed my mind"));
            b.close();
            return Body.ofUtf8("busy");
        }).get("/");
        assertEquals(503, r.status());
        assertEquals("busy", r.text());
        assertEquals(List.of("headers", "chunk:4", "close", "finish"), r.events(), "no file bytes went out");
        assertFalse(((FileRegion) wrapped.get()).channel().isOpen());

        TestResponse thrown = unvalidated((env, sr) -> {
            sr.start("200 OK", TEXT);
            Body b = Environ.of(env).fileWrapper().wrap(p);
            b.close();
            throw new IllegalStateException("after wrap");
        }).get("/");
        assertEquals(500, thrown.status(), "nothing was committed by wrap");
    }

    @Test
    @Covers("file.iterable")
    void aFileBodyIteratesAsExactlyItsRegionWithoutMovingTheChannel() throws Exception {
        String content = "0123456789".repeat(10_000);
        Path p = file(content);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ch.position(7);
            FileBody body = new FileBody(ch, 5, 70_000);
            StringBuilder seen = new StringBuilder();
            List<Integer> sizes = new ArrayList<>();
            for (byte[] chunk : body) {
                sizes.add(chunk.length);
                seen.append(new String(chunk, StandardCharsets.US_ASCII));
            }
            assertEquals(content.substring(5, 70_005), seen.toString());
            assertEquals(List.of(65_536, 4_464), sizes);
            assertEquals(7, ch.position(), "positional reads leave the channel's position alone");
            assertEquals(-1, body.chunkCount());
        }
    }

    @Test
    @Covers("file.iterable")
    void aFileShorterThanItsRegionFailsTheIteration() throws Exception {
        Path p = file("short");
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            Iterator<byte[]> it = new FileBody(ch, 2, 10).iterator();
            assertTrue(it.hasNext());
            assertThrows(UncheckedIOException.class, it::next);
        }
        // and the gateway turns that into an error response, like any application error
        FileBody tooLong = new FileBody(FileChannel.open(p, StandardOpenOption.READ), 0, 100);
        TestResponse r = unvalidated((env, sr) -> {
            sr.start("200 OK", TEXT);
            return Body.from(tooLong, tooLong); // hidden region: iterated
        }).get("/");
        assertEquals(500, r.status());
        assertFalse(tooLong.channel().isOpen());
    }

    @Test
    @Covers({"file.region", "response.short-body", "response.abort-after-commit"})
    void aFileRegionLongerThanTheFileAbortsAfterWhatThereIs() throws Exception {
        Path p = file("0123456789");
        FileBody body = new FileBody(FileChannel.open(p, StandardOpenOption.READ), 4, 20);
        TestResponse r = unvalidated((env, sr) -> {
            sr.start("200 OK", TEXT);
            return body;
        }).get("/");
        assertEquals(200, r.status());
        assertEquals(20, r.contentLength(), "the region's count, as the application described it");
        assertTrue(r.isAborted(), "the client must see a short body");
        assertTrue(r.text().length() < 20);
        assertFalse(body.channel().isOpen());
    }

    @Test
    @Covers({"file.region", "response.content-length-limit", "response.bodyless"})
    void aFileRegionFollowsTheResponseRules() throws Exception {
        Path p = file("0123456789");
        TestResponse partial = TestClient.of((env, sr) -> {
            sr.start("200 OK", TEXT);
            return Environ.of(env).fileWrapper().wrap(FileChannel.open(p, StandardOpenOption.READ), 3, 4);
        }).get("/");
        assertEquals("3456", partial.text());
        assertEquals(4, partial.contentLength());
        assertEquals(List.of("headers", "file:4", "close", "finish"), partial.events());

        TestResponse notModified = unvalidated((env, sr) -> {
            sr.start("304 Not Modified", List.of(Header.of("Content-Length", "10")));
            return Environ.of(env).fileWrapper().wrap(p);
        }).get("/");
        assertEquals(304, notModified.status());
        assertEquals(10, notModified.contentLength(), "304 keeps the declared length");
        assertEquals(0, notModified.body().length);
        assertTrue(notModified.errors().contains("[body.no-content]"), notModified.errors());
    }

    @Test
    @Covers("server.close-once")
    void aBodyIsClosedOnceOnEveryPath() {
        // ended, stopped early (length reached, HEAD), failed before and after commit, client gone
        List<TestResponse> responses = new ArrayList<>();
        List<TrackedBody> bodies = new ArrayList<>();
        TrackedBody ended = TrackedBody.lazy("a", "b");
        TrackedBody lengthReached = TrackedBody.lazy("ab", "never");
        TrackedBody head = TrackedBody.lazy("a", "b");
        TrackedBody failsFirst = TrackedBody.lazy("a").failAt(0, new IllegalStateException("x"));
        TrackedBody failsLater = TrackedBody.lazy("a", "b").failAt(1, new IllegalStateException("y"));
        TrackedBody gone = TrackedBody.lazy("a", "b", "c");
        responses.add(unvalidated(returning(TEXT, ended)).get("/"));
        responses.add(unvalidated(returning(List.of(Header.of("Content-Length", "2")), lengthReached)).get("/"));
        responses.add(unvalidated(returning(TEXT, head)).request("HEAD", "/").send());
        responses.add(unvalidated(returning(TEXT, failsFirst)).get("/"));
        responses.add(unvalidated(returning(TEXT, failsLater)).get("/"));
        responses.add(unvalidated(returning(TEXT, gone)).request("GET", "/").disconnectAfter(1).send());
        bodies.addAll(List.of(ended, lengthReached, head, failsFirst, failsLater, gone));
        for (int i = 0; i < bodies.size(); i++) {
            TrackedBody b = bodies.get(i);
            assertEquals(1, b.closes, "case " + i);
            assertFalse(b.usedAfterClose, "case " + i);
            List<String> ev = responses.get(i).events();
            assertTrue(ev.indexOf("close") < Math.max(ev.indexOf("finish"), 0) || !ev.contains("finish"),
                    "close before finish: " + ev);
        }
        assertEquals(List.of(500, 200), List.of(responses.get(3).status(), responses.get(4).status()));
    }

    private static Application returning(List<Header> headers, Body body) {
        return (env, sr) -> {
            sr.start("200 OK", headers);
            return body;
        };
    }

    @Test
    @Covers("server.call")
    void theApplicationObjectIsCalledOncePerRequestAndNeverForARejectedOne() {
        AtomicInteger calls = new AtomicInteger();
        Application app = (env, sr) -> {
            calls.incrementAndGet();
            sr.start("200 OK", TEXT);
            return Body.empty();
        };
        TestClient c = TestClient.builder(app).mount("/m").bodyLimit(3).build();
        for (int i = 0; i < 5; i++) {
            c.get("/m/x");
        }
        assertEquals(5, calls.get());
        assertEquals(404, c.get("/x").status());
        assertEquals(400, c.get("/m/%2e%2e/x").status());
        assertEquals(413, c.request("POST", "/m/x").body("1234").send().status());
        assertEquals(400, c.request("GET", "/m/x").header("Host", "a:b:c").send().status());
        assertEquals(5, calls.get(), "rejected requests never reach the application");
    }
}

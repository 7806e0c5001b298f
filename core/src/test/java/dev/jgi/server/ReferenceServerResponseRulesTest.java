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
import dev.jgi.ClientDisconnectedException;
import dev.jgi.Covers;
import dev.jgi.Environ;
import dev.jgi.Header;
import dev.jgi.StartResponse;
import dev.jgi.Write;
import dev.jgi.gateway.BodyProbes;
import dev.jgi.gateway.FileBody;
import dev.jgi.gateway.FileRegion;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The response-side rules of SPEC.md on the reference server over real HTTP, where the older
 * tests left them unchecked: write() and header delay, Date and reason phrase (declared JDK
 * behaviour), transparency, the body methods and threads the server uses, close() before the
 * response ends, errors the server enforces, and file bodies.
 */
class ReferenceServerResponseRulesTest {

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    @TempDir
    Path tmp;

    private static final List<Header> TEXT = List.of(Header.of("Content-Type", "text/plain"));

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(20))
            .build();

    private static Application returning(String status, List<Header> headers, Body body) {
        return (environ, start) -> {
            start.start(status, headers);
            return body;
        };
    }

    private static String request(String method, String target) {
        return method + " " + target + " HTTP/1.1\r\nHost: h\r\n\r\n";
    }

    // --- write() and header delay --------------------------------------------------------------

    @Test
    @Covers({"write.sent", "response.header-delay"})
    void anEmptyWriteSendsNothingAndTheResponseCanStillBeReplaced() throws Exception {
        CountDownLatch wroteEmpty = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Application app = (environ, start) -> {
            Write w = start.start("200 OK", TEXT);
            w.write(new byte[0]);
            wroteEmpty.countDown();
            TrackedBody.await(release);
            start.start("503 Service Unavailable", List.of(Header.of("Retry-After", "3")), new IllegalStateException("later"));
            w.write("busy".getBytes(UTF_8));
            return Body.empty();
        };
        ReferenceServer server = fixture.start(app);
        try (RawHttp c = RawHttp.connect(server.port())) {
            c.send(request("GET", "/"));
            TrackedBody.await(wroteEmpty);
            // the empty write has returned; a status line sent then would be in this socket's buffer by now
            assertFalse(c.anyDataWithin(300), "an empty write must not commit");
            release.countDown();
            RawHttp.Response r = c.read();
            assertEquals(503, r.status);
            assertEquals("3", r.header("Retry-After"));
            assertEquals("busy", r.text());
        }
    }

    @Test
    @Covers("response.header-delay")
    void declaredContentLengthZeroIsNotCommittedEarly() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<StartResponse> startRef = new AtomicReference<>();
        TrackedBody body = new TrackedBody(i -> {
            if (i == 0) {
                started.countDown();
                TrackedBody.await(release);
                startRef.get().start("500 Internal Server Error", List.of(Header.of("Content-Length", "4")),
                        new IllegalStateException("replaced"));
                return "oops".getBytes(UTF_8);
            }
            return null;
        });
        Application app = (environ, start) -> {
            startRef.set(start);
            start.start("200 OK", List.of(Header.of("Content-Length", "0")));
            return body;
        };
        ReferenceServer server = fixture.start(app);
        try (RawHttp c = RawHttp.connect(server.port())) {
            c.send(request("GET", "/"));
            TrackedBody.await(started);
            assertFalse(c.anyDataWithin(300), "no early commit, even for Content-Length: 0 (unlike PEP 3333)");
            release.countDown();
            RawHttp.Response r = c.read();
            assertEquals(500, r.status);
            assertEquals("oops", r.text());
        }
    }

    // --- what the JDK does with the head (declared) ----------------------------------------------

    @Test
    @Covers("response.date")
    void dateIsAlwaysThereExactlyOnceEvenWhenTheApplicationSendsOne() throws Exception {
        ReferenceServer server = fixture.start(returning("200 OK",
                List.of(Header.of("Date", "Sun, 06 Nov 1994 08:49:37 GMT")), Body.ofUtf8("x")));
        RawHttp.Response r = RawHttp.get(server.port(), "/");
        // declared: the JDK sets Date itself and replaces the application's; never two Date fields
        assertEquals(1, r.headers("Date").size(), r::toString);
        assertNotNull(r.header("Date"));
        RawHttp.Response error = RawHttp.get(server.port(), "/%2F");
        assertEquals(1, error.headers("Date").size(), "a rejection has a Date too: " + error);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        // declared: no reason-phrase capability; the JDK sends its own phrase, or none for a code it does not know
        "299 Custom Phrase      | 'HTTP/1.1 299 '",
        "404 Gone Fishing       | HTTP/1.1 404 Not Found",
        "200 Everything Fine    | HTTP/1.1 200 OK",
        "503 Come Back Later    | HTTP/1.1 503 Service Unavailable",
        "451 Censored           | 'HTTP/1.1 451 '",
    })
    @Covers("response.reason-phrase")
    void theStatusCodeIsTheApplicationsAndThePhraseTheJdks(String status, String line) throws Exception {
        ReferenceServer server = fixture.start(returning(status.trim(), TEXT, Body.ofUtf8("x")));
        RawHttp.Response r = RawHttp.get(server.port(), "/");
        assertEquals(line, r.statusLine);
        assertEquals("x", r.text());
    }

    @Test
    @Covers({"response.transparent", "response.repeated-headers"})
    void theApplicationsResponseArrivesUnchanged() throws Exception {
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        ReferenceServer server = fixture.start(returning("206 Partial Content", List.of(
                Header.of("Content-Range", "bytes 0-255/1000"), Header.of("ETag", "\"v1\""),
                Header.of("Cache-Control", "no-store"), Header.of("Vary", "Accept"), Header.of("Vary", "Cookie"),
                Header.of("Content-Type", "application/octet-stream")), Body.of(binary)));
        RawHttp.Response r = RawHttp.exchange(server.port(), "GET / HTTP/1.1\r\nHost: h\r\nAccept-Encoding: gzip\r\n"
                + "Range: bytes=0-255\r\nConnection: close\r\n\r\n");
        assertEquals(206, r.status);
        assertEquals("bytes 0-255/1000", r.header("Content-Range"));
        assertEquals("\"v1\"", r.header("ETag"));
        assertEquals("no-store", r.header("Cache-Control"));
        assertEquals(List.of("Accept", "Cookie"), r.headers("Vary"));
        assertNull(r.header("Content-Encoding"), "the server compresses nothing of its own accord");
        assertArrayEquals(binary, r.body);
        // only the server's own fields are added: Date and the framing
        for (String[] h : r.headers) {
            assertTrue(List.of("content-range", "etag", "cache-control", "vary", "content-type", "date", "content-length")
                    .contains(h[0].toLowerCase(java.util.Locale.ROOT)), "unexpected field " + h[0]);
        }
    }

    // --- how the server uses the application's objects ------------------------------------------

    @Test
    @Covers("server.body-methods")
    void theServerUsesOnlyIteratorChunkCountAndClose() throws Exception {
        BodyProbes.Strict body = new BodyProbes.Strict("a", "b");
        ReferenceServer server = fixture.start(returning("200 OK", TEXT, body));
        assertEquals("ab", RawHttp.get(server.port(), "/").text());
        TrackedBody.await(body.closed);
        assertEquals(List.of(), body.forbidden);
    }

    @Test
    @Covers("server.lazy-start")
    void startMayComeInsideTheFirstNext() throws Exception {
        AtomicReference<StartResponse> startRef = new AtomicReference<>();
        TrackedBody body = new TrackedBody(i -> {
            if (i == 0) {
                startRef.get().start("201 Created", List.of(Header.of("X-Lazy", "yes")));
                return "made".getBytes(UTF_8);
            }
            return null;
        });
        Application app = (environ, start) -> {
            startRef.set(start);
            return body;
        };
        ReferenceServer server = fixture.start(app);
        RawHttp.Response r = RawHttp.get(server.port(), "/");
        assertEquals(201, r.status);
        assertEquals("yes", r.header("X-Lazy"));
        assertEquals("made", r.text());
    }

    @Test
    @Covers("server.close-once")
    void closeHasRunWhenTheClientHasTheWholeChunkedResponse() throws Exception {
        TrackedBody body = TrackedBody.of("a", "b", "c");
        ReferenceServer server = fixture.start(returning("200 OK", TEXT, body));
        RawHttp.Response r = RawHttp.get(server.port(), "/");
        assertTrue(r.chunked && r.complete);
        // no waiting: the last chunk goes out only after close() returned
        assertEquals(1, body.closes.get(), "close() must run before the response is finished");
        assertFalse(body.nextAfterClose);
    }

    @Test
    @Covers({"server.log", "server.close-once"})
    void aCloseThatThrowsIsLoggedAndTheResponseStillEnds() throws Exception {
        Body body = Body.from(List.of("fine".getBytes(UTF_8)), () -> {
            throw new IOException("close failed badly");
        });
        ReferenceServer server = fixture.start(returning("200 OK", TEXT, body));
        RawHttp.Response r = RawHttp.get(server.port(), "/");
        assertEquals("fine", r.text());
        assertTrue(r.complete);
        assertTrue(fixture.log().contains("close failed badly"), fixture::log);
        assertTrue(fixture.log().contains("body.close() failed"), fixture::log);
    }

    @Test
    @Covers({"server.client-disconnect", "write.sent", "server.log"})
    void writeToAClientThatIsGoneThrowsClientDisconnected() throws Exception {
        CountDownLatch clientGone = new CountDownLatch(1);
        AtomicReference<Throwable> seen = new AtomicReference<>();
        CountDownLatch appDone = new CountDownLatch(1);
        AtomicInteger writes = new AtomicInteger();
        Application app = (environ, start) -> {
            try {
                Write w = start.start("200 OK", TEXT);
                byte[] block = new byte[8192];
                w.write(block);
                TrackedBody.await(clientGone);
                for (int i = 0; i < 10_000; i++) { // a reset connection fails within a few writes
                    writes.incrementAndGet();
                    w.write(block);
                }
            } catch (Throwable t) {
                seen.set(t);
                throw t;
            } finally {
                appDone.countDown();
            }
            return Body.empty();
        };
        ReferenceServer server = fixture.start(app);
        RawHttp c = RawHttp.connect(server.port());
        c.send(request("GET", "/"));
        assertEquals(200, c.readHead().status);
        assertTrue(c.readChunk().length > 0);
        c.reset();
        clientGone.countDown();
        TrackedBody.await(appDone);
        assertTrue(seen.get() instanceof ClientDisconnectedException, String.valueOf(seen.get()));
        assertTrue(writes.get() < 10_000);
        // the gateway logs once the exception has left the application
        assertTrue(fixture.awaitLog("client disconnected").contains("client disconnected"), fixture::log);
    }

    @Test
    @Covers("thread.request")
    void everyCallIntoTheApplicationIsOnOneServerThread() throws Exception {
        Set<Thread> threads = Collections.synchronizedSet(new LinkedHashSet<>());
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch closed = new CountDownLatch(1);
        Consumer<String> here = what -> {
            calls.add(what);
            threads.add(Thread.currentThread());
            if (what.equals("close")) {
                closed.countDown();
            }
        };
        Application app = (environ, start) -> {
            here.accept("call");
            start.start("200 OK", TEXT).write("w".getBytes(UTF_8));
            return BodyProbes.observed(here, "a", "b");
        };
        ReferenceServer server = fixture.start(app, b -> b.virtualThreads(false)); // named pool threads
        assertEquals("wab", RawHttp.get(server.port(), "/").text());
        TrackedBody.await(closed);
        assertTrue(calls.containsAll(List.of("call", "iterator", "hasNext", "next", "chunkCount", "close")), calls.toString());
        assertEquals(1, threads.size(), "one request thread: " + threads);
        Thread t = threads.iterator().next();
        assertTrue(t.getName().startsWith(server.threadNamePrefix()), t.getName());
    }

    @Test
    @Covers("thread.pinning")
    void theApplicationIsNeverCalledWhileTheServerHoldsAMonitor() throws Exception {
        List<String> held = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch closed = new CountDownLatch(1);
        Runnable check = () -> held.addAll(BodyProbes.monitorsHeld());
        Application app = (environ, start) -> {
            check.run();
            start.start("200 OK", TEXT);
            Iterable<byte[]> chunks = () -> new Iterator<>() {
                private int i;

                @Override
                public boolean hasNext() {
                    check.run();
                    return i < 2;
                }

                @Override
                public byte[] next() {
                    check.run();
                    return Integer.toString(i++).getBytes(UTF_8);
                }
            };
            return Body.from(chunks, () -> {
                check.run();
                closed.countDown();
            });
        };
        ReferenceServer server = fixture.start(app, b -> b.virtualThreads(false)); // platform threads: visible to ThreadMXBean
        assertEquals("01", RawHttp.get(server.port(), "/").text());
        TrackedBody.await(closed);
        assertEquals(List.of(), held);
    }

    // --- what the server enforces of the application's rules -------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "start.status         | 600 Too High    | X-A       | 1",
        "start.header-name    | 200 OK          | X A       | 1",
        "start.header-value   | 200 OK          | X-A       | 1<CR><LF>Set-Cookie: evil=1",
        "start.hop-by-hop     | 200 OK          | Connection| close",
        "start.content-length | 200 OK          | Content-Length | 5, 5",
    })
    @Covers({"start.status", "start.header-name", "start.header-value", "start.hop-by-hop", "start.content-length",
        "response.error-500"})
    void aBrokenStartIsA500NamingTheRuleAndNothingOfItIsSent(String rule, String status, String name, String value)
            throws Exception {
        String v = value.replace("<CR>", "\r").replace("<LF>", "\n");
        ReferenceServer server = fixture.start(returning(status, List.of(Header.of(name, v)), Body.ofUtf8("hello")));
        RawHttp.Response r = RawHttp.get(server.port(), "/");
        assertEquals(500, r.status, r::toString);
        assertEquals("500 Internal Server Error\n", r.text());
        assertNull(r.header("Set-Cookie"), "no header injection");
        assertTrue(fixture.log().contains("[" + rule + "]"), fixture::log);
    }

    @Test
    @Covers({"body.null", "body.chunk-null", "start.missing", "response.error-500", "server.log"})
    void nullBodiesNullChunksAndAMissingStartAre500sNamingTheRule() throws Exception {
        AtomicInteger n = new AtomicInteger();
        Application app = (environ, start) -> {
            switch (n.getAndIncrement()) {
                case 0:
                    start.start("200 OK", TEXT);
                    return null;
                case 1:
                    start.start("200 OK", TEXT);
                    return Body.from(Collections.singletonList((byte[]) null), null);
                default:
                    return Body.ofUtf8("no start");
            }
        };
        ReferenceServer server = fixture.start(app);
        for (String rule : new String[] {"body.null", "body.chunk-null", "start.missing"}) {
            RawHttp.Response r = RawHttp.get(server.port(), "/");
            assertEquals(500, r.status, rule);
            assertTrue(fixture.log().contains("[" + rule + "]"), rule + ": " + fixture.log());
        }
    }

    @Test
    @Covers({"response.error-500", "response.head"})
    void anErrorOnHeadIsA500WithItsLengthAndNoBody() throws Exception {
        ReferenceServer server = fixture.start((environ, start) -> {
            throw new IllegalStateException("head failed");
        });
        try (RawHttp c = RawHttp.connect(server.port())) {
            RawHttp.Response r = c.send(request("HEAD", "/")).read(true);
            assertEquals(500, r.status);
            assertEquals(Integer.toString("500 Internal Server Error\n".length()), r.header("Content-Length"));
            // had the server sent a body, the next response would not parse
            RawHttp.Response next = c.send(request("HEAD", "/")).read(true);
            assertEquals(500, next.status, next::toString);
        }
    }

    @Test
    @Covers("response.bodyless")
    void noContentDropsADeclaredContentLength() throws Exception {
        ReferenceServer server = fixture.start(returning("204 No Content",
                List.of(Header.of("Content-Length", "0"), Header.of("X-A", "1")), Body.empty()));
        try (RawHttp c = RawHttp.connect(server.port())) {
            RawHttp.Response r = c.send(request("GET", "/")).read();
            assertEquals(204, r.status);
            assertNull(r.header("Content-Length"), "RFC 9110 section 8.6: no Content-Length on a 204");
            assertEquals("1", r.header("X-A"));
            assertEquals(204, c.send(request("GET", "/")).read().status);
        }
    }

    @Test
    @Covers("response.content-length-computed")
    void aOneChunkBodyAfterAWriteIsNotCounted() throws Exception {
        ReferenceServer server = fixture.start((environ, start) -> {
            start.start("200 OK", TEXT).write("a".getBytes(UTF_8));
            return Body.ofUtf8("bc");
        });
        RawHttp.Response r = RawHttp.get(server.port(), "/");
        assertTrue(r.chunked, "the length is unknown once a write committed: " + r);
        assertNull(r.header("Content-Length"));
        assertEquals("abc", r.text());
    }

    // --- file bodies ---------------------------------------------------------------------------

    private Path file(String content) throws IOException {
        Path p = Files.createTempFile(tmp, "body", ".txt");
        Files.writeString(p, content);
        return p;
    }

    @Test
    @Covers({"file.region", "file.close"})
    void aPartialFileRegionIsSentWithItsCountAsLength() throws Exception {
        Path p = file("0123456789abcdef");
        AtomicReference<Body> sent = new AtomicReference<>();
        ReferenceServer server = fixture.start((environ, start) -> {
            start.start("200 OK", TEXT);
            Body b = Environ.of(environ).fileWrapper().wrap(FileChannel.open(p, StandardOpenOption.READ), 4, 6);
            sent.set(b);
            return b;
        });
        RawHttp.Response r = RawHttp.get(server.port(), "/");
        assertEquals("6", r.header("Content-Length"));
        assertEquals("456789", r.text());
        assertTrue(r.complete);
        // close() runs before the response ends; by the time the last byte is read it has run or is running
        FileChannel ch = ((FileRegion) sent.get()).channel();
        for (int i = 0; i < 100 && ch.isOpen(); i++) {
            Thread.sleep(20); // liveness poll only
        }
        assertFalse(ch.isOpen(), "the body owns the channel and closes it");
    }

    @Test
    @Covers({"file.region", "response.head", "response.content-length-limit"})
    void aFileRegionUnderHeadAndUnderADeclaredLength() throws Exception {
        Path p = file("0123456789");
        AtomicInteger n = new AtomicInteger();
        ReferenceServer server = fixture.start((environ, start) -> {
            boolean cap = n.getAndIncrement() == 1;
            start.start("200 OK", cap ? List.of(Header.of("Content-Length", "3")) : TEXT);
            return Environ.of(environ).fileWrapper().wrap(p);
        });
        try (RawHttp c = RawHttp.connect(server.port())) {
            RawHttp.Response head = c.send(request("HEAD", "/")).read(true);
            assertEquals("10", head.header("Content-Length"));
            RawHttp.Response capped = c.send(request("GET", "/")).read();
            assertEquals("3", capped.header("Content-Length"));
            assertEquals("012", capped.text());
            // nothing beyond the declared length went out: the next response parses
            RawHttp.Response next = c.send(request("GET", "/")).read();
            assertEquals("0123456789", next.text());
        }
        assertTrue(fixture.log().contains("[body.content-length]"), fixture::log);
    }

    @Test
    @Covers({"file.region", "response.short-body", "response.abort-after-commit"})
    void aFileShorterThanItsRegionAbortsTheResponse() throws Exception {
        Path p = file("0123456789");
        ReferenceServer server = fixture.start((environ, start) -> {
            start.start("200 OK", TEXT);
            return new FileBody(FileChannel.open(p, StandardOpenOption.READ), 0, 25);
        });
        RawHttp.Response r = RawHttp.get(server.port(), "/");
        assertEquals("25", r.header("Content-Length"));
        assertFalse(r.complete, "the client must see that the body is short");
        assertEquals("0123456789", r.text());
    }

    @Test
    @Covers({"file.iterable", "extension.bypass", "middleware.file-region"})
    void aFileBodyHiddenByAMiddlewareIsIteratedAndStreamed() throws Exception {
        String content = "x".repeat(100_000) + "END";
        Path p = file(content);
        ReferenceServer server = fixture.start((environ, start) -> {
            start.start("200 OK", TEXT);
            Body inner = Environ.of(environ).fileWrapper().wrap(FileChannel.open(p, StandardOpenOption.READ), 10, 99_993);
            return Body.from(inner, inner); // no longer the server's file type: the server iterates it
        });
        RawHttp.Response r = RawHttp.get(server.port(), "/");
        assertTrue(r.chunked, "not recognised as a region, so no computed length: " + r.statusLine);
        assertEquals(content.substring(10), r.text());
    }

    @Test
    @Covers("file.lazy")
    void wrapSendsNothingSoTheApplicationCanStillChangeItsMind() throws Exception {
        Path p = file("file content");
        ReferenceServer server = fixture.start((environ, start) -> {
            start.start("200 OK", TEXT);
            Body b = Environ.of(environ).fileWrapper().wrap(p);
            start.start("503 Service Unavailable", List.of(Header.of("Retry-After", "1")), new IOException("changed my mind"));
            b.close();
            return Body.ofUtf8("busy");
        });
        RawHttp.Response r = RawHttp.get(server.port(), "/");
        assertEquals(503, r.status);
        assertEquals("busy", r.text());
    }

    @Test
    @Covers({"response.chunked", "response.no-delay"})
    void httpClientReadsAStreamedBodyOfUnknownLength() throws Exception {
        ReferenceServer server = fixture.start(returning("200 OK", TEXT, TrackedBody.of("one ", "two ", "three")));
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(server.uri() + "/s")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("chunked", r.headers().firstValue("Transfer-Encoding").orElse(null));
        assertEquals("one two three", r.body());
    }
}

package dev.jgi.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.ClientDisconnectedException;
import dev.jgi.Covers;
import dev.jgi.Environ;
import dev.jgi.Header;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** jgi.input on this server: exact bytes, chunked requests, end of body, limits, 100-continue. */
class ReferenceServerInputTest {

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(20))
            .build();

    /** Reads the whole body and answers "length sha256 content-length-key". */
    private static final Application DIGEST = (environ, start) -> {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        InputStream in = Environ.of(environ).input();
        byte[] buf = new byte[16384];
        long total = 0;
        int n;
        while ((n = in.read(buf)) != -1) {
            sha.update(buf, 0, n);
            total += n;
        }
        start.start("200 OK", List.of(Header.of("Content-Type", "text/plain")));
        return Body.ofUtf8(total + " " + HexFormat.of().formatHex(sha.digest()) + " "
                + environ.getOrDefault(Environ.CONTENT_LENGTH, "none"));
    };

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    @Covers({"input.eof", "environ.content-length"})
    void largeFixedLengthBodyIsReadByteExact() throws Exception {
        byte[] data = random(3 * 1024 * 1024 + 17);
        ReferenceServer server = fixture.start(DIGEST);
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(server.uri() + "/upload"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(data)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals(data.length + " " + sha(data) + " " + data.length, r.body());
    }

    @Test
    @Covers({"input.terminated", "headers.transfer-encoding"})
    void largeChunkedBodyIsReadByteExact() throws Exception {
        byte[] data = random(2 * 1024 * 1024 + 4099);
        ReferenceServer server = fixture.start(DIGEST);
        // a body of unknown length: HttpClient sends it chunked
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(server.uri() + "/upload"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(data))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals(data.length + " " + sha(data) + " none", r.body());
    }

    @Test
    @Covers("input.terminated")
    void rawChunkedBodyWithExtensions() throws Exception {
        ReferenceServer server = fixture.start(DIGEST);
        RawHttp.Response r = RawHttp.exchange(server.port(), "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
        assertEquals(200, r.status, r::toString);
        assertEquals("11 " + sha("hello world".getBytes(UTF_8)) + " none", r.text());
    }

    @Test
    @Covers("input.terminated")
    void aTrailerSectionEndsTheBodyAndTheConnectionIsClosedAfterTheResponse() throws Exception {
        // the JDK's chunked decoder fails at a trailer field after the last chunk; the server takes
        // that as the end of the body (the fields are discarded) and closes the connection, because
        // the rest of the trailer section is still on it and the JDK would read it as a request
        ReferenceServer server = fixture.start(DIGEST);
        try (RawHttp c = RawHttp.connect(server.port())) {
            c.send("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n"
                    + "X-Trailer: t\r\nX-Other: u\r\n\r\nGET /next HTTP/1.1\r\nHost: h\r\n\r\n");
            RawHttp.Response r = c.read();
            assertEquals(200, r.status, r::toString);
            assertEquals("11 " + sha("hello world".getBytes(UTF_8)) + " none", r.text());
            assertEquals("close", r.header("Connection"), r::toString);
            // the pipelined request after the trailers is not answered from the trailer bytes
            assertTrue(c.closedByServer(), "the connection ends after the response");
        }
        // without a trailer section the connection stays open for the next request
        try (RawHttp c = RawHttp.connect(server.port())) {
            c.send("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
            RawHttp.Response r = c.read();
            assertEquals(null, r.header("Connection"), r::toString);
            c.send("GET /next HTTP/1.1\r\nHost: h\r\n\r\n");
            assertEquals("0 " + sha(new byte[0]) + " none", c.read().text());
        }
    }

    @Test
    @Covers("input.disconnect")
    void aBrokenChunkFramingIsStillAClientDisconnect() throws Exception {
        // a bad chunk end after a data chunk is not a trailer section: the read fails as before
        AtomicReference<Throwable> seen = new AtomicReference<>();
        Application app = (environ, start) -> {
            try {
                return DIGEST.call(environ, start);
            } catch (Throwable t) {
                seen.set(t);
                throw t;
            }
        };
        ReferenceServer server = fixture.start(app);
        try (RawHttp c = RawHttp.connect(server.port())) {
            c.send("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
                    + "Connection: close\r\n\r\n5\r\nhelloXX0\r\n\r\n");
            c.read();
        } catch (java.io.IOException e) {
            // the server may close without a response; the application's view is what matters
        }
        fixture.awaitLog("client disconnected");
        assertTrue(seen.get() instanceof ClientDisconnectedException, String.valueOf(seen.get()));
    }

    @Test
    @Covers({"input.eof", "input.read"})
    void readingPastTheEndReturnsMinusOneWithoutTouchingTheConnection() throws Exception {
        Application app = (environ, start) -> {
            InputStream in = Environ.of(environ).input();
            byte[] all = in.readAllBytes();
            // the next request is already waiting on this connection: a read that reached past
            // the body would block here or steal its bytes
            int one = in.read();
            int many = in.read(new byte[10], 0, 10);
            int avail = in.available();
            start.start("200 OK", List.of(Header.of("Content-Type", "text/plain")));
            return Body.ofUtf8(environ.get(Environ.REQUEST_METHOD) + " [" + new String(all, UTF_8) + "] " + one + " "
                    + many + " " + avail);
        };
        ReferenceServer server = fixture.start(app);
        try (RawHttp c = RawHttp.connect(server.port())) {
            c.send("POST /first HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"
                    + "GET /second HTTP/1.1\r\nHost: h\r\n\r\n");
            assertEquals("POST [hello] -1 -1 0", c.read().text());
            assertEquals("GET [] -1 -1 0", c.read().text());
        }
    }

    @Test
    @Covers({"input.limit", "server.call"})
    void declaredBodyOverTheLimitIs413BeforeTheApp() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Application app = (environ, start) -> {
            calls.incrementAndGet();
            return DIGEST.call(environ, start);
        };
        ReferenceServer server = fixture.start(app, b -> b.bodyLimit(1000));
        String body = "x".repeat(5000);
        RawHttp.Response r = RawHttp.exchange(server.port(), "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5000\r\n"
                + "Connection: close\r\n\r\n" + body);
        assertEquals(413, r.status, r::toString);
        assertEquals(0, calls.get());
        RawHttp.Response ok = RawHttp.exchange(server.port(), "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1000\r\n"
                + "Connection: close\r\n\r\n" + body.substring(0, 1000));
        assertEquals(200, ok.status, ok::toString);
        assertTrue(ok.text().startsWith("1000 "));
    }

    @Test
    @Covers("input.limit")
    void chunkedBodyGrowingOverTheLimitIs413() throws Exception {
        ReferenceServer server = fixture.start(DIGEST, b -> b.bodyLimit(1000));
        StringBuilder req = new StringBuilder("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        for (int i = 0; i < 5; i++) {
            req.append("3e8\r\n").append("y".repeat(1000)).append("\r\n");
        }
        req.append("0\r\n\r\n");
        RawHttp.Response r = RawHttp.exchange(server.port(), req.toString());
        assertEquals(413, r.status, r::toString);
        assertTrue(fixture.log().contains("413"), fixture::log);
    }

    @Test
    @Covers("response.expect-continue")
    void expectContinueIsAnsweredEagerlyEvenIfTheAppNeverReads() throws Exception {
        // declared property expect-continue=eager: the JDK answers before the handler runs
        Application app = (environ, start) -> {
            start.start("200 OK", List.of(Header.of("Content-Type", "text/plain")));
            return Body.ofUtf8("did not read");
        };
        ReferenceServer server = fixture.start(app);
        try (RawHttp c = RawHttp.connect(server.port())) {
            c.send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n");
            RawHttp.Response interim = c.readHead();
            assertEquals(100, interim.status, interim::toString);
            c.send("hello");
            RawHttp.Response r = c.read();
            assertEquals(200, r.status);
            assertEquals("did not read", r.text());
        }
    }

    @Test
    @Covers("input.disconnect")
    void bodyCutShortByTheClientIsAClientDisconnect() throws Exception {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        Application app = (environ, start) -> {
            try {
                Environ.of(environ).input().readAllBytes();
            } catch (Throwable t) {
                seen.set(t);
                throw t;
            } finally {
                done.countDown();
            }
            start.start("200 OK", List.of());
            return Body.empty();
        };
        ReferenceServer server = fixture.start(app);
        try (RawHttp c = RawHttp.connect(server.port())) {
            c.send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nhello");
            c.socket.shutdownOutput();
            TrackedBody.await(done);
        }
        assertTrue(seen.get() instanceof ClientDisconnectedException, String.valueOf(seen.get()));
        assertEquals(200, RawHttp.get(server.port(), "/").status);
    }
}

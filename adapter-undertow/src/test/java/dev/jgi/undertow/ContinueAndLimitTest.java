package dev.jgi.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.Environ;
import dev.jgi.Header;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code Expect: 100-continue} and the request body limit, checked on the wire. */
class ContinueAndLimitTest {

    static final int LIMIT = 1000;
    static UndertowServer server;
    static final AtomicInteger calls = new AtomicInteger();
    static final TestServers.Log log = new TestServers.Log();

    static final Application APP = (environ, start) -> {
        calls.incrementAndGet();
        Environ env = Environ.of(environ);
        if (env.pathInfo().equals("/ignore")) {
            start.start("403 Forbidden", List.of(Header.of("Content-Type", "text/plain")));
            return Body.ofUtf8("not reading that");
        }
        InputStream in = env.input();
        long n = 0;
        byte[] buf = new byte[env.pathInfo().equals("/small-reads") ? 7 : 64 * 1024];
        for (int r; (r = in.read(buf)) >= 0; ) {
            n += r;
        }
        start.start("200 OK", List.of(Header.of("Content-Type", "text/plain")));
        return Body.ofUtf8("read " + n);
    };

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.builder(APP).bodyLimit(LIMIT).errors(log.writer).start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        org.junit.jupiter.api.Assertions.assertFalse(log.text().contains("server broke rule"), log::text);
    }

    /** Nothing arrives for a while: a short read timeout that must expire. */
    static boolean silentFor(Raw r, int millis) throws Exception {
        r.socket.setSoTimeout(millis);
        try {
            int b = r.in.read();
            throw new AssertionError("unexpected byte from the server: " + b);
        } catch (SocketTimeoutException e) {
            return true;
        } finally {
            r.socket.setSoTimeout(20_000);
        }
    }

    @Test
    void continueIsSentWhenTheApplicationReads() throws Exception {
        try (Raw r = new Raw(server.port())) {
            r.send("POST /read HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            assertEquals("HTTP/1.1 100 Continue", r.line());
            assertEquals("", r.line());
            r.send("hello");
            Raw.Response resp = r.response();
            assertEquals(200, resp.code);
            assertEquals("read 5", resp.text());
            // the connection stays usable
            r.send("POST /read HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\nab");
            assertEquals("read 2", r.response().text());
        }
    }

    @Test
    void continueIsNeverSentWhenTheApplicationAnswersWithoutReading() throws Exception {
        try (Raw r = new Raw(server.port())) {
            r.send("POST /ignore HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            Raw.Response resp = r.head();
            assertEquals("HTTP/1.1 403 Forbidden", resp.status, "no interim response before the final one");
            assertEquals("close", resp.header("Connection"));
            byte[] body = r.in.readNBytes(Integer.parseInt(resp.header("Content-Length")));
            assertEquals("not reading that", new String(body));
            assertTrue(r.closedByServer(), "the body that was never asked for is not awaited");
        }
    }

    @Test
    void anExpectationWithoutABodyKeepsTheConnection() throws Exception {
        try (Raw r = new Raw(server.port())) {
            r.send("POST /ignore HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nExpect: 100-continue\r\n\r\n");
            Raw.Response first = r.response();
            assertEquals(403, first.code);
            assertTrue(first.interim.isEmpty());
            assertFalse("close".equalsIgnoreCase(first.header("Connection")));
            r.send("GET /ignore HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertEquals(403, r.response().code);
        }
    }

    @Test
    void chunkedUploadWithContinue() throws Exception {
        try (Raw r = new Raw(server.port())) {
            r.send("POST /small-reads HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n"
                    + "Connection: close\r\n\r\n");
            assertEquals("HTTP/1.1 100 Continue", r.line());
            assertEquals("", r.line());
            r.send("a\r\n0123456789\r\n5\r\nabcde\r\n0\r\n\r\n");
            assertEquals("read 15", r.response().text());
        }
    }

    @Test
    void noContinueWithoutTheExpectation() throws Exception {
        try (Raw r = new Raw(server.port())) {
            r.send("POST /read HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\nxyz");
            Raw.Response resp = r.response();
            assertTrue(resp.interim.isEmpty(), resp.interim.toString());
            assertEquals("read 3", resp.text());
        }
    }

    @Test
    void waitingForTheBodySendsNothingBeforeTheApplicationReads() throws Exception {
        try (Raw r = new Raw(server.port())) {
            // the application reads at once here, so the 100 comes; what must not come is a final
            // response or anything else while the client holds its body back
            r.send("POST /read HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n");
            assertEquals("HTTP/1.1 100 Continue", r.line());
            assertEquals("", r.line());
            assertTrue(silentFor(r, 300));
            r.send("abcd");
            assertEquals("read 4", r.response().text());
        }
    }

    @Test
    void declaredLengthOverTheLimitIs413BeforeTheApplication() throws Exception {
        int before = calls.get();
        try (Raw r = new Raw(server.port())) {
            byte[] body = new byte[LIMIT + 1];
            Arrays.fill(body, (byte) 'x');
            r.send("POST /read HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length + "\r\n\r\n");
            r.send(body);
            Raw.Response resp = r.response();
            assertEquals(413, resp.code);
            assertEquals("close", resp.header("Connection"));
            assertTrue(r.closedByServer());
        }
        assertEquals(before, calls.get(), "the application must not run");
    }

    @Test
    void declaredLengthOverTheLimitWithContinueGets413AndNo100() throws Exception {
        int before = calls.get();
        try (Raw r = new Raw(server.port())) {
            r.send("PUT /read HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\nExpect: 100-continue\r\n\r\n");
            Raw.Response resp = r.response();
            assertTrue(resp.interim.isEmpty(), "no 100 for a body that will be refused");
            assertEquals(413, resp.code);
            assertTrue(r.closedByServer());
        }
        assertEquals(before, calls.get());
    }

    @Test
    void exactlyTheLimitIsAccepted() throws Exception {
        try (Raw r = new Raw(server.port())) {
            byte[] body = new byte[LIMIT];
            r.send("POST /read HTTP/1.1\r\nHost: x\r\nContent-Length: " + LIMIT + "\r\nConnection: close\r\n\r\n");
            r.send(body);
            assertEquals("read " + LIMIT, r.response().text());
        }
        try (Raw r = new Raw(server.port())) {
            r.send("POST /read HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                    + Integer.toHexString(LIMIT) + "\r\n");
            r.send(new byte[LIMIT]);
            r.send("\r\n0\r\n\r\n");
            assertEquals("read " + LIMIT, r.response().text());
        }
    }

    @Test
    void chunkedBodyGrowingOverTheLimitIs413() throws Exception {
        int before = calls.get();
        try (Raw r = new Raw(server.port())) {
            r.send("POST /small-reads HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
            // one big chunk and then more: the client has sent all of it before it reads anything
            r.send(Integer.toHexString(4 * LIMIT) + "\r\n");
            r.send(new byte[4 * LIMIT]);
            r.send("\r\n" + Integer.toHexString(LIMIT) + "\r\n");
            r.send(new byte[LIMIT]);
            r.send("\r\n0\r\n\r\n");
            Raw.Response resp = r.response();
            assertEquals(413, resp.code);
            assertEquals("close", resp.header("Connection"));
            assertTrue(r.closedByServer());
        }
        assertEquals(before + 1, calls.get(), "the application ran and its read failed");
        assertTrue(log.text().contains("413"), log.text());
    }

    @Test
    void chunkedOverTheLimitWhileTheClientKeepsSendingStillShowsThe413() throws Exception {
        try (Raw r = new Raw(server.port())) {
            r.send("POST /read HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
            byte[] piece = new byte[512];
            boolean cut = false;
            try {
                for (int i = 0; i < 64; i++) {
                    r.send(Integer.toHexString(piece.length) + "\r\n");
                    r.send(piece);
                    r.send("\r\n");
                }
            } catch (java.io.IOException e) {
                cut = true; // the server closed after discarding a bounded amount; fine
            }
            Raw.Response resp = r.response();
            assertEquals(413, resp.code, "cut=" + cut);
        }
    }

    @Test
    void underTheLimitKeepAliveWorksAfterAnUnreadBody() throws Exception {
        try (Raw r = new Raw(server.port())) {
            r.send("POST /ignore HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789");
            Raw.Response first = r.response();
            assertEquals(403, first.code);
            assertFalse("close".equalsIgnoreCase(first.header("Connection")));
            r.send("POST /read HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc");
            assertEquals("read 3", r.response().text());
        }
    }
}

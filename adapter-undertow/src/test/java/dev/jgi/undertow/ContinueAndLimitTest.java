package dev.jgi.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.Environ;
import dev.jgi.Header;
import dev.jgi.conformance.http.HttpConnection;
import dev.jgi.conformance.http.Response;
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

    /**
     * Nothing arrives for a while: a short read timeout that must expire. (Should a part of a line
     * come before it, the response read next cannot be parsed, so the test fails all the same.)
     */
    static boolean silentFor(HttpConnection r, int millis) throws Exception {
        r.socket().setSoTimeout(millis);
        try {
            String line = r.readLine();
            throw new AssertionError("unexpected from the server: " + line);
        } catch (SocketTimeoutException e) {
            return true;
        } finally {
            r.socket().setSoTimeout(TestServers.TIMEOUT_MILLIS);
        }
    }

    @Test
    void continueIsSentWhenTheApplicationReads() throws Exception {
        try (HttpConnection r = TestServers.connect(server.port())) {
            r.sendRaw("POST /read HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            assertEquals("HTTP/1.1 100 Continue", r.readLine());
            assertEquals("", r.readLine());
            r.sendRaw("hello");
            Response resp = r.readResponse("POST");
            assertEquals(200, resp.status());
            assertEquals("read 5", resp.text());
            // the connection stays usable
            r.sendRaw("POST /read HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\nab");
            assertEquals("read 2", r.readResponse("POST").text());
        }
    }

    @Test
    void continueIsNeverSentWhenTheApplicationAnswersWithoutReading() throws Exception {
        try (HttpConnection r = TestServers.connect(server.port())) {
            r.sendRaw("POST /ignore HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            Response.Head head = r.readHead();
            assertEquals("HTTP/1.1 403 Forbidden", head.statusLine(), "no interim response before the final one");
            assertEquals("close", head.header("Connection"));
            assertEquals("not reading that", r.readBody(head, List.of(), "POST").text());
            assertEquals(0, r.readToClose().length, "the body that was never asked for is not awaited");
        }
    }

    @Test
    void anExpectationWithoutABodyKeepsTheConnection() throws Exception {
        try (HttpConnection r = TestServers.connect(server.port())) {
            r.sendRaw("POST /ignore HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nExpect: 100-continue\r\n\r\n");
            Response first = r.readResponse("POST");
            assertEquals(403, first.status());
            assertTrue(first.interim().isEmpty());
            assertFalse("close".equalsIgnoreCase(first.header("Connection")));
            r.sendRaw("GET /ignore HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertEquals(403, r.readResponse("GET").status());
        }
    }

    @Test
    void chunkedUploadWithContinue() throws Exception {
        try (HttpConnection r = TestServers.connect(server.port())) {
            r.sendRaw("POST /small-reads HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n"
                    + "Connection: close\r\n\r\n");
            assertEquals("HTTP/1.1 100 Continue", r.readLine());
            assertEquals("", r.readLine());
            r.sendRaw("a\r\n0123456789\r\n5\r\nabcde\r\n0\r\n\r\n");
            assertEquals("read 15", r.readResponse("POST").text());
        }
    }

    @Test
    void noContinueWithoutTheExpectation() throws Exception {
        try (HttpConnection r = TestServers.connect(server.port())) {
            r.sendRaw("POST /read HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\nxyz");
            Response resp = r.readResponse("POST");
            assertTrue(resp.interim().isEmpty(), resp.interim().toString());
            assertEquals("read 3", resp.text());
        }
    }

    @Test
    void waitingForTheBodySendsNothingBeforeTheApplicationReads() throws Exception {
        try (HttpConnection r = TestServers.connect(server.port())) {
            // the application reads at once here, so the 100 comes; what must not come is a final
            // response or anything else while the client holds its body back
            r.sendRaw("POST /read HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n");
            assertEquals("HTTP/1.1 100 Continue", r.readLine());
            assertEquals("", r.readLine());
            assertTrue(silentFor(r, 300));
            r.sendRaw("abcd");
            assertEquals("read 4", r.readResponse("POST").text());
        }
    }

    @Test
    void declaredLengthOverTheLimitIs413BeforeTheApplication() throws Exception {
        int before = calls.get();
        try (HttpConnection r = TestServers.connect(server.port())) {
            byte[] body = new byte[LIMIT + 1];
            Arrays.fill(body, (byte) 'x');
            r.sendRaw("POST /read HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length + "\r\n\r\n");
            r.sendRaw(body);
            Response resp = r.readResponse("POST");
            assertEquals(413, resp.status());
            assertEquals("close", resp.header("Connection"));
            assertEquals(0, r.readToClose().length, "closed by the server");
        }
        assertEquals(before, calls.get(), "the application must not run");
    }

    @Test
    void declaredLengthOverTheLimitWithContinueGets413AndNo100() throws Exception {
        int before = calls.get();
        try (HttpConnection r = TestServers.connect(server.port())) {
            r.sendRaw("PUT /read HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\nExpect: 100-continue\r\n\r\n");
            Response resp = r.readResponse("PUT");
            assertTrue(resp.interim().isEmpty(), "no 100 for a body that will be refused");
            assertEquals(413, resp.status());
            assertEquals(0, r.readToClose().length, "closed by the server");
        }
        assertEquals(before, calls.get());
    }

    @Test
    void exactlyTheLimitIsAccepted() throws Exception {
        try (HttpConnection r = TestServers.connect(server.port())) {
            byte[] body = new byte[LIMIT];
            r.sendRaw("POST /read HTTP/1.1\r\nHost: x\r\nContent-Length: " + LIMIT + "\r\nConnection: close\r\n\r\n");
            r.sendRaw(body);
            assertEquals("read " + LIMIT, r.readResponse("POST").text());
        }
        try (HttpConnection r = TestServers.connect(server.port())) {
            r.sendRaw("POST /read HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                    + Integer.toHexString(LIMIT) + "\r\n");
            r.sendRaw(new byte[LIMIT]);
            r.sendRaw("\r\n0\r\n\r\n");
            assertEquals("read " + LIMIT, r.readResponse("POST").text());
        }
    }

    @Test
    void chunkedBodyGrowingOverTheLimitIs413() throws Exception {
        int before = calls.get();
        try (HttpConnection r = TestServers.connect(server.port())) {
            r.sendRaw("POST /small-reads HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
            // one big chunk and then more: the client has sent all of it before it reads anything
            r.sendRaw(Integer.toHexString(4 * LIMIT) + "\r\n");
            r.sendRaw(new byte[4 * LIMIT]);
            r.sendRaw("\r\n" + Integer.toHexString(LIMIT) + "\r\n");
            r.sendRaw(new byte[LIMIT]);
            r.sendRaw("\r\n0\r\n\r\n");
            Response resp = r.readResponse("POST");
            assertEquals(413, resp.status());
            assertEquals("close", resp.header("Connection"));
            assertEquals(0, r.readToClose().length, "closed by the server");
        }
        assertEquals(before + 1, calls.get(), "the application ran and its read failed");
        assertTrue(log.text().contains("413"), log.text());
    }

    @Test
    void chunkedOverTheLimitWhileTheClientKeepsSendingStillShowsThe413() throws Exception {
        try (HttpConnection r = TestServers.connect(server.port())) {
            r.sendRaw("POST /read HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
            byte[] piece = new byte[512];
            boolean cut = false;
            try {
                for (int i = 0; i < 64; i++) {
                    r.sendRaw(Integer.toHexString(piece.length) + "\r\n");
                    r.sendRaw(piece);
                    r.sendRaw("\r\n");
                }
            } catch (java.io.IOException e) {
                cut = true; // the server closed after discarding a bounded amount; fine
            }
            Response resp = r.readResponse("POST");
            assertEquals(413, resp.status(), "cut=" + cut);
        }
    }

    @Test
    void underTheLimitKeepAliveWorksAfterAnUnreadBody() throws Exception {
        try (HttpConnection r = TestServers.connect(server.port())) {
            r.sendRaw("POST /ignore HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789");
            Response first = r.readResponse("POST");
            assertEquals(403, first.status());
            assertFalse("close".equalsIgnoreCase(first.header("Connection")));
            r.sendRaw("POST /read HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc");
            assertEquals("read 3", r.readResponse("POST").text());
        }
    }
}

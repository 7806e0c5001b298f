package dev.jgi.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.Header;
import dev.jgi.conformance.http.HttpConnection;
import dev.jgi.conformance.http.Response;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** jgi.input on Jetty: Content-Length and chunked bodies, EOF behaviour, and 100 Continue on first read. */
class JettyInputTest {

    static JettyServer server;
    static final AtomicBoolean APP_RAN = new AtomicBoolean();

    static final Application APP = (environ, start) -> {
        APP_RAN.set(true);
        String q = (String) environ.get("QUERY_STRING");
        InputStream in = (InputStream) environ.get("jgi.input");
        if (q.equals("ignore")) {
            start.start("200 OK", List.of());
            return Body.ofUtf8("ignored");
        }
        byte[] buf = new byte[3];
        StringBuilder sb = new StringBuilder();
        int n;
        while ((n = in.read(buf, 0, buf.length)) >= 0) {
            sb.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
        // past the end: -1 again, at once, without touching the connection
        int again = in.read(buf, 0, 3);
        int single = in.read();
        in.close(); // must be harmless (the server owns the stream)
        start.start("200 OK", List.of(Header.of("X-After-Eof", again + "," + single)));
        return Body.ofUtf8(sb.toString());
    };

    @BeforeAll
    static void start() throws Exception {
        server = TestSupport.server(APP).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void contentLengthBody() throws Exception {
        Response r = TestSupport.exchange(server.port(), "POST /?read HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n"
                + "Connection: close\r\n\r\nhello world");
        assertEquals("hello world", r.text());
        assertEquals("-1,-1", r.header("X-After-Eof"));
    }

    @Test
    void chunkedBody() throws Exception {
        Response r = TestSupport.exchange(server.port(), "POST /?read HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
        assertEquals("hello world", r.text());
        assertEquals("-1,-1", r.header("X-After-Eof"));
    }

    @Test
    void noBodyReadsAsEmpty() throws Exception {
        Response r = TestSupport.exchange(server.port(), "GET /?read HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        assertEquals("", r.text());
        assertEquals("-1,-1", r.header("X-After-Eof"));
    }

    @Test
    void continueIsSentWhenTheApplicationFirstReads() throws Exception {
        try (HttpConnection c = TestSupport.connect(server.port())) {
            c.sendRaw("POST /?read HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nExpect: 100-continue\r\n"
                    + "Connection: close\r\n\r\n");
            // the body is withheld until the interim response arrives, as a client would
            assertEquals("HTTP/1.1 100 Continue", c.readLine());
            assertEquals("", c.readLine());
            c.sendRaw("hello");
            Response r = c.readResponse("POST");
            assertEquals(200, r.status());
            assertEquals("hello", r.text());
            assertEquals(0, c.readToClose().length, "nothing after the response, then the close");
        }
    }

    @Test
    void noContinueWhenTheApplicationAnswersWithoutReading() throws Exception {
        APP_RAN.set(false);
        try (HttpConnection c = TestSupport.connect(server.port())) {
            Response r = c.sendRaw("POST /?ignore HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
                    .readResponse("POST");
            assertTrue(APP_RAN.get());
            assertEquals(List.of(), r.interim(), "no 100 Continue");
            assertEquals("HTTP/1.1 200 OK", r.head().statusLine());
            assertFalse(r.text().contains("100 Continue"), r.text());
            assertTrue(r.text().endsWith("ignored"), r.text());
            // the body was never sent, so the connection cannot be reused: Jetty closes it
            assertEquals(0, c.readToClose().length, "nothing after the response, then the close");
        }
    }
}

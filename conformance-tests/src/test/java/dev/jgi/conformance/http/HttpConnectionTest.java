package dev.jgi.conformance.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.conformance.Exchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The raw client decides whether a server aborted a response; these tests feed it canned bytes
 * from a socket, complete and cut off, so that verdict can be trusted.
 */
class HttpConnectionTest {

    /** Reads a request head up to its empty line, or what came before the client closed. */
    private static String requestHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            head.write(c);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** Serves one connection: reads the request head, writes {@code reply}, then closes (or resets). */
    private static Response exchange(String method, String reply, boolean reset, List<Exchange> transcript) throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (Socket s = ss.accept()) {
                    if (!requestHead(s.getInputStream()).endsWith("\r\n\r\n")) {
                        return;
                    }
                    OutputStream out = s.getOutputStream();
                    out.write(reply.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    if (reset) {
                        s.setSoLinger(true, 0);
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (HttpConnection c = HttpConnection.open("127.0.0.1", ss.getLocalPort(), "x", "test", transcript::add, 5000)) {
                Response r = c.exchange(Request.of(method, "/"));
                served.get(5, TimeUnit.SECONDS);
                return r;
            }
        }
    }

    private static Response exchange(String reply) throws Exception {
        return exchange("GET", reply, false, new ArrayList<>());
    }

    @Test
    void aTerminatedChunkedBodyIsCompleteWithItsTrailers() throws Exception {
        Response r = exchange("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=1\r\nhello\r\n6\r\n world\r\n0\r\nX-T: 1\r\n\r\n");
        assertTrue(r.complete());
        assertEquals(Response.Framing.CHUNKED, r.framing());
        assertEquals("hello world", r.text());
        assertEquals("X-T", r.trailers().get(0)[0]);
    }

    @Test
    void aChunkedBodyWithoutItsLastChunkIsIncomplete() throws Exception {
        Response r = exchange("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
        assertFalse(r.complete());
        assertEquals("hello", r.text());
        assertTrue(r.problem().contains("before the last chunk"), r.problem());
        r = exchange("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nhel");
        assertFalse(r.complete());
        assertTrue(r.problem().contains("inside a chunk"), r.problem());
    }

    @Test
    void aBodyShortOfItsContentLengthIsIncomplete() throws Exception {
        Response r = exchange("HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\nonly ten b");
        assertFalse(r.complete());
        assertEquals("only ten b", r.text());
        assertTrue(r.problem().contains("10 bytes short"), r.problem());
        assertTrue(exchange("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc").complete());
    }

    @Test
    void aResetConnectionIsAnIncompleteBody() throws Exception {
        List<Exchange> t = new ArrayList<>();
        Response r = exchange("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n", true, t);
        assertFalse(r.complete());
        assertEquals(1, t.size());
        assertTrue(t.get(0).received().startsWith("HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n"), t.get(0).received());
        assertTrue(t.get(0).sent().startsWith("GET / HTTP/1.1\nHost: x\n"), t.get(0).sent());
    }

    @Test
    void interimResponsesComeBeforeTheFinalOne() throws Exception {
        Response r = exchange("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n");
        assertEquals(204, r.status());
        assertEquals(List.of(100, 103), List.of(r.interim().get(0).status(), r.interim().get(1).status()));
        assertEquals("</a>", r.interim().get(1).header("Link"));
        assertTrue(r.complete());
    }

    @Test
    void headAndCloseDelimitedFraming() throws Exception {
        Response head = exchange("HEAD", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", false, new ArrayList<>());
        assertEquals(Response.Framing.NONE, head.framing());
        assertEquals("5", head.header("content-length"));
        Response close = exchange("HTTP/1.0 200 OK\r\n\r\nuntil the end");
        assertEquals(Response.Framing.CLOSE, close.framing());
        assertEquals("until the end", close.text());
    }

    @Test
    void requestsAreWrittenByteForByte() {
        Request r = Request.of("PROPFIND", "/a%20b?x").header("X-Latin", "caf\u00e9").header("X-Empty", "")
                .chunked(List.of("ab".getBytes(StandardCharsets.US_ASCII), new byte[0], "c".getBytes(StandardCharsets.US_ASCII)))
                .trailer("X-T", "1");
        byte[] expect = ("PROPFIND /a%20b?x HTTP/1.1\r\nHost: h:1\r\nX-Latin: caf\u00e9\r\nX-Empty:\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "2\r\nab\r\n1\r\nc\r\n0\r\nX-T: 1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        assertArrayEquals(expect, r.toBytes("h:1"));
    }

    @Test
    void rawTextLinesTheVerbatimStatusLineAndWhatFollowsAResponse() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> {
                try (Socket s = ss.accept()) {
                    String head = requestHead(s.getInputStream());
                    s.getOutputStream().write("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 \r\nContent-Length: 2\r\n\r\nnoextra"
                            .getBytes(StandardCharsets.ISO_8859_1));
                    return head;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (HttpConnection c = HttpConnection.open("127.0.0.1", ss.getLocalPort(), "x", "test", null, 5000)) {
                c.sendRaw("GET /caf\u00e9 HTTP/1.1\r\nhost: y\r\n\r\n");
                assertEquals("HTTP/1.1 100 Continue", c.readLine());
                assertEquals("", c.readLine());
                Response r = c.readResponse("GET");
                assertEquals("HTTP/1.1 404 ", r.head().statusLine(), "the status line as sent, its last space included");
                assertEquals("", r.reason());
                assertEquals("no", r.text());
                assertEquals("extra", new String(c.readToClose(), StandardCharsets.ISO_8859_1), "what followed, up to the close");
                assertEquals(0, c.readToClose().length);
                assertEquals(null, c.readLine());
            }
            assertEquals("GET /caf\u00e9 HTTP/1.1\r\nhost: y\r\n\r\n", served.get(5, TimeUnit.SECONDS), "ISO-8859-1, byte for byte");
        }
    }

    @Test
    void aLongTranscriptKeepsItsFirst12AndLast2KiB() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 12 * 1024 + 5000 + 2 * 1024 + 777; i++) {
            text.append((char) ('a' + (i * 7 + i / 26) % 26));
        }
        String all = text.toString();
        List<Exchange> t = new ArrayList<>();
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Long> drained = CompletableFuture.supplyAsync(() -> {
                try (Socket s = ss.accept()) {
                    return s.getInputStream().transferTo(OutputStream.nullOutputStream());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (HttpConnection c = HttpConnection.open("127.0.0.1", ss.getLocalPort(), "x", "test", t::add, 5000)) {
                // pieces of odd sizes, so that the kept tail wraps around its ring at odd places
                int[] sizes = {1, 999, 4096, 7, 12 * 1024, 3000};
                int pos = 0;
                for (int i = 0; pos < all.length(); i++) {
                    int n = Math.min(sizes[i % sizes.length], all.length() - pos);
                    c.sendRaw(all.substring(pos, pos + n));
                    pos += n;
                }
                c.socket().shutdownOutput();
                assertEquals(all.length(), drained.get(5, TimeUnit.SECONDS));
            }
        }
        int omitted = all.length() - 12 * 1024 - 2 * 1024;
        assertEquals(all.substring(0, 12 * 1024) + "\n[... " + omitted + " bytes omitted ...]\n" + all.substring(all.length() - 2 * 1024),
                t.get(0).sent());
    }
}

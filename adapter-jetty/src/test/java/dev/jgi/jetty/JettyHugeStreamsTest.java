package dev.jgi.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.Header;
import dev.jgi.conformance.http.HttpConnection;
import dev.jgi.conformance.http.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 1 GiB up and 1 GiB down through the adapter in a JVM whose heap is 64 MiB (surefire runs this
 * class alone in a fork with {@code -Xmx64m}): neither direction may hold the body in memory.
 * Server and client share the heap, and the client streams too. Checksums compare both ends.
 */
class JettyHugeStreamsTest {

    static final int BLOCK = 64 * 1024;
    static final long BLOCKS = 16 * 1024;
    static final long SIZE = BLOCK * BLOCKS; // 1 GiB
    static final byte[] BASE = new byte[BLOCK];
    static JettyServer server;

    static {
        new Random(7).nextBytes(BASE);
    }

    /** Block {@code i} of the test stream: a fixed random block stamped with its index. */
    static void fill(byte[] block, long i) {
        System.arraycopy(BASE, 0, block, 0, BLOCK);
        for (int b = 0; b < 8; b++) {
            block[b] = (byte) (i >>> (8 * b));
        }
    }

    static final Application APP = (environ, start) -> {
        if ("POST".equals(environ.get("REQUEST_METHOD"))) {
            InputStream in = (InputStream) environ.get("jgi.input");
            CRC32C crc = new CRC32C();
            byte[] buf = new byte[BLOCK];
            long count = 0;
            int n;
            while ((n = in.read(buf)) >= 0) {
                crc.update(buf, 0, n);
                count += n;
            }
            start.start("200 OK", List.of(Header.of("Content-Type", "text/plain")));
            return Body.ofUtf8(count + " " + Long.toHexString(crc.getValue()));
        }
        start.start("200 OK", List.of(Header.of("Content-Type", "application/octet-stream")));
        return Body.from(() -> new Iterator<byte[]>() {
            long i;

            @Override
            public boolean hasNext() {
                return i < BLOCKS;
            }

            @Override
            public byte[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                byte[] chunk = new byte[BLOCK]; // a fresh array per chunk: retaining them would exhaust the heap
                fill(chunk, i++);
                return chunk;
            }
        }, null);
    };

    static long expectedCrc() {
        CRC32C crc = new CRC32C();
        byte[] block = new byte[BLOCK];
        for (long i = 0; i < BLOCKS; i++) {
            fill(block, i);
            crc.update(block, 0, BLOCK);
        }
        return crc.getValue();
    }

    @BeforeAll
    static void start() throws Exception {
        server = TestSupport.server(APP).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void heapIsReallySmall() {
        long max = Runtime.getRuntime().maxMemory();
        assertTrue(max <= 80L * 1024 * 1024, "this test must run with -Xmx64m, max heap is " + max);
        assertTrue(SIZE > 10 * max, "the body must be far larger than the heap");
    }

    @Test
    void oneGibibyteUp() throws Exception {
        try (HttpConnection c = TestSupport.connect(server.port(), TestSupport.TIMEOUT_MS * 4)) {
            c.sendRaw("POST /up HTTP/1.1\r\nHost: h\r\nContent-Length: " + SIZE + "\r\nConnection: close\r\n\r\n");
            byte[] block = new byte[BLOCK];
            for (long i = 0; i < BLOCKS; i++) {
                fill(block, i);
                c.sendRaw(block);
            }
            Response r = c.readResponse("POST");
            assertEquals(200, r.status(), r::toString);
            assertEquals(SIZE + " " + Long.toHexString(expectedCrc()), r.text());
            assertEquals(0, c.readToClose().length, "nothing after the response, then the close");
        }
    }

    @Test
    void oneGibibyteDown() throws Exception {
        try (HttpConnection c = TestSupport.connect(server.port(), TestSupport.TIMEOUT_MS * 4)) {
            c.sendRaw("GET /down HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
            Response.Head head = c.readHead();
            assertEquals("HTTP/1.1 200 OK", head.statusLine());
            assertTrue(head.headers("Transfer-Encoding").stream().anyMatch("chunked"::equalsIgnoreCase),
                    "a streamed body of unknown length is chunked");
            // de-chunk while reading, into one reused buffer: the client must not buffer either
            HttpConnection.BodyStream body = c.body(head, "GET");
            CRC32C crc = new CRC32C();
            byte[] buf = new byte[BLOCK];
            long total = 0;
            for (int n; (n = body.read(buf, 0, buf.length)) >= 0; ) {
                crc.update(buf, 0, n);
                total += n;
            }
            // incomplete: cut inside a chunk, or a chunk's data not followed by its CRLF
            long got = total;
            assertTrue(body.complete(), () -> body.problem() + " after " + got + " bytes");
            assertTrue(body.trailers().isEmpty(), "the last chunk is followed by the empty line");
            assertEquals(SIZE, total);
            assertEquals(Long.toHexString(expectedCrc()), Long.toHexString(crc.getValue()));
        } catch (IOException e) {
            throw new AssertionError("download failed", e);
        }
    }
}

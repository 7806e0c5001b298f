package dev.jgi.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.Environ;
import dev.jgi.Header;
import dev.jgi.conformance.http.HttpConnection;
import dev.jgi.conformance.http.Response;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 1 GiB up and 1 GiB down through the adapter in a JVM whose heap is 64 MiB (surefire execution
 * {@code big-streams}, {@code -Xmx64m}; client and server share it): nothing may hold a whole body.
 * The upload application counts and checksums what it reads; the download application yields 64 KiB
 * chunks; both sides compare checksums.
 */
class BigStreamsTest {

    static final long SIZE = 1L << 30;
    static final int BLOCK = 64 * 1024;
    static final byte[] PATTERN = new byte[BLOCK];
    static UndertowServer server;

    static {
        new SplittableRandom(2024).nextBytes(PATTERN);
    }

    /** Block {@code i} of the test stream: the pattern with the block number stamped in front. */
    static byte[] block(long i, byte[] into) {
        System.arraycopy(PATTERN, 0, into, 0, BLOCK);
        for (int k = 0; k < 8; k++) {
            into[k] = (byte) (i >>> (8 * k));
        }
        return into;
    }

    static long expectedChecksum() {
        CRC32C crc = new CRC32C();
        byte[] b = new byte[BLOCK];
        for (long i = 0; i < SIZE / BLOCK; i++) {
            crc.update(block(i, b));
        }
        return crc.getValue();
    }

    static final Application APP = (environ, start) -> {
        Environ env = Environ.of(environ);
        if (env.method().equals("POST")) {
            CRC32C crc = new CRC32C();
            long n = 0;
            byte[] buf = new byte[BLOCK];
            InputStream in = env.input();
            for (int r; (r = in.read(buf)) >= 0; ) {
                crc.update(buf, 0, r);
                n += r;
            }
            start.start("200 OK", List.of(Header.of("Content-Type", "text/plain")));
            return Body.ofUtf8(n + " " + crc.getValue());
        }
        start.start("200 OK", List.of(Header.of("Content-Type", "application/octet-stream")));
        return Body.from(() -> new Iterator<>() {
            long i;

            @Override
            public boolean hasNext() {
                return i < SIZE / BLOCK;
            }

            @Override
            public byte[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return block(i++, new byte[BLOCK]); // a new array per chunk: the server may not keep it
            }
        }, null);
    };

    @BeforeAll
    static void start() throws Exception {
        assertTrue(Runtime.getRuntime().maxMemory() <= 64L << 20,
                "this test must run with -Xmx64m (surefire execution big-streams); max heap is " + Runtime.getRuntime().maxMemory());
        server = TestServers.start(APP);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void oneGibibyteUpWithContentLength() throws Exception {
        long expected = expectedChecksum();
        try (HttpConnection r = TestServers.connect(server.port())) {
            r.socket().setSoTimeout(120_000);
            r.sendRaw("POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: " + SIZE + "\r\nConnection: close\r\n\r\n");
            byte[] b = new byte[BLOCK];
            for (long i = 0; i < SIZE / BLOCK; i++) {
                r.sendRaw(block(i, b));
            }
            Response resp = r.readResponse("POST");
            assertEquals(200, resp.status());
            assertEquals(SIZE + " " + expected, resp.text());
        }
    }

    @Test
    void oneGibibyteDownInChunks() throws Exception {
        long expected = expectedChecksum();
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<InputStream> resp = client.send(HttpRequest.newBuilder(URI.create(server.uri() + "/down")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, resp.statusCode());
        assertEquals("chunked", resp.headers().firstValue("Transfer-Encoding").orElse(""));
        CRC32C crc = new CRC32C();
        long n = 0;
        byte[] buf = new byte[BLOCK];
        try (InputStream in = resp.body()) {
            for (int r; (r = in.read(buf)) >= 0; ) {
                crc.update(buf, 0, r);
                n += r;
            }
        }
        assertEquals(SIZE, n);
        assertEquals(expected, crc.getValue());
    }
}

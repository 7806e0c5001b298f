package dev.jgi.jetty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.FileWrapper;
import dev.jgi.Header;
import dev.jgi.conformance.http.Response;
import dev.jgi.conformance.testing.RecordingFileChannel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jgi.file_wrapper on Jetty: the region goes out from a read-only mapping of the file (Jetty
 * core's most direct file path), which a channel that counts its calls proves: the file is mapped
 * and never read into a buffer.
 */
class JettyFileWrapperTest {

    @TempDir
    static Path dir;
    static Path file;
    static byte[] content;
    static JettyServer server;
    static final AtomicReference<RecordingFileChannel> LAST = new AtomicReference<>();
    /** The gateway closes the body after an abort has already ended the exchange: a liveness bound only. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

    static final Application APP = (environ, start) -> {
        String q = (String) environ.get("QUERY_STRING");
        String[] parts = q.split(",");
        long pos = Long.parseLong(parts[1]);
        long count = Long.parseLong(parts[2]);
        RecordingFileChannel ch = RecordingFileChannel.open(file);
        LAST.set(ch);
        FileWrapper wrapper = (FileWrapper) environ.get("jgi.file_wrapper");
        Body body = wrapper.wrap(ch, pos, count);
        start.start("200 OK", List.of(Header.of("Content-Type", "application/octet-stream")));
        if (parts[0].equals("hidden")) {
            // middleware that does not keep the FileRegion interface: the server can only iterate
            return Body.from(body, body);
        }
        return body;
    };

    @BeforeAll
    static void start() throws Exception {
        content = new byte[(int) (JettyChannel.MAP_WINDOW + JettyChannel.MAP_WINDOW / 2 + 12345)];
        new Random(42).nextBytes(content);
        file = dir.resolve("data.bin");
        Files.write(file, content);
        server = TestSupport.server(APP).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Response get(String query) throws IOException {
        return TestSupport.exchange(server.port(), "GET /?" + query + " HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
    }

    @Test
    void smallRegionIsSentFromOneMapping() throws Exception {
        Response r = get("direct,1000,200000");
        assertEquals("200000", r.header("Content-Length"));
        assertArrayEquals(Arrays.copyOfRange(content, 1000, 201000), r.body());
        RecordingFileChannel ch = LAST.get();
        assertEquals(1, ch.maps(), "one mapped window");
        assertEquals(0, ch.reads(), "the region must not be read through a buffer");
        assertEquals(0, ch.transferToCalls());
        assertTrue(ch.awaitClosed(CLOSE_WAIT), "the body closes the channel");
    }

    @Test
    void largeRegionIsSentInMappedWindows() throws Exception {
        long count = content.length - 7;
        Response r = get("direct,7," + count);
        assertEquals(Long.toString(count), r.header("Content-Length"));
        assertArrayEquals(Arrays.copyOfRange(content, 7, content.length), r.body());
        RecordingFileChannel ch = LAST.get();
        assertEquals((count + JettyChannel.MAP_WINDOW - 1) / JettyChannel.MAP_WINDOW, ch.maps());
        assertEquals(0, ch.reads());
        assertTrue(ch.awaitClosed(CLOSE_WAIT));
    }

    @Test
    void headMapsNothing() throws Exception {
        // the exchange also checks that no body bytes follow the head
        Response r = TestSupport.exchange(server.port(), "HEAD /?direct,0,5000 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        assertEquals("5000", r.header("Content-Length"));
        RecordingFileChannel ch = LAST.get();
        assertEquals(0, ch.maps());
        assertEquals(0, ch.reads());
        assertTrue(ch.awaitClosed(CLOSE_WAIT));
    }

    /** The counter is meaningful: without the FileRegion interface the same region is read chunk by chunk. */
    @Test
    void hiddenRegionFallsBackToReading() throws Exception {
        Response r = get("hidden,1000,200000");
        assertArrayEquals(Arrays.copyOfRange(content, 1000, 201000), r.body());
        RecordingFileChannel ch = LAST.get();
        assertEquals(0, ch.maps());
        assertTrue(ch.reads() > 0);
        assertTrue(ch.awaitClosed(CLOSE_WAIT));
    }

    @Test
    void regionPastTheEndOfTheFileAbortsInsteadOfHanging() throws Exception {
        Response r = get("direct,0," + (content.length + 10));
        assertEquals(Integer.toString(content.length + 10), r.header("Content-Length"));
        assertTrue(!r.complete(), "the client must see an incomplete body");
        assertTrue(LAST.get().awaitClosed(CLOSE_WAIT));
    }

    @Test
    void regionEntirelyPastTheEndFailsBeforeAnythingIsSent() throws Exception {
        // nothing could be sent, so Jetty can still answer with an error instead of dropping the connection
        Response r = get("direct," + content.length + ",10");
        assertEquals(500, r.status());
        assertTrue(LAST.get().awaitClosed(CLOSE_WAIT));
    }
}

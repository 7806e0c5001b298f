package dev.jgi.undertow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.Application;
import dev.jgi.Environ;
import dev.jgi.Header;
import dev.jgi.conformance.http.HttpConnection;
import dev.jgi.conformance.http.Response;
import dev.jgi.conformance.testing.RecordingFileChannel;
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
 * {@code jgi.file_wrapper} bodies go out through Undertow's {@code transferFrom}, which on plain TCP
 * ends in {@code FileChannel.transferTo} to the socket: proved by a recording channel that sees
 * every byte leave through {@code transferTo} and none through a read into a buffer.
 */
class FileWrapperTest {

    @TempDir
    static Path dir;
    static Path file;
    static byte[] content;
    static UndertowServer server;
    static final AtomicReference<RecordingFileChannel> last = new AtomicReference<>();

    static final Application APP = (environ, start) -> {
        Environ env = Environ.of(environ);
        String[] range = env.queryString().split("-");
        long from = Long.parseLong(range[0]);
        long count = Long.parseLong(range[1]);
        RecordingFileChannel ch = RecordingFileChannel.open(file);
        last.set(ch);
        start.start("200 OK", List.of(Header.of("Content-Type", "application/octet-stream")));
        return env.fileWrapper().wrap(ch, from, count);
    };

    @BeforeAll
    static void start() throws Exception {
        content = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(content);
        file = Files.write(dir.resolve("data.bin"), content);
        server = TestServers.start(APP);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static Response get(String method, String query) throws Exception {
        try (HttpConnection r = TestServers.connect(server.port())) {
            return r.sendRaw(method + " /f?" + query + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").readResponse(method);
        }
    }

    /**
     * The server counts a transferTo after it returns, which can be after the client has the bytes:
     * wait until the body closed its channel, which the server does after the last transfer.
     */
    static RecordingFileChannel settled() throws InterruptedException {
        RecordingFileChannel ch = last.get();
        assertTrue(ch.awaitClosed(Duration.ofSeconds(20)), "the body closed its channel");
        return ch;
    }

    @Test
    void aWholeFileLeavesThroughTransferTo() throws Exception {
        Response r = get("GET", "0-" + content.length);
        assertEquals(200, r.status());
        assertEquals(Integer.toString(content.length), r.header("Content-Length"));
        assertNull(r.header("Transfer-Encoding"));
        assertArrayEquals(content, r.body());
        RecordingFileChannel ch = settled();
        assertEquals(content.length, ch.bytesTransferredTo(), "every byte through transferTo");
        assertEquals(0, ch.reads(), "no byte copied through a buffer read");
        assertEquals(0, ch.maps());
        assertTrue(ch.lastTransferTarget().contains("SocketChannel"), "transferTo straight into the socket: " + ch.lastTransferTarget());
    }

    @Test
    void aRegionInTheMiddle() throws Exception {
        Response r = get("GET", "1000-70000");
        assertArrayEquals(Arrays.copyOfRange(content, 1000, 71000), r.body());
        RecordingFileChannel c = settled();
        assertEquals(70000, c.bytesTransferredTo(), c::toString);
        assertEquals(0, c.reads());
    }

    @Test
    void headSendsTheLengthAndNoFileBytes() throws Exception {
        Response r = get("HEAD", "0-" + content.length);
        assertEquals(Integer.toString(content.length), r.header("Content-Length"));
        RecordingFileChannel c = settled();
        assertEquals(0, c.transferToCalls());
        assertEquals(0, c.reads());
    }

    @Test
    void anEmptyRegion() throws Exception {
        Response r = get("GET", "5-0");
        assertEquals("0", r.header("Content-Length"));
        assertEquals(0, r.body().length);
    }

    @Test
    void aRegionPastTheEndOfTheFileIsCutOff() throws Exception {
        Response r = get("GET", (content.length - 10) + "-100");
        assertEquals("100", r.header("Content-Length"));
        assertEquals(10, r.body().length);
        assertFalse(r.complete(), "the client must see a short body");
    }
}

package dev.jgi.undertow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.Application;
import dev.jgi.Environ;
import dev.jgi.Header;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
        RecordingFileChannel ch = new RecordingFileChannel(FileChannel.open(file, StandardOpenOption.READ));
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

    static Raw.Response get(String method, String query) throws Exception {
        try (Raw r = new Raw(server.port())) {
            return r.send(method + " /f?" + query + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").response(method.equals("HEAD"));
        }
    }

    /**
     * The server counts a transferTo after it returns, which can be after the client has the bytes:
     * wait until the body closed its channel, which the server does after the last transfer.
     */
    static RecordingFileChannel settled() throws InterruptedException {
        RecordingFileChannel ch = last.get();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (ch.isOpen() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertFalse(ch.isOpen(), "the body closed its channel");
        return ch;
    }

    @Test
    void aWholeFileLeavesThroughTransferTo() throws Exception {
        Raw.Response r = get("GET", "0-" + content.length);
        assertEquals(200, r.code);
        assertEquals(Integer.toString(content.length), r.header("Content-Length"));
        assertNull(r.header("Transfer-Encoding"));
        assertArrayEquals(content, r.body);
        RecordingFileChannel ch = settled();
        assertEquals(content.length, ch.transferredTo.get(), "every byte through transferTo");
        assertEquals(0, ch.reads.get(), "no byte copied through a buffer read");
        assertEquals(0, ch.maps.get());
        assertTrue(ch.targetClass.contains("SocketChannel"), "transferTo straight into the socket: " + ch.targetClass);
    }

    @Test
    void aRegionInTheMiddle() throws Exception {
        Raw.Response r = get("GET", "1000-70000");
        assertArrayEquals(Arrays.copyOfRange(content, 1000, 71000), r.body);
        RecordingFileChannel c = settled();
        assertEquals(70000, c.transferredTo.get(), () -> "calls=" + c.transferToCalls + " reads=" + c.reads + " maps=" + c.maps);
        assertEquals(0, c.reads.get());
    }

    @Test
    void headSendsTheLengthAndNoFileBytes() throws Exception {
        Raw.Response r = get("HEAD", "0-" + content.length);
        assertEquals(Integer.toString(content.length), r.header("Content-Length"));
        RecordingFileChannel c = settled();
        assertEquals(0, c.transferToCalls.get());
        assertEquals(0, c.reads.get());
    }

    @Test
    void anEmptyRegion() throws Exception {
        Raw.Response r = get("GET", "5-0");
        assertEquals("0", r.header("Content-Length"));
        assertEquals(0, r.body.length);
    }

    @Test
    void aRegionPastTheEndOfTheFileIsCutOff() throws Exception {
        Raw.Response r = get("GET", (content.length - 10) + "-100");
        assertEquals("100", r.header("Content-Length"));
        assertEquals(10, r.body.length);
        assertFalse(r.complete, "the client must see a short body");
    }
}

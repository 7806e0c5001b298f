package dev.jgi.conformance.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recording channel counts each way bytes leave it, and only those, and tells when it is closed. */
class RecordingFileChannelTest {

    @TempDir
    Path dir;

    @Test
    void eachPathIsCountedApart() throws Exception {
        Path file = Files.writeString(dir.resolve("f.txt"), "hello world", StandardCharsets.US_ASCII);
        RecordingFileChannel ch = RecordingFileChannel.open(file);
        assertNull(ch.lastTransferTarget());
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        WritableByteChannel target = Channels.newChannel(sink);
        assertEquals(5, ch.transferTo(6, 5, target));
        assertEquals("world", sink.toString(StandardCharsets.US_ASCII));
        assertEquals(5, ch.bytesTransferredTo());
        assertEquals(1, ch.transferToCalls());
        assertEquals(target.getClass().getName(), ch.lastTransferTarget());
        assertEquals(0, ch.reads());
        assertEquals(0, ch.maps());

        ByteBuffer b = ByteBuffer.allocate(5);
        assertEquals(5, ch.read(b, 0));
        assertEquals("hello", new String(b.array(), StandardCharsets.US_ASCII));
        ch.read(ByteBuffer.allocate(1));
        ch.read(new ByteBuffer[] {ByteBuffer.allocate(1)}, 0, 1);
        assertEquals(3, ch.reads());
        assertEquals('h', ch.map(FileChannel.MapMode.READ_ONLY, 0, 5).get());
        assertEquals(1, ch.maps());
        assertEquals(11, ch.size());
        assertEquals(5, ch.bytesTransferredTo(), "reads and maps are not transfers");
        assertTrue(ch.toString().contains("reads=3"), ch.toString());
    }

    @Test
    void awaitClosedSeesTheClose() throws Exception {
        Path file = Files.writeString(dir.resolve("g.txt"), "x", StandardCharsets.US_ASCII);
        FileChannel real = FileChannel.open(file);
        RecordingFileChannel ch = new RecordingFileChannel(real);
        assertFalse(ch.awaitClosed(Duration.ofMillis(1)));
        Thread closer = new Thread(() -> {
            try {
                ch.close();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        closer.start();
        assertTrue(ch.awaitClosed(Duration.ofSeconds(30)));
        closer.join();
        assertFalse(real.isOpen(), "closing it closes the real channel");
    }
}

package dev.jgi.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link BufferPool}, and {@link ResponseChannel#copy} through a small borrowed buffer. */
class BufferPoolTest {

    @TempDir
    Path dir;

    @Test
    void aReturnedBufferIsReusedCleared() {
        BufferPool pool = new BufferPool(16, 2);
        ByteBuffer a = pool.take();
        a.put((byte) 1).flip();
        pool.give(a);
        ByteBuffer b = pool.take();
        assertSame(a, b);
        assertEquals(0, b.position());
        assertEquals(16, b.limit());
    }

    @Test
    void atMostMaxIdleAreKept() {
        BufferPool pool = new BufferPool(16, 2);
        ByteBuffer a = pool.take();
        ByteBuffer b = pool.take();
        ByteBuffer c = pool.take();
        pool.give(a);
        pool.give(b);
        pool.give(c);
        assertEquals(2, pool.idle());
    }

    @Test
    void foreignBuffersAreNotKept() {
        BufferPool pool = new BufferPool(16, 2);
        pool.give(ByteBuffer.allocate(8));
        pool.give(ByteBuffer.allocateDirect(16));
        pool.give(null);
        assertEquals(0, pool.idle());
        assertNotSame(null, pool.take());
        assertThrows(IllegalArgumentException.class, () -> new BufferPool(0, 1));
    }

    @Test
    void copyReadsTheRegionThroughTheBuffer() throws Exception {
        Path file = Files.writeString(dir.resolve("f.txt"), "0123456789abcdefghij");
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        List<Integer> writes = new java.util.ArrayList<>();
        ResponseChannel ch = new ResponseChannel() {
            @Override
            public void sendHeaders(int status, String reason, List<dev.jgi.Header> headers, long contentLength, boolean bodyless) {
            }

            @Override
            public void write(byte[] chunk, int offset, int length) {
                got.write(chunk, offset, length);
                writes.add(length);
            }

            @Override
            public void finish() {
            }

            @Override
            public void abort(Throwable cause) {
            }
        };
        try (FileChannel fc = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.copy(fc, 3, 15, ByteBuffer.allocate(4));
        }
        assertEquals("3456789abcdefgh", got.toString(StandardCharsets.US_ASCII));
        assertEquals(List.of(4, 4, 4, 3), writes);
    }
}

package dev.jgi.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.ClientDisconnectedException;
import dev.jgi.Covers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** jgi.input: EOF at Content-Length, no read after EOF, the 100-continue hook, the limit. */
class BodyInputTest {

    /**
     * A connection's body stream: hands out {@code data} at most {@code step} bytes per read, then,
     * like a socket with nothing more to come, must not be read again. With {@code endMarker}, it
     * reports -1 once first (the end of a chunked body), and only a read after that fails.
     */
    static class StrictStream extends InputStream {
        private final byte[] data;
        private final int step;
        private final boolean endMarker;
        private int pos;
        private boolean endReported;
        int reads;

        StrictStream(String data, int step, boolean endMarker) {
            this.data = data.getBytes(StandardCharsets.UTF_8);
            this.step = step;
            this.endMarker = endMarker;
        }

        @Override
        public int read() {
            throw new AssertionError("single-byte reads are not expected");
        }

        @Override
        public int read(byte[] b, int off, int len) {
            reads++;
            if (pos == data.length) {
                if (endMarker && !endReported) {
                    endReported = true;
                    return -1;
                }
                throw new AssertionError("read past the end of the body: on a connection this blocks or reads the next request");
            }
            int n = Math.min(Math.min(len, step), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public int available() {
            return data.length - pos;
        }
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    @Covers("input.eof")
    void endsAtContentLengthWithoutReadingFurther() throws Exception {
        StrictStream raw = new StrictStream("hello", 2, false);
        BodyInput in = new BodyInput(raw, 5, -1, null);
        assertEquals("hello", readAll(in));
        assertTrue(in.isFinished());
        assertEquals(5, in.consumed());
        int reads = raw.reads;
        // every way of reading after the end reports EOF without touching the connection
        assertEquals(-1, in.read());
        assertEquals(-1, in.read(new byte[10], 0, 10));
        assertEquals(-1, in.read(new byte[10]));
        assertEquals(0, in.skip(10));
        assertEquals(0, in.available());
        assertArrayEquals(new byte[0], in.readAllBytes());
        assertEquals(reads, raw.reads);
    }

    @Test
    @Covers({"input.eof", "input.read"})
    void doesNotReadPastContentLengthEvenIfMoreIsThere() throws Exception {
        ByteArrayInputStream raw = new ByteArrayInputStream("helloNEXT REQUEST".getBytes(StandardCharsets.US_ASCII));
        BodyInput in = new BodyInput(raw, 5, -1, null);
        byte[] buf = new byte[100];
        int total = 0;
        for (int n; (n = in.read(buf, total, buf.length - total)) > 0; ) {
            total += n;
        }
        assertEquals(5, total);
        assertEquals("hello", new String(buf, 0, 5, StandardCharsets.US_ASCII));
        assertEquals("NEXT REQUEST", new String(raw.readAllBytes(), StandardCharsets.US_ASCII), "the bytes after the body stay on the connection");
    }

    @Test
    @Covers({"input.terminated", "input.eof"})
    void chunkedBodyEndsAtTheStreamsEndAndIsNotReadAgain() throws Exception {
        StrictStream raw = new StrictStream("abcdefg", 3, true);
        BodyInput in = new BodyInput(raw, -1, -1, null);
        assertEquals("abcdefg", readAll(in));
        assertTrue(in.isFinished());
        assertEquals(-1, in.read());
        assertEquals(-1, in.read(new byte[4], 0, 4));
        assertEquals(0, in.skip(3));
    }

    @Test
    @Covers("input.eof")
    void ofGivesTheSharedEmptyStreamWhenNoBodyIsDeclared() throws Exception {
        InputStream never = new StrictStream("", 1, false);
        assertSame(BodyInput.EMPTY, BodyInput.of(never, -1, false, -1, null));
        assertSame(BodyInput.EMPTY, BodyInput.of(never, 0, false, -1, null));
        assertEquals(-1, BodyInput.EMPTY.read());
        assertEquals(-1, BodyInput.EMPTY.read(new byte[1], 0, 1));
        assertEquals(0, BodyInput.EMPTY.read(new byte[1], 0, 0));
        assertEquals(0, BodyInput.EMPTY.available());
        BodyInput.EMPTY.close();
        assertEquals(-1, BodyInput.EMPTY.read());
        assertTrue(BodyInput.of(never, 3, false, -1, null) instanceof BodyInput);
        assertTrue(BodyInput.of(never, 0, true, -1, null) instanceof BodyInput, "chunked ignores the length");
    }

    @Test
    @Covers({"input.eof", "response.expect-continue"})
    void zeroLengthBodyNeverTouchesTheStream() throws Exception {
        StrictStream raw = new StrictStream("", 1, false);
        AtomicInteger hook = new AtomicInteger();
        BodyInput in = new BodyInput(raw, 0, -1, hook::incrementAndGet);
        assertEquals(-1, in.read());
        assertEquals(0, raw.reads);
        assertEquals(0, hook.get(), "no body to wait for: no 100 Continue");
    }

    @Test
    @Covers("input.read")
    void singleByteReadReturnsUnsignedValues() throws Exception {
        BodyInput in = new BodyInput(new ByteArrayInputStream(new byte[] {(byte) 0xff, 0, 0x7f}), 3, -1, null);
        assertEquals(0xff, in.read());
        assertEquals(0, in.read());
        assertEquals(0x7f, in.read());
        assertEquals(-1, in.read());
    }

    @Test
    @Covers("response.expect-continue")
    void firstReadHookRunsOnceBeforeTheFirstRead() throws Exception {
        AtomicInteger hook = new AtomicInteger();
        StrictStream raw = new StrictStream("abcdef", 2, false) {
            @Override
            public int read(byte[] b, int off, int len) {
                assertEquals(1, hook.get(), "the hook must run before the connection is read");
                return super.read(b, off, len);
            }
        };
        BodyInput in = new BodyInput(raw, 6, -1, hook::incrementAndGet);
        assertEquals(0, in.available(), "available() must not trigger 100 Continue");
        assertEquals(0, in.read(new byte[4], 0, 0), "an empty read must not trigger 100 Continue");
        assertEquals(0, hook.get());
        assertEquals('a', in.read());
        assertEquals(1, hook.get());
        assertEquals("bcdef", readAll(in));
        assertEquals(1, hook.get());
    }

    @Test
    @Covers("response.expect-continue")
    void firstReadHookNeverRunsWhenTheApplicationDoesNotRead() {
        AtomicInteger hook = new AtomicInteger();
        BodyInput in = new BodyInput(new StrictStream("abc", 3, false), 3, -1, hook::incrementAndGet);
        in.close();
        assertEquals(0, hook.get());
        assertFalse(in.isFinished());
    }

    @Test
    @Covers("input.limit")
    void limitOnAChunkedBodyThrowsTooLargeAndThenStaysAtEof() throws Exception {
        StrictStream raw = new StrictStream("0123456789", 4, true);
        BodyInput in = new BodyInput(raw, -1, 6, null);
        RequestBodyTooLargeException e = assertThrows(RequestBodyTooLargeException.class, in::readAllBytes);
        assertEquals(6, e.limit());
        int reads = raw.reads;
        assertEquals(-1, in.read());
        assertEquals(reads, raw.reads);
    }

    @Test
    @Covers("input.limit")
    void bodyExactlyAtTheLimitIsFine() throws Exception {
        BodyInput in = new BodyInput(new StrictStream("012345", 4, true), -1, 6, null);
        assertEquals("012345", readAll(in));
    }

    @Test
    @Covers("input.disconnect")
    void bodyShorterThanContentLengthIsADisconnect() throws Exception {
        BodyInput in = new BodyInput(new StrictStream("abc", 8, true), 10, -1, null);
        byte[] buf = new byte[10];
        assertEquals(3, in.read(buf, 0, 10));
        ClientDisconnectedException e = assertThrows(ClientDisconnectedException.class, () -> in.read(buf, 0, 10));
        assertTrue(e.getMessage().contains("7 short"), e.getMessage());
    }

    @Test
    @Covers("input.disconnect")
    void failingConnectionIsReportedAsADisconnect() {
        IOException cause = new IOException("connection reset");
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw cause;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                throw cause;
            }
        };
        BodyInput in = new BodyInput(broken, 5, -1, null);
        ClientDisconnectedException e = assertThrows(ClientDisconnectedException.class, in::read);
        assertSame(cause, e.getCause());
    }

    @Test
    @Covers("input.close")
    void closeDoesNothing() throws Exception {
        BodyInput in = new BodyInput(new StrictStream("abc", 3, false), 3, -1, null);
        in.close();
        assertEquals("abc", readAll(in));
    }

    @Test
    @Covers("input.eof")
    void skipAndAvailableStayWithinTheBody() throws Exception {
        BodyInput in = new BodyInput(new ByteArrayInputStream("abcdefEXTRA".getBytes(StandardCharsets.US_ASCII)), 6, -1, null);
        assertEquals('a', in.read());
        assertEquals(5, in.available(), "available counts only the body");
        assertEquals(3, in.skip(3));
        assertEquals(2, in.skip(100));
        assertEquals(0, in.skip(1));
        assertEquals(-1, in.read());
        assertEquals(0, in.skip(-5));
    }

    @Test
    void badArgumentsAreRefused() {
        BodyInput in = new BodyInput(new ByteArrayInputStream(new byte[3]), 3, -1, null);
        assertThrows(IndexOutOfBoundsException.class, () -> in.read(new byte[2], 1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> in.read(new byte[2], -1, 1));
        assertThrows(NullPointerException.class, () -> in.read(null, 0, 1));
    }
}

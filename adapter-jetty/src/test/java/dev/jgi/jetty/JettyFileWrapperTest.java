package dev.jgi.jetty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.FileWrapper;
import dev.jgi.Header;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
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
    static final AtomicReference<CountingChannel> LAST = new AtomicReference<>();

    static final Application APP = (environ, start) -> {
        String q = (String) environ.get("QUERY_STRING");
        String[] parts = q.split(",");
        long pos = Long.parseLong(parts[1]);
        long count = Long.parseLong(parts[2]);
        CountingChannel ch = new CountingChannel(FileChannel.open(file, StandardOpenOption.READ));
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

    private static RawHttp.Response get(String query) throws IOException {
        return RawHttp.exchange(server.port(), "GET /?" + query + " HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
    }

    @Test
    void smallRegionIsSentFromOneMapping() throws Exception {
        RawHttp.Response r = get("direct,1000,200000");
        assertEquals("200000", r.header("Content-Length"));
        assertArrayEquals(Arrays.copyOfRange(content, 1000, 201000), r.body);
        CountingChannel ch = LAST.get();
        assertEquals(1, ch.maps.get(), "one mapped window");
        assertEquals(0, ch.reads.get(), "the region must not be read through a buffer");
        assertEquals(0, ch.transfers.get());
        assertTrue(ch.awaitClosed(), "the body closes the channel");
    }

    @Test
    void largeRegionIsSentInMappedWindows() throws Exception {
        long count = content.length - 7;
        RawHttp.Response r = get("direct,7," + count);
        assertEquals(Long.toString(count), r.header("Content-Length"));
        assertArrayEquals(Arrays.copyOfRange(content, 7, content.length), r.body);
        CountingChannel ch = LAST.get();
        assertEquals((count + JettyChannel.MAP_WINDOW - 1) / JettyChannel.MAP_WINDOW, ch.maps.get());
        assertEquals(0, ch.reads.get());
        assertTrue(ch.awaitClosed());
    }

    @Test
    void headMapsNothing() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(RawHttp.TIMEOUT_MS);
            s.getOutputStream().write("HEAD /?direct,0,5000 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            RawHttp.Response r = RawHttp.Response.parse(RawHttp.readAll(s.getInputStream()), true);
            assertEquals("5000", r.header("Content-Length"));
            assertEquals(0, r.rest.length);
        }
        CountingChannel ch = LAST.get();
        assertEquals(0, ch.maps.get());
        assertEquals(0, ch.reads.get());
        assertTrue(ch.awaitClosed());
    }

    /** The counter is meaningful: without the FileRegion interface the same region is read chunk by chunk. */
    @Test
    void hiddenRegionFallsBackToReading() throws Exception {
        RawHttp.Response r = get("hidden,1000,200000");
        assertArrayEquals(Arrays.copyOfRange(content, 1000, 201000), r.body);
        CountingChannel ch = LAST.get();
        assertEquals(0, ch.maps.get());
        assertTrue(ch.reads.get() > 0);
        assertTrue(ch.awaitClosed());
    }

    @Test
    void regionPastTheEndOfTheFileAbortsInsteadOfHanging() throws Exception {
        RawHttp.Response r = get("direct,0," + (content.length + 10));
        assertEquals(Integer.toString(content.length + 10), r.header("Content-Length"));
        assertTrue(!r.complete, "the client must see an incomplete body");
        assertTrue(LAST.get().awaitClosed());
    }

    @Test
    void regionEntirelyPastTheEndFailsBeforeAnythingIsSent() throws Exception {
        // nothing could be sent, so Jetty can still answer with an error instead of dropping the connection
        RawHttp.Response r = get("direct," + content.length + ",10");
        assertEquals(500, r.status);
        assertTrue(LAST.get().awaitClosed());
    }

    /** A FileChannel that delegates and counts how it is used. */
    static final class CountingChannel extends FileChannel {
        final FileChannel delegate;
        final AtomicInteger maps = new AtomicInteger();
        final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger transfers = new AtomicInteger();
        final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);

        /** The gateway closes the body after an abort has already ended the exchange: wait for it (liveness bound only). */
        boolean awaitClosed() throws InterruptedException {
            return closed.await(30, java.util.concurrent.TimeUnit.SECONDS);
        }

        CountingChannel(FileChannel delegate) {
            this.delegate = delegate;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            reads.incrementAndGet();
            return delegate.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            reads.incrementAndGet();
            return delegate.read(dsts, offset, length);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            reads.incrementAndGet();
            return delegate.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return delegate.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            return delegate.write(srcs, offset, length);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return delegate.write(src, position);
        }

        @Override
        public long position() throws IOException {
            return delegate.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            delegate.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return delegate.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            delegate.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            delegate.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            transfers.incrementAndGet();
            return delegate.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            return delegate.transferFrom(src, position, count);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            maps.incrementAndGet();
            return delegate.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return delegate.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return delegate.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            delegate.close();
            closed.countDown();
        }
    }
}

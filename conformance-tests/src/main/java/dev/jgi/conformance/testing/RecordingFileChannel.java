package dev.jgi.conformance.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link FileChannel} that delegates to a real one and records how a server sends it, for an
 * adapter's own proof of the {@code file-wrapper-zero-copy} capability, which the conformance
 * suite cannot see on the wire.
 *
 * <p>An application under test hands it to {@code jgi.file_wrapper}; afterwards the test asks how
 * the bytes left: through {@code transferTo} (sendfile when the target is a socket), through a
 * mapping ({@code map}), or copied through user-space buffers ({@code read}). Every other operation
 * is passed through unrecorded. The counters are safe to read from the test thread while the
 * server's threads use the channel.
 *
 * <pre>{@code
 * RecordingFileChannel ch = RecordingFileChannel.open(file);   // in the application
 * return fileWrapper.wrap(ch, 0, size);
 * ...
 * assertTrue(ch.awaitClosed(Duration.ofSeconds(30)));           // in the test, after the response
 * assertEquals(size, ch.bytesTransferredTo());
 * assertEquals(0, ch.reads());
 * }</pre>
 */
public final class RecordingFileChannel extends FileChannel {

    private final FileChannel delegate;
    private final AtomicLong transferredTo = new AtomicLong();
    private final AtomicInteger transferToCalls = new AtomicInteger();
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicInteger maps = new AtomicInteger();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile String lastTarget;

    /**
     * Wraps a channel; closing this one closes {@code delegate}.
     *
     * @param delegate the channel that does the work
     */
    public RecordingFileChannel(FileChannel delegate) {
        this.delegate = delegate;
    }

    /**
     * Opens a file for reading, recorded.
     *
     * @param file the file
     * @return the channel
     * @throws IOException if the file cannot be opened
     */
    public static RecordingFileChannel open(Path file) throws IOException {
        return new RecordingFileChannel(FileChannel.open(file, StandardOpenOption.READ));
    }

    /** @return how many bytes left through {@code transferTo}, counted when each call returns */
    public long bytesTransferredTo() {
        return transferredTo.get();
    }

    /** @return how many times {@code transferTo} was called */
    public int transferToCalls() {
        return transferToCalls.get();
    }

    /**
     * @return the class name of the channel the last {@code transferTo} wrote to (a
     *     {@code SocketChannel} implementation when the bytes went straight to the socket), or
     *     {@code null} if there was none
     */
    public String lastTransferTarget() {
        return lastTarget;
    }

    /** @return how many {@code read} calls (of any form) copied bytes into a buffer */
    public int reads() {
        return reads.get();
    }

    /** @return how many times a region was mapped into memory */
    public int maps() {
        return maps.get();
    }

    /**
     * Waits until the channel is closed. A server may close a file body after the client already
     * has its bytes, and counts a {@code transferTo} only once it returns, so a test waits for the
     * close before it reads the counters.
     *
     * @param timeout how long to wait at most (a liveness bound, not a speed check)
     * @return whether the channel was closed in time
     * @throws InterruptedException if the wait was interrupted
     */
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        return closed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public String toString() {
        return "RecordingFileChannel[transferTo calls=" + transferToCalls + " bytes=" + transferredTo + " target=" + lastTarget
                + ", reads=" + reads + ", maps=" + maps + (isOpen() ? "" : ", closed") + "]";
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        transferToCalls.incrementAndGet();
        lastTarget = target.getClass().getName();
        long n = delegate.transferTo(position, count, target);
        transferredTo.addAndGet(n);
        return n;
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
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        maps.incrementAndGet();
        return delegate.map(mode, position, size);
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
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        return delegate.transferFrom(src, position, count);
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
        try {
            delegate.close();
        } finally {
            closed.countDown();
        }
    }
}

package dev.jgi.undertow;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link FileChannel} that delegates to a real one and counts how it is used: bytes moved by
 * {@code transferTo} (the zero-copy path, sendfile when the target is a socket) and calls that copy
 * through user-space buffers ({@code read}, {@code map}).
 */
final class RecordingFileChannel extends FileChannel {

    final FileChannel delegate;
    final AtomicLong transferredTo = new AtomicLong();
    final AtomicInteger transferToCalls = new AtomicInteger();
    final AtomicInteger reads = new AtomicInteger();
    final AtomicInteger maps = new AtomicInteger();
    volatile String targetClass;

    RecordingFileChannel(FileChannel delegate) {
        this.delegate = delegate;
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        transferToCalls.incrementAndGet();
        targetClass = target.getClass().getName();
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
        delegate.close();
    }
}

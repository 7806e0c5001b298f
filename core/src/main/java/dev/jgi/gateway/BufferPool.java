package dev.jgi.gateway;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Reusable heap buffers of one size, owned by one server: for a server whose only file path is a
 * copy through the Java heap (the JDK's HttpServer takes nothing but byte arrays), so that a file
 * body costs a buffer borrowed for the transfer, not one allocated per request. At most
 * {@code maxIdle} buffers are kept; more are allocated under a burst and then left to the
 * collector.
 */
public final class BufferPool {

    private final int size;
    private final ArrayBlockingQueue<ByteBuffer> idle;

    /**
     * @param size the capacity of each buffer, bytes
     * @param maxIdle how many returned buffers are kept for reuse (typically the server's thread count)
     */
    public BufferPool(int size, int maxIdle) {
        if (size <= 0 || maxIdle <= 0) {
            throw new IllegalArgumentException("size and maxIdle must be positive");
        }
        this.size = size;
        this.idle = new ArrayBlockingQueue<>(maxIdle);
    }

    /** @return the capacity of each buffer */
    public int size() {
        return size;
    }

    /** @return a cleared heap buffer of {@link #size()} bytes, reused when one is idle */
    public ByteBuffer take() {
        ByteBuffer b = idle.poll();
        return b != null ? b.clear() : ByteBuffer.allocate(size);
    }

    /**
     * Returns a buffer taken from this pool; it must not be used afterwards.
     *
     * @param buffer the buffer
     */
    public void give(ByteBuffer buffer) {
        if (buffer != null && buffer.capacity() == size && buffer.hasArray()) {
            idle.offer(buffer); // dropped when the pool is full
        }
    }

    /** @return how many buffers are idle now */
    public int idle() {
        return idle.size();
    }
}

package dev.jgi.server;

import dev.jgi.Body;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A response body that records what the server did with it: how often {@code iterator()},
 * {@code next()} and {@code close()} were called, and whether {@code next()} came after
 * {@code close()}. Chunks come from a {@link Source}, which may block or throw.
 */
final class TrackedBody implements Body {

    /** Produces chunk {@code i}, or {@code null} when the body ends. */
    interface Source {
        byte[] chunk(int i) throws Exception;
    }

    final AtomicInteger iterators = new AtomicInteger();
    final AtomicInteger nexts = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();
    final CountDownLatch closed = new CountDownLatch(1);
    volatile boolean nextAfterClose;
    private final Source source;
    private final int count;

    TrackedBody(Source source) {
        this(source, -1);
    }

    TrackedBody(Source source, int count) {
        this.source = source;
        this.count = count;
    }

    static TrackedBody of(String... chunks) {
        return new TrackedBody(i -> i < chunks.length ? chunks[i].getBytes(StandardCharsets.UTF_8) : null);
    }

    @Override
    public Iterator<byte[]> iterator() {
        iterators.incrementAndGet();
        return new Iterator<>() {
            private int i;
            private byte[] next;
            private boolean ended;

            @Override
            public boolean hasNext() {
                if (next == null && !ended) {
                    try {
                        next = source.chunk(i);
                    } catch (RuntimeException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    if (next == null) {
                        ended = true;
                    } else {
                        i++;
                    }
                }
                return next != null;
            }

            @Override
            public byte[] next() {
                if (closes.get() > 0) {
                    nextAfterClose = true;
                }
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                nexts.incrementAndGet();
                byte[] b = next;
                next = null;
                return b;
            }
        };
    }

    @Override
    public int chunkCount() {
        return count;
    }

    @Override
    public void close() {
        closes.incrementAndGet();
        closed.countDown();
    }

    /** Waits (generously) for the server to close the body. */
    void awaitClosed() throws InterruptedException {
        if (!closed.await(RawHttp.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the server never closed the body");
        }
    }

    /** Waits for a latch inside an application; fails the request rather than hanging forever. */
    static void await(CountDownLatch latch) throws InterruptedException {
        if (!latch.await(RawHttp.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("test latch was never released");
        }
    }
}

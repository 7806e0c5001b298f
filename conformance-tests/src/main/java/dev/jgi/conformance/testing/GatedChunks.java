package dev.jgi.conformance.testing;

import dev.jgi.Body;
import java.io.Closeable;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A body of two chunks whose second is produced only after the client has signalled (through a
 * latch) that it received the first: the proof that a server streams a chunk instead of holding it
 * back for the next one. A server that held the first chunk back would never reach the second, so
 * the wait is bounded and then fails the body.
 */
public final class GatedChunks {

    private GatedChunks() {
    }

    /**
     * @param first the first chunk
     * @param second the chunk produced once {@code clientGotFirst} opens
     * @param clientGotFirst counted down by the test once its client has read {@code first}
     * @param wait how long the second chunk waits before the body fails
     * @param onClose called when the server closes the body, or {@code null}
     * @return the body
     */
    public static Body of(byte[] first, byte[] second, CountDownLatch clientGotFirst, Duration wait, Closeable onClose) {
        return Body.from(() -> new Iterator<byte[]>() {
            private int i;

            @Override
            public boolean hasNext() {
                return i < 2;
            }

            @Override
            public byte[] next() {
                if (i >= 2) {
                    throw new NoSuchElementException();
                }
                if (i++ == 0) {
                    return first;
                }
                try {
                    if (!clientGotFirst.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                        throw new IllegalStateException("the first chunk never reached the client");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                return second;
            }
        }, onClose);
    }
}

package dev.jgi.gateway;

import dev.jgi.Body;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.IntConsumer;

/**
 * A response body for gateway tests that records how the server used it: how many chunks it
 * asked for, how often it closed it, and whether it asked for more after closing.
 */
final class TrackedBody implements Body {
    private final List<byte[]> chunks = new ArrayList<>();
    private final int chunkCount;
    private RuntimeException failAt;
    private int failIndex = -1;
    private IOException closeFailure;
    private IntConsumer beforeChunk = i -> { };

    int nexts;
    int iterators;
    int closes;
    boolean usedAfterClose;

    private TrackedBody(boolean knownCount, String... chunks) {
        for (String c : chunks) {
            this.chunks.add(c == null ? null : c.getBytes(StandardCharsets.UTF_8));
        }
        this.chunkCount = knownCount ? chunks.length : -1;
    }

    /** A body whose chunk count is known, like {@code Body.of}. */
    static TrackedBody counted(String... chunks) {
        return new TrackedBody(true, chunks);
    }

    /** A body whose chunk count is unknown, like a generator. */
    static TrackedBody lazy(String... chunks) {
        return new TrackedBody(false, chunks);
    }

    /** Throws {@code e} instead of yielding chunk {@code index}. */
    TrackedBody failAt(int index, RuntimeException e) {
        this.failIndex = index;
        this.failAt = e;
        return this;
    }

    /** Makes close() throw after counting the call. */
    TrackedBody failOnClose(IOException e) {
        this.closeFailure = e;
        return this;
    }

    /** Runs before chunk {@code i} is yielded, for example to call start_response lazily. */
    TrackedBody beforeChunk(IntConsumer action) {
        this.beforeChunk = action;
        return this;
    }

    @Override
    public Iterator<byte[]> iterator() {
        iterators++;
        return new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                if (closes > 0) {
                    usedAfterClose = true;
                }
                return i < chunks.size() || i == failIndex;
            }

            @Override
            public byte[] next() {
                if (closes > 0) {
                    usedAfterClose = true;
                }
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                nexts++;
                beforeChunk.accept(i);
                if (i == failIndex) {
                    i++;
                    throw failAt;
                }
                return chunks.get(i++);
            }
        };
    }

    @Override
    public int chunkCount() {
        return chunkCount;
    }

    @Override
    public void close() throws IOException {
        closes++;
        if (closeFailure != null) {
            throw closeFailure;
        }
    }
}

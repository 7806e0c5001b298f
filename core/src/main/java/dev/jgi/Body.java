package dev.jgi;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * A response body: the byte chunks an application returns, in order, and a {@link #close()} the
 * server calls exactly once when the request ends, normally or not.
 *
 * <p>The server iterates the body once, sends each non-empty chunk before asking for the next one,
 * and may stop early (client gone, Content-Length reached, HEAD). Chunks must not be {@code null}
 * and must not be modified after they are yielded. An application may call {@code start_response}
 * lazily, inside the first call to the iterator's {@code next()}.
 *
 * <p>Iteration cannot throw checked exceptions; a body that reads from I/O wraps them in
 * {@link java.io.UncheckedIOException}, which the server treats like any application error.
 */
public interface Body extends Iterable<byte[]>, Closeable {

    /**
     * Releases what the body holds. The server calls it exactly once, after the last chunk it
     * wanted, also after an error or a client disconnect. The default does nothing.
     *
     * @throws IOException if releasing failed; the server logs it on {@code jgi.errors}
     */
    @Override
    default void close() throws IOException {
    }

    /**
     * Returns how many chunks the body will yield, or {@code -1} if unknown. Like PEP 3333's
     * {@code __len__}, it must be accurate when it is not {@code -1}: a server computes
     * Content-Length from a body of exactly one chunk, and must not peek ahead otherwise.
     *
     * @return the chunk count, or {@code -1}
     */
    default int chunkCount() {
        return -1;
    }

    /**
     * Returns a body of fixed chunks, whose {@link #chunkCount()} is known.
     *
     * @param chunks the chunks, not {@code null}
     * @return the body
     */
    static Body of(byte[]... chunks) {
        for (byte[] c : chunks) {
            Objects.requireNonNull(c, "chunk");
        }
        List<byte[]> list = chunks.length == 1 ? Collections.singletonList(chunks[0]) : Arrays.asList(chunks);
        return new Body() {
            @Override
            public Iterator<byte[]> iterator() {
                return list.iterator();
            }

            @Override
            public int chunkCount() {
                return list.size();
            }
        };
    }

    /**
     * Returns a one-chunk body holding the UTF-8 encoding of {@code text}.
     *
     * @param text the text
     * @return the body
     */
    static Body ofUtf8(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Returns a body with no chunks.
     *
     * @return the empty body
     */
    static Body empty() {
        return of();
    }

    /**
     * Returns a body over any iterable, calling {@code onClose} when the server closes it.
     *
     * @param chunks the chunks, produced lazily if the iterable is lazy
     * @param onClose what to release on close, or {@code null}
     * @return the body, whose chunk count is unknown
     */
    static Body from(Iterable<byte[]> chunks, Closeable onClose) {
        Objects.requireNonNull(chunks, "chunks");
        return new Body() {
            @Override
            public Iterator<byte[]> iterator() {
                return chunks.iterator();
            }

            @Override
            public void close() throws IOException {
                if (onClose != null) {
                    onClose.close();
                }
            }
        };
    }
}

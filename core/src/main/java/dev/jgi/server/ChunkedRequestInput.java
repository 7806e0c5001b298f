package dev.jgi.server;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The JDK's decoder of a chunked request body, made to end at a trailer section instead of failing.
 *
 * <p>{@code sun.net.httpserver.ChunkedInputStream} expects CRLF right after the last chunk
 * ({@code 0 CRLF}); a trailer field there makes it throw {@code IOException("invalid chunk end")}.
 * It has already marked itself at end-of-stream when it reads the last chunk, so a second read
 * returns -1 at once; after a failure anywhere else it is not at end-of-stream. That tells the two
 * apart: after a failure this stream reads once more, and if that read returns -1 the body was
 * complete and only the trailer section followed, which is then taken as the end of the body
 * (its fields are discarded, as RFC 9112 7.1.2 allows). Otherwise the original failure stands.
 *
 * <p>The rest of the trailer section stays unread on the connection, where the JDK would take it for
 * the next request. So the connection must be closed after the response: {@link #reusable()} says
 * whether it can be kept, which is only when the body was read to its end without a trailer
 * section. A body not read to its end when the response is committed might still hold one, so it
 * is not reusable either.
 */
final class ChunkedRequestInput extends FilterInputStream {

    private static final byte[] PROBE = new byte[0];

    private volatile boolean ended;
    private volatile boolean trailers;

    /**
     * @param jdk the stream of {@code HttpExchange.getRequestBody()} of a chunked request
     */
    ChunkedRequestInput(InputStream jdk) {
        super(jdk);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (ended) {
            return -1;
        }
        try {
            int n = in.read(b, off, len);
            if (n == -1) {
                ended = true;
            }
            return n;
        } catch (IOException e) {
            if (atEndAfterLastChunk()) {
                trailers = true;
                ended = true;
                return -1;
            }
            throw e;
        }
    }

    /** Whether the JDK decoder had read the last chunk when it failed: it then reports -1 at once. */
    private boolean atEndAfterLastChunk() {
        try {
            return in.read(PROBE, 0, 0) == -1;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public long skip(long n) throws IOException {
        // through read(), so that a trailer section ends a skip as it ends a read
        long left = n;
        byte[] buf = new byte[(int) Math.min(8192, Math.max(1, n))];
        while (left > 0) {
            int r = read(buf, 0, (int) Math.min(buf.length, left));
            if (r == -1) {
                break;
            }
            left -= r;
        }
        return n - left;
    }

    @Override
    public int available() throws IOException {
        return ended ? 0 : in.available();
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** @return whether a trailer section ended the body */
    boolean sawTrailers() {
        return trailers;
    }

    /**
     * @return whether the connection can carry another request after this one: the body was read to
     *     its end, and no trailer section was left on it
     */
    boolean reusable() {
        return ended && !trailers;
    }
}

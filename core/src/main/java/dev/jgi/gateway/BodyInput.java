package dev.jgi.gateway;

import dev.jgi.ClientDisconnectedException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The {@code jgi.input} stream every server hands out: it wraps the server's own request-body
 * stream and enforces the input rules of SPEC.md in one place.
 *
 * <ul>
 *   <li>It ends at CONTENT_LENGTH when one was sent, and at the end of the chunked body otherwise.</li>
 *   <li>Once it has reported end-of-stream it keeps doing so without touching the connection, so
 *       reading past the end never blocks.</li>
 *   <li>{@link #close()} does nothing: the application must not close it, and the server owns the
 *       connection.</li>
 *   <li>An optional hook runs before the first read that needs the body, which is how a server
 *       that can defer {@code 100 Continue} sends it only when the application reads.</li>
 *   <li>An optional limit turns an over-long body into {@link RequestBodyTooLargeException}.</li>
 *   <li>A failure of the underlying stream is reported as {@link ClientDisconnectedException}.</li>
 * </ul>
 */
public final class BodyInput extends InputStream {

    /** A stream for requests without a body; stateless, so one instance serves every request. */
    public static final InputStream EMPTY = new InputStream() {
        @Override
        public int read() {
            return -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return len == 0 ? 0 : -1;
        }

        @Override
        public int available() {
            return 0;
        }

        @Override
        public void close() {
        }
    };

    private final InputStream in;
    private long remaining;
    private final long limit;
    private long consumed;
    private Runnable beforeFirstRead;
    private boolean eof;

    /**
     * Wraps a server's request-body stream.
     *
     * @param in the server's stream
     * @param contentLength the declared length, or {@code -1} if the body is chunked (the server's
     *     stream then ends at the end of the body)
     * @param limit the most bytes the application may read, or {@code -1} for no limit
     * @param beforeFirstRead run once before the first read that touches the connection, or {@code null}
     */
    public BodyInput(InputStream in, long contentLength, long limit, Runnable beforeFirstRead) {
        this.in = in;
        this.remaining = contentLength;
        this.limit = limit;
        this.beforeFirstRead = beforeFirstRead;
        this.eof = contentLength == 0;
    }

    /**
     * Returns the stream to put in the environ: {@link #EMPTY} when the request declares no body,
     * otherwise a new {@code BodyInput}.
     *
     * @param in the server's stream
     * @param contentLength the declared length, {@code -1} if chunked
     * @param chunked whether the request body is chunked (then {@code contentLength} is ignored)
     * @param limit the body limit, or {@code -1}
     * @param beforeFirstRead the 100-continue hook, or {@code null}
     * @return the stream
     */
    public static InputStream of(InputStream in, long contentLength, boolean chunked, long limit, Runnable beforeFirstRead) {
        if (!chunked && contentLength <= 0) {
            return EMPTY;
        }
        return new BodyInput(in, chunked ? -1 : contentLength, limit, beforeFirstRead);
    }

    private void start() {
        Runnable r = beforeFirstRead;
        if (r != null) {
            beforeFirstRead = null;
            r.run();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (eof) {
            return -1;
        }
        start();
        int want = remaining >= 0 ? (int) Math.min(len, remaining) : len;
        int n;
        try {
            n = in.read(b, off, want);
        } catch (IOException e) {
            throw new ClientDisconnectedException("reading the request body failed: " + e, e);
        }
        if (n < 0) {
            eof = true;
            if (remaining > 0) {
                throw new ClientDisconnectedException("request body ended after " + consumed + " bytes, "
                        + remaining + " short of Content-Length", null);
            }
            return -1;
        }
        consumed += n;
        if (limit >= 0 && consumed > limit) {
            eof = true;
            throw new RequestBodyTooLargeException(limit);
        }
        if (remaining >= 0) {
            remaining -= n;
            if (remaining == 0) {
                eof = true;
            }
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(Math.max(n, 0), 8192)];
        long total = 0;
        while (total < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - total));
            if (r < 0) {
                break;
            }
            total += r;
        }
        return total;
    }

    @Override
    public int available() throws IOException {
        if (eof || beforeFirstRead != null) {
            return 0;
        }
        int a = in.available();
        return remaining >= 0 ? (int) Math.min(a, remaining) : a;
    }

    /** Does nothing: the server owns the request stream. */
    @Override
    public void close() {
    }

    /** @return how many body bytes the application has read */
    public long consumed() {
        return consumed;
    }

    /** @return whether the whole body has been read */
    public boolean isFinished() {
        return eof;
    }
}

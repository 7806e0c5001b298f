package dev.jgi.validate;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * The {@code jgi.input} the application sees: the server's stream, checked for the
 * {@link InputStream} contract and for CONTENT_LENGTH, and closed only over a rule violation.
 *
 * <p>Only the primitive reads are overridden, so that {@code readAllBytes}, {@code transferTo} and
 * the other defaults all pass through them and are checked too. Mark and reset are not offered,
 * because re-read bytes would make the byte count meaningless.
 */
final class CheckedInput extends InputStream {

    private final InputStream in;
    private final Exchange exchange;
    private final long contentLength;
    private long total;
    private boolean eof;
    /** The server's stream threw once; after that (413, client gone) its end-of-stream proves nothing. */
    private boolean failed;

    CheckedInput(InputStream in, Exchange exchange, long contentLength) {
        this.in = in;
        this.exchange = exchange;
        this.contentLength = contentLength;
    }

    @Override
    public int read() throws IOException {
        int b;
        try {
            b = in.read();
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        }
        if (b < -1 || b > 255) {
            throw violation("read() returned " + b + "; it must return -1 or a byte 0 to 255");
        }
        if (b < 0) {
            reachedEnd();
        } else {
            delivered(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        // the application's mistakes get the standard InputStream exceptions, whatever the server's stream does
        Objects.checkFromIndexSize(off, len, b.length);
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        }
        if (n < -1 || n > len) {
            throw violation("read(b, off, " + len + ") returned " + n + "; it must return -1 or 0 to " + len);
        }
        if (n == 0 && len > 0) {
            throw violation("read(b, off, " + len + ") returned 0; it must block until a byte is available, or return -1 at the end");
        }
        // a zero-length read may return -1 at the end: the JDK's own ByteArrayInputStream does
        if (n < 0) {
            reachedEnd();
        } else if (n > 0) {
            delivered(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long r;
        try {
            r = in.skip(n);
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        }
        if (r < 0 || r > Math.max(n, 0)) {
            throw violation("skip(" + n + ") returned " + r);
        }
        if (r > 0) {
            delivered(r);
        }
        return r;
    }

    @Override
    public int available() throws IOException {
        int a = in.available();
        if (a < 0) {
            throw violation("available() returned " + a);
        }
        return a;
    }

    @Override
    public void close() {
        throw Rules.application(Rules.INPUT_CLOSE, "the application closed jgi.input; the server owns the request stream");
    }

    private void delivered(long n) {
        if (eof) {
            throw violation("jgi.input returned " + n + " more bytes after it had reported end-of-stream");
        }
        total += n;
        if (contentLength >= 0 && total > contentLength) {
            throw violation("jgi.input delivered " + total + " bytes, more than CONTENT_LENGTH " + contentLength);
        }
    }

    private void reachedEnd() {
        if (!eof && !failed && contentLength >= 0 && total < contentLength) {
            eof = true;
            throw violation("jgi.input reported end-of-stream after " + total + " of CONTENT_LENGTH " + contentLength
                    + " bytes; a body cut short must raise ClientDisconnectedException, not end quietly");
        }
        eof = true;
    }

    private ValidationError violation(String message) {
        return exchange.serverViolation(Rules.INPUT_READ, message, null);
    }
}

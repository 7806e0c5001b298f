package dev.jgi.gateway;

import dev.jgi.Header;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;

/**
 * What an adapter implements so that {@link Gateway} can drive a response on its server: the
 * few primitive operations every server has. The gateway decides when to commit, what the
 * Content-Length is, when to stop and when to abort; the adapter only carries it out.
 *
 * <p>The gateway calls, in order: {@link #sendHeaders} at most once, then {@link #write} or
 * {@link #transfer} any number of times and at most one {@link #writeLast} (never when the response
 * is bodyless), then exactly one of
 * {@link #finish} or {@link #abort}.
 */
public interface ResponseChannel {

    /**
     * Sends the status line and headers.
     *
     * @param status the status code
     * @param reason the application's reason phrase; a server that cannot send it uses its own
     * @param headers the headers to send, validated, without Content-Length and in order; repeated
     *     names must be sent as repeated fields
     * @param contentLength the body length to declare, or {@code -1} if unknown (the server then
     *     uses chunked encoding on HTTP/1.1, or closes the connection at the end on HTTP/1.0); for a
     *     HEAD response, the length the GET response would have, if known
     * @param bodyless whether no body bytes follow (HEAD, 204, 304): the server must not frame a body
     * @throws IOException if the connection failed
     */
    void sendHeaders(int status, String reason, List<Header> headers, long contentLength, boolean bodyless) throws IOException;

    /**
     * Sends body bytes and returns once they are handed to the operating system; the server must
     * not hold them back waiting for more (SPEC.md "Buffering and streaming"). The array is not
     * retained after the call.
     *
     * @param chunk the bytes
     * @param offset the first byte
     * @param length how many bytes
     * @throws IOException if the connection failed
     */
    void write(byte[] chunk, int offset, int length) throws IOException;

    /**
     * Sends the bytes that complete the body: the gateway calls it instead of {@link #write} when
     * the chunk reaches the Content-Length it declared, and {@link #finish()} follows. A server
     * that can send the last bytes together with the end of the response (one write, no separate
     * flush) overrides it; the default is {@link #write}.
     *
     * @param chunk the bytes
     * @param offset the first byte
     * @param length how many bytes
     * @throws IOException if the connection failed
     */
    default void writeLast(byte[] chunk, int offset, int length) throws IOException {
        write(chunk, offset, length);
    }

    /**
     * Sends the first {@code count} bytes of a file body's region. The default sends the region's
     * channel with {@link #transfer(FileChannel, long, long)}; a server whose zero-copy path takes a
     * file name (Tomcat's sendfile) overrides this one to use {@link FileRegion#path()}.
     *
     * @param region the file body
     * @param count how many bytes from {@code region.position()}, at most {@code region.count()}
     * @throws IOException if reading the file or the connection failed
     */
    default void transfer(FileRegion region, long count) throws IOException {
        transfer(region.channel(), region.position(), count);
    }

    /**
     * Sends a region of a file. The default reads it through a buffer into {@link #write}; a server
     * with a zero-copy path overrides it.
     *
     * @param file the channel
     * @param position the first byte
     * @param count how many bytes
     * @throws IOException if reading the file or the connection failed
     */
    default void transfer(FileChannel file, long position, long count) throws IOException {
        copy(file, position, count, ByteBuffer.allocate((int) Math.min(count, 64 * 1024)));
    }

    /**
     * Reads a region of a file through {@code buf} into {@link #write}: the copy a server without a
     * zero-copy path makes, for a server that reuses its buffers ({@link BufferPool}).
     *
     * @param file the channel
     * @param position the first byte
     * @param count how many bytes
     * @param buf a heap buffer ({@code hasArray()}), used from its start to its capacity
     * @throws IOException if reading the file or the connection failed
     */
    default void copy(FileChannel file, long position, long count, ByteBuffer buf) throws IOException {
        long pos = position;
        long end = position + count;
        while (pos < end) {
            buf.clear();
            buf.limit((int) Math.min(buf.capacity(), end - pos));
            int n = file.read(buf, pos);
            if (n < 0) {
                throw new IOException("file ended " + (end - pos) + " bytes early");
            }
            write(buf.array(), 0, n);
            pos += n;
        }
    }

    /**
     * Ends the response normally.
     *
     * @throws IOException if the connection failed
     */
    void finish() throws IOException;

    /**
     * Ends the response abnormally after it was committed: the connection (or HTTP/2 stream) is
     * closed without completing the body framing, so the client can tell the body is incomplete.
     * Must not throw.
     *
     * @param cause why, for the server's log
     */
    void abort(Throwable cause);
}

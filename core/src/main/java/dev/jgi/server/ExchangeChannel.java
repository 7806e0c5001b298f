package dev.jgi.server;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import dev.jgi.Header;
import dev.jgi.gateway.BufferPool;
import dev.jgi.gateway.ResponseChannel;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The {@link ResponseChannel} of one exchange on the JDK's HttpServer.
 *
 * <p>The JDK's {@code sendResponseHeaders(code, length)} encodes the framing in its second
 * argument: {@code 0} means chunked (or close-delimited on HTTP/1.0), {@code -1} means no body, so a
 * zero-length body is {@code -1}; for HEAD and 304 the server sends no Content-Length of its own, so
 * this channel sets the header itself and passes {@code -1}.
 *
 * <p>Aborting cannot be done through the public API without sending a valid end of body, so
 * {@link #abort} only records the decision; the handler then throws out of
 * {@code HttpHandler.handle}, which makes the JDK close the connection with the body unfinished.
 */
final class ExchangeChannel implements ResponseChannel {

    private final HttpExchange exchange;
    private final BooleanSupplier closeConnection;
    private final BufferPool buffers;
    private OutputStream out;
    private boolean finished;
    private volatile boolean aborted;

    /**
     * @param exchange the exchange
     * @param closeConnection asked when the headers go out: whether to send {@code Connection: close}
     *     (the server is stopping)
     * @param buffers the server's file-copy buffers
     */
    ExchangeChannel(HttpExchange exchange, BooleanSupplier closeConnection, BufferPool buffers) {
        this.exchange = exchange;
        this.closeConnection = closeConnection;
        this.buffers = buffers;
    }

    /**
     * The JDK server takes only byte arrays, so a file goes through the heap; the buffer is the
     * server's, borrowed for this transfer, so a file response allocates nothing that grows with it.
     */
    @Override
    public void transfer(FileChannel file, long position, long count) throws IOException {
        ByteBuffer buf = buffers.take();
        try {
            copy(file, position, count, buf);
        } finally {
            buffers.give(buf);
        }
    }

    @Override
    public void sendHeaders(int status, String reason, List<Header> headers, long contentLength, boolean bodyless)
            throws IOException {
        Headers h = exchange.getResponseHeaders();
        for (int i = 0, n = headers.size(); i < n; i++) {
            Header header = headers.get(i);
            h.add(header.name(), header.value());
        }
        if (closeConnection.getAsBoolean()) {
            h.set("Connection", "close");
        }
        long length;
        if (bodyless) {
            // the JDK adds no Content-Length for HEAD and 304 and must be passed -1 for them
            if (contentLength >= 0 && status != 204) {
                h.set("Content-Length", Long.toString(contentLength));
            }
            length = -1;
        } else if (contentLength == 0) {
            length = -1; // 0 would mean chunked
        } else if (contentLength < 0) {
            length = 0; // chunked on HTTP/1.1, close-delimited on HTTP/1.0
        } else {
            length = contentLength;
        }
        try {
            exchange.sendResponseHeaders(status, length);
        } catch (IllegalArgumentException e) {
            // the JDK's own header checks; ResponseRules already enforce stricter ones
            throw new IOException("the JDK server refused the response headers: " + e.getMessage(), e);
        }
        out = exchange.getResponseBody();
    }

    @Override
    public void write(byte[] chunk, int offset, int length) throws IOException {
        if (out == null) {
            throw new IOException("write before sendHeaders");
        }
        out.write(chunk, offset, length);
        // the JDK's chunked stream holds up to 4 KiB and its socket stream is buffered: push it out now
        out.flush();
    }

    /** The body is complete: {@link #finish()} flushes it with the end of the exchange, one flush less. */
    @Override
    public void writeLast(byte[] chunk, int offset, int length) throws IOException {
        if (out == null) {
            throw new IOException("write before sendHeaders");
        }
        out.write(chunk, offset, length);
    }

    @Override
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        try {
            if (out != null) {
                out.close(); // writes the last chunk, or checks that a fixed length was met
            }
        } finally {
            exchange.close();
        }
    }

    @Override
    public void abort(Throwable cause) {
        aborted = true;
    }

    /** @return whether the gateway asked for the connection to be aborted */
    boolean aborted() {
        return aborted;
    }
}

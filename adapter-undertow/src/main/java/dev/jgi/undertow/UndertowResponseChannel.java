package dev.jgi.undertow;

import dev.jgi.Header;
import dev.jgi.gateway.ResponseChannel;
import io.undertow.server.Connectors;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;

/**
 * Carries out core's response decisions on an Undertow exchange: status and reason phrase, headers
 * as repeated fields, Content-Length through {@code setResponseContentLength}, and the body through
 * the raw response channel ({@code StreamSinkChannel}), each chunk written from the application's
 * own array and flushed before returning. File regions go through
 * {@code StreamSinkChannel.transferFrom}, which on plain TCP ends in {@code FileChannel.transferTo}.
 */
final class UndertowResponseChannel implements ResponseChannel {

    private final HttpServerExchange exchange;
    private final ChannelWaiter waiter;
    private final ExchangeState state;
    private StreamSinkChannel out;
    private boolean aborted;

    UndertowResponseChannel(HttpServerExchange exchange, ChannelWaiter waiter, ExchangeState state) {
        this.exchange = exchange;
        this.waiter = waiter;
        this.state = state;
    }

    @Override
    public void sendHeaders(int status, String reason, List<Header> headers, long contentLength, boolean bodyless)
            throws IOException {
        exchange.setStatusCode(status);
        if (reason != null) {
            exchange.setReasonPhrase(reason); // HTTP/1.x sends it; HTTP/2 has no phrase
        }
        HeaderMap map = exchange.getResponseHeaders();
        for (Header h : headers) {
            map.add(HttpString.tryFromString(h.name()), h.value());
        }
        if (contentLength >= 0) {
            exchange.setResponseContentLength(contentLength);
        } else if (!bodyless && exchange.isHttp11()) {
            // Undertow would send a body of unknown length on a closing HTTP/1.1 connection
            // (request "Connection: close") delimited by the close, and then abort() could not be
            // told from the end; chunked framing makes a cut-off body visible in every case.
            map.put(Headers.TRANSFER_ENCODING, Headers.CHUNKED.toString());
        }
        if (state.bodyOverLimit) {
            exchange.setPersistent(false); // "Connection: close": the rest of the body will not be read
        }
        if (state.expectContinue && !state.continueSent) {
            // The client is holding its body back for a 100 that will not come now. Like Undertow's
            // HttpContinueReadHandler: close after this response instead of waiting to drain a body
            // that may never be sent.
            exchange.setPersistent(false);
            Connectors.terminateRequest(exchange);
        }
        out = exchange.getResponseChannel();
        if (out == null) {
            throw new IOException("the Undertow response channel was already taken by another handler");
        }
        if (status == 304 && contentLength >= 0) {
            // Undertow drops Content-Length from a 304 while it picks the (bodyless) conduit, just
            // now; the header block is written later, so put back the length the application gave
            // (RFC 9110 8.6 allows it: the length the 200 would have had).
            map.put(Headers.CONTENT_LENGTH, contentLength);
        }
    }

    @Override
    public void write(byte[] chunk, int offset, int length) throws IOException {
        StreamSinkChannel ch = channel();
        writeAll(ch, ByteBuffer.wrap(chunk, offset, length));
        flush(ch);
    }

    /** The body is complete: no flush of its own, {@link #finish()} shuts down and flushes once. */
    @Override
    public void writeLast(byte[] chunk, int offset, int length) throws IOException {
        writeAll(channel(), ByteBuffer.wrap(chunk, offset, length));
    }

    /** Writes the whole buffer, waiting while the socket is full. */
    private void writeAll(StreamSinkChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            if (ch.write(buf) == 0) {
                waiter.awaitWritable(ch);
            }
        }
    }

    @Override
    public void transfer(FileChannel file, long position, long count) throws IOException {
        StreamSinkChannel ch = channel();
        // Undertow's HTTP/1.1 response conduit copies file bytes through a buffer while the status
        // line and headers are still pending; once they are out it passes transferFrom down to the
        // socket, where it becomes FileChannel.transferTo (sendfile).
        flush(ch);
        long pos = position;
        long end = position + count;
        while (pos < end) {
            long n = ch.transferFrom(file, pos, end - pos);
            if (n > 0) {
                pos += n;
            } else if (pos >= file.size()) {
                throw new IOException("file ended " + (end - pos) + " bytes before the end of its region");
            } else {
                waiter.awaitWritable(ch);
            }
        }
        flush(ch);
    }

    @Override
    public void finish() throws IOException {
        StreamSinkChannel ch = channel();
        ch.shutdownWrites();
        flush(ch);
    }

    @Override
    public void abort(Throwable cause) {
        if (!aborted) {
            aborted = true;
            // Closing the connection, not the channel: shutting the channel down would write the
            // last chunk (or fail a short Content-Length quietly); the client must see a cut body.
            IoUtils.safeClose(exchange.getConnection());
        }
    }

    /** @return whether {@link #abort} closed the connection */
    boolean isAborted() {
        return aborted;
    }

    private StreamSinkChannel channel() throws IOException {
        if (out == null) {
            out = exchange.getResponseChannel();
            if (out == null) {
                throw new IOException("the Undertow response channel was already taken by another handler");
            }
        }
        return out;
    }

    private void flush(StreamSinkChannel ch) throws IOException {
        while (!ch.flush()) {
            waiter.awaitWritable(ch);
        }
    }
}

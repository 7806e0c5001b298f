package dev.jgi.undertow;

import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpContinue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.xnio.channels.StreamSourceChannel;

/**
 * The server stream under {@code jgi.input}: reads Undertow's request channel straight into the
 * caller's array (no intermediate pooled buffer as in {@code UndertowInputStream}), waiting with
 * {@link ChannelWaiter}. Core's {@code BodyInput} wraps it and enforces the input rules.
 *
 * <p>It sends {@code 100 Continue} itself, just before the first read, when the client asked for
 * it and the response has not started, so that an application that answers without reading never
 * makes the client send its body.
 *
 * <p>The body limit itself is core's ({@code BodyInput}); this stream only notes when the body
 * went past it, so that the 413 closes the connection and {@link #discard} bounds what is read of
 * the rest.
 */
final class RequestBodyStream extends InputStream {

    private final HttpServerExchange exchange;
    private final ChannelWaiter waiter;
    private final long limit;
    private final ExchangeState state;
    private StreamSourceChannel channel;
    private long total;
    private boolean eof;

    /**
     * @param limit the body limit, or {@code -1} for none
     */
    RequestBodyStream(HttpServerExchange exchange, ChannelWaiter waiter, long limit, ExchangeState state) {
        this.exchange = exchange;
        this.waiter = waiter;
        this.limit = limit;
        this.state = state;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (eof) {
            return -1;
        }
        if (channel == null) {
            open();
            if (channel == null) {
                eof = true;
                return -1;
            }
        }
        ByteBuffer buf = ByteBuffer.wrap(b, off, len);
        while (true) {
            int n = channel.read(buf);
            if (n > 0) {
                total += n;
                if (limit >= 0 && total > limit) {
                    state.bodyOverLimit = true; // BodyInput throws RequestBodyTooLargeException on this read
                }
                return n;
            }
            if (n < 0) {
                eof = true;
                return -1;
            }
            waiter.awaitReadable(channel);
        }
    }

    private void open() throws IOException {
        if (state.expectContinue && !exchange.isResponseStarted() && exchange.isResponseChannelAvailable()) {
            sendContinue();
        }
        channel = exchange.getRequestChannel();
    }

    /** Sends the interim response with Undertow's own out-of-band sender, waiting for it to leave. */
    private void sendContinue() throws IOException {
        IOException[] failure = new IOException[1];
        waiter.expectCompletion();
        HttpContinue.sendContinueResponse(exchange, new IoCallback() {
            @Override
            public void onComplete(HttpServerExchange ex, Sender sender) {
                waiter.complete();
            }

            @Override
            public void onException(HttpServerExchange ex, Sender sender, IOException e) {
                synchronized (failure) {
                    failure[0] = e;
                }
                waiter.complete();
            }
        });
        waiter.awaitCompletion("sending 100 Continue");
        synchronized (failure) {
            if (failure[0] != null) {
                throw failure[0];
            }
        }
        state.continueSent = true;
    }

    /**
     * Reads and drops up to {@code max} more bytes of the body, waiting at most {@code waitNanos} each
     * time the client pauses: after a 413 the client is often still sending, and closing the
     * connection on unread bytes makes TCP reset it, which can destroy the 413 before the client has
     * read it. Stops early at the end of the body or on any error.
     */
    void discard(long max, long waitNanos) {
        try {
            if (channel == null) {
                channel = exchange.getRequestChannel();
                if (channel == null) {
                    return;
                }
            }
            ByteBuffer buf = ByteBuffer.allocate(8192);
            long dropped = 0;
            while (dropped < max) {
                buf.clear();
                int n = channel.read(buf);
                if (n < 0) {
                    return;
                }
                if (n == 0) {
                    waiter.awaitReadable(channel, waitNanos);
                }
                dropped += n;
            }
        } catch (IOException | RuntimeException e) {
            // best effort: the connection is closed next anyway
        }
    }

    /** Returns 0: whether bytes could be read without waiting is not worth touching the connection for. */
    @Override
    public int available() {
        return 0;
    }

    /** Does nothing: Undertow drains or discards what the application left unread when the exchange ends. */
    @Override
    public void close() {
    }
}

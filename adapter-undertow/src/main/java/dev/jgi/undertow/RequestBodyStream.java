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
 * <p>It never hands Undertow's entity-size check a reason to fire first: the handler sets the
 * exchange's maximum entity size to the body limit plus one, and each read here asks for at most
 * what keeps the total at that maximum. So core sees the byte beyond the limit and answers 413,
 * instead of Undertow cutting the connection; and Undertow's drain of an unread over-limit body
 * after the response stops one byte past the limit and closes the connection.
 */
final class RequestBodyStream extends InputStream {

    private final HttpServerExchange exchange;
    private final ChannelWaiter waiter;
    private final long maxTotal;
    private final ExchangeState state;
    private StreamSourceChannel channel;
    private long total;
    private boolean eof;

    /**
     * @param maxTotal the exchange's maximum entity size ({@code limit + 1}), or {@code -1} for none
     */
    RequestBodyStream(HttpServerExchange exchange, ChannelWaiter waiter, long maxTotal, ExchangeState state) {
        this.exchange = exchange;
        this.waiter = waiter;
        this.maxTotal = maxTotal;
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
        int want = maxTotal < 0 ? len : (int) Math.max(1, Math.min(len, maxTotal - total));
        ByteBuffer buf = ByteBuffer.wrap(b, off, want);
        while (true) {
            int n = channel.read(buf);
            if (n > 0) {
                total += n;
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

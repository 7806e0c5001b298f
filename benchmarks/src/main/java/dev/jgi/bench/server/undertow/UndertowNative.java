package dev.jgi.bench.server.undertow;

import dev.jgi.bench.app.Payloads;
import io.undertow.io.BufferWritableOutputStream;
import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import io.undertow.util.Transfer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.channels.StreamSourceChannel;

/**
 * The native Undertow 2.4 handlers, in two forms:
 * <ul>
 *   <li>{@link Blocking}: Undertow's {@link BlockingHandler} (dispatch to a worker thread and blocking
 *       streams), the fair baseline for a blocking gateway. Pre-encoded arrays through the blocking
 *       {@code OutputStream}; the chunk and the file through its buffer-writing side
 *       ({@link BufferWritableOutputStream}: a direct buffer written as is, and
 *       {@code transferFrom}, which is sendfile).</li>
 *   <li>{@link NonBlocking}: answers on the IO thread, as the TechEmpower Undertow entry does: a
 *       duplicated pre-encoded direct buffer through the async {@link Sender}, Undertow's low-copy
 *       channel {@link Transfer} for the echo, a send chain for the stream, {@code Sender.transferFrom}
 *       (sendfile) for the file. The ceiling.</li>
 * </ul>
 */
public abstract class UndertowNative extends UndertowBase {

    private static final ByteBuffer HELLO = Payloads.direct(Payloads.HELLO);
    private static final ByteBuffer CHUNK = Payloads.directChunk();
    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[Payloads.CHUNK_SIZE]);

    UndertowNative() {
    }

    /** Dispatch to a worker and blocking streams. */
    public static final class Blocking extends UndertowNative {
        /** Creates the variant. */
        public Blocking() {
        }

        @Override
        protected HttpHandler handler() {
            return new BlockingHandler(Blocking::handle);
        }

        private static void handle(HttpServerExchange ex) throws IOException {
            switch (ex.getRequestPath()) {
                case Payloads.HELLO_PATH:
                    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, Payloads.TEXT_PLAIN);
                    ex.setResponseContentLength(Payloads.HELLO.length);
                    ex.getOutputStream().write(Payloads.HELLO);
                    return;
                case Payloads.JSON_PATH: {
                    byte[] b = Payloads.json(Payloads.MESSAGE);
                    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, Payloads.APPLICATION_JSON);
                    ex.setResponseContentLength(b.length);
                    ex.getOutputStream().write(b);
                    return;
                }
                case Payloads.ECHO_PATH: {
                    long left = ex.getRequestContentLength();
                    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, Payloads.OCTET_STREAM);
                    ex.setResponseContentLength(left);
                    byte[] buf = BUFFER.get();
                    InputStream in = ex.getInputStream();
                    OutputStream out = ex.getOutputStream();
                    while (left > 0) {
                        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                        if (n < 0) {
                            throw new java.io.EOFException("request body ended early");
                        }
                        out.write(buf, 0, n);
                        left -= n;
                    }
                    return;
                }
                case Payloads.STREAM_PATH: {
                    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, Payloads.OCTET_STREAM);
                    ex.setResponseContentLength(Payloads.STREAM_SIZE);
                    BufferWritableOutputStream out = (BufferWritableOutputStream) ex.getOutputStream();
                    for (int i = 0; i < Payloads.STREAM_CHUNKS; i++) {
                        out.write(CHUNK.duplicate());
                    }
                    return;
                }
                case Payloads.FILE_PATH: {
                    try (FileChannel ch = FileChannel.open(Payloads.file(), StandardOpenOption.READ)) {
                        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, Payloads.OCTET_STREAM);
                        ex.setResponseContentLength(ch.size());
                        ((BufferWritableOutputStream) ex.getOutputStream()).transferFrom(ch);
                    }
                    return;
                }
                default:
                    ex.setStatusCode(StatusCodes.NOT_FOUND);
            }
        }
    }

    /** Answers on the IO thread. */
    public static final class NonBlocking extends UndertowNative {
        /** Creates the variant. */
        public NonBlocking() {
        }

        @Override
        protected HttpHandler handler() {
            return NonBlocking::handle;
        }

        private static void handle(HttpServerExchange ex) throws IOException {
            switch (ex.getRequestPath()) {
                case Payloads.HELLO_PATH:
                    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, Payloads.TEXT_PLAIN);
                    ex.setResponseContentLength(Payloads.HELLO.length);
                    ex.getResponseSender().send(HELLO.duplicate());
                    return;
                case Payloads.JSON_PATH: {
                    byte[] b = Payloads.json(Payloads.MESSAGE);
                    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, Payloads.APPLICATION_JSON);
                    ex.setResponseContentLength(b.length);
                    ex.getResponseSender().send(ByteBuffer.wrap(b));
                    return;
                }
                case Payloads.ECHO_PATH:
                    echo(ex);
                    return;
                case Payloads.STREAM_PATH:
                    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, Payloads.OCTET_STREAM);
                    ex.setResponseContentLength(Payloads.STREAM_SIZE);
                    new StreamSend().next(ex, ex.getResponseSender());
                    return;
                case Payloads.FILE_PATH: {
                    FileChannel ch = FileChannel.open(Payloads.file(), StandardOpenOption.READ);
                    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, Payloads.OCTET_STREAM);
                    ex.setResponseContentLength(ch.size());
                    ex.getResponseSender().transferFrom(ch, new IoCallback() {
                        @Override
                        public void onComplete(HttpServerExchange exchange, Sender sender) {
                            IoUtils.safeClose(ch);
                            sender.close(IoCallback.END_EXCHANGE);
                        }

                        @Override
                        public void onException(HttpServerExchange exchange, Sender sender, IOException e) {
                            IoUtils.safeClose(ch);
                            IoUtils.safeClose(exchange.getConnection());
                        }
                    });
                    return;
                }
                default:
                    ex.setStatusCode(StatusCodes.NOT_FOUND);
                    ex.endExchange();
            }
        }

        /** Copies the request channel to the response channel through one pooled buffer, without blocking. */
        private static void echo(HttpServerExchange ex) {
            ex.getResponseHeaders().put(Headers.CONTENT_TYPE, Payloads.OCTET_STREAM);
            ex.setResponseContentLength(ex.getRequestContentLength());
            StreamSourceChannel source = ex.getRequestChannel();
            StreamSinkChannel sink = ex.getResponseChannel();
            ChannelListener<StreamSinkChannel> done = s -> ex.endExchange();
            Transfer.initiateTransfer(source, sink, src -> IoUtils.safeClose(src), done,
                    (ch, e) -> IoUtils.safeClose(ex.getConnection()),
                    (ch, e) -> IoUtils.safeClose(ex.getConnection()),
                    ex.getConnection().getByteBufferPool());
        }
    }

    /** Sends the pre-encoded chunk {@link Payloads#STREAM_CHUNKS} times, each after the last completed. */
    private static final class StreamSend implements IoCallback {
        private int left = Payloads.STREAM_CHUNKS;

        void next(HttpServerExchange ex, Sender sender) {
            left--;
            sender.send(CHUNK.duplicate(), this);
        }

        @Override
        public void onComplete(HttpServerExchange exchange, Sender sender) {
            if (left == 0) {
                sender.close(IoCallback.END_EXCHANGE);
            } else {
                next(exchange, sender);
            }
        }

        @Override
        public void onException(HttpServerExchange exchange, Sender sender, IOException exception) {
            IoUtils.safeClose(exchange.getConnection());
        }
    }
}

package dev.jgi.bench.server.jetty;

import dev.jgi.bench.app.Payloads;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;

/**
 * The native Jetty 12 core handler, written like the TechEmpower Jetty 12 entry: a path switch,
 * {@link PreEncodedHttpField} constants, an explicit Content-Length, and one
 * {@code response.write(true, buffer, callback)} of a pre-encoded buffer's slice. The echo is
 * Jetty's own non-blocking {@code Content.copy(request, response)}, the stream a chain of writes of
 * one pre-encoded direct chunk, and the file one write of a read-only mapping (Jetty core has no
 * sendfile; a mapping is its zero-copy form, and the JGI adapter uses the same).
 *
 * <p>The same code runs in two invocation types: {@link Blocking} (Jetty dispatches the handler to a
 * pool thread; the fair baseline for a blocking gateway) and {@link NonBlocking} (Jetty may run it on
 * the selector thread; the ceiling).
 */
public class JettyCoreNative extends JettyBase {

    private static final HttpField TEXT = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, Payloads.TEXT_PLAIN);
    private static final HttpField JSON = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, Payloads.APPLICATION_JSON);
    private static final HttpField OCTET = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, Payloads.OCTET_STREAM);
    private static final HttpField HELLO_LENGTH = new PreEncodedHttpField(HttpHeader.CONTENT_LENGTH,
            Integer.toString(Payloads.HELLO.length));
    private static final HttpField STREAM_LENGTH = new PreEncodedHttpField(HttpHeader.CONTENT_LENGTH,
            Integer.toString(Payloads.STREAM_SIZE));
    private static final ByteBuffer HELLO = Payloads.direct(Payloads.HELLO);
    private static final ByteBuffer CHUNK = Payloads.directChunk();

    private final InvocationType type;

    JettyCoreNative(InvocationType type) {
        this.type = type;
    }

    @Override
    protected Handler handler() {
        return new Native(type);
    }

    /** The blocking baseline: {@code InvocationType.BLOCKING}. */
    public static final class Blocking extends JettyCoreNative {
        /** Creates the variant. */
        public Blocking() {
            super(InvocationType.BLOCKING);
        }
    }

    /** The ceiling: {@code InvocationType.NON_BLOCKING}. */
    public static final class NonBlocking extends JettyCoreNative {
        /** Creates the variant. */
        public NonBlocking() {
            super(InvocationType.NON_BLOCKING);
        }
    }

    /** The handler. */
    static final class Native extends Handler.Abstract {
        Native(InvocationType type) {
            super(type);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws IOException {
            HttpFields.Mutable h = response.getHeaders();
            switch (request.getHttpURI().getPath()) {
                case Payloads.HELLO_PATH:
                    h.put(TEXT);
                    h.put(HELLO_LENGTH);
                    response.write(true, HELLO.slice(), callback);
                    return true;
                case Payloads.JSON_PATH: {
                    byte[] b = Payloads.json(Payloads.MESSAGE);
                    h.put(JSON);
                    h.put(HttpHeader.CONTENT_LENGTH, b.length);
                    response.write(true, ByteBuffer.wrap(b), callback);
                    return true;
                }
                case Payloads.ECHO_PATH:
                    h.put(OCTET);
                    h.put(HttpHeader.CONTENT_LENGTH, request.getLength());
                    Content.copy(request, response, callback);
                    return true;
                case Payloads.STREAM_PATH:
                    h.put(OCTET);
                    h.put(STREAM_LENGTH);
                    new StreamWriter(response, callback).iterate();
                    return true;
                case Payloads.FILE_PATH: {
                    MappedByteBuffer map;
                    try (FileChannel ch = FileChannel.open(Payloads.file(), StandardOpenOption.READ)) {
                        map = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()); // stays valid after close
                    }
                    h.put(OCTET);
                    h.put(HttpHeader.CONTENT_LENGTH, map.remaining());
                    response.write(true, map, callback);
                    return true;
                }
                default:
                    return false;
            }
        }
    }

    /** Writes the pre-encoded chunk {@link Payloads#STREAM_CHUNKS} times, each write after the last completed. */
    private static final class StreamWriter extends IteratingCallback {
        private final Response response;
        private final Callback callback;
        private int left = Payloads.STREAM_CHUNKS;

        StreamWriter(Response response, Callback callback) {
            this.response = response;
            this.callback = callback;
        }

        @Override
        protected Action process() {
            if (left == 0) {
                return Action.SUCCEEDED;
            }
            left--;
            response.write(left == 0, CHUNK.slice(), this);
            return Action.SCHEDULED;
        }

        @Override
        protected void onCompleteSuccess() {
            callback.succeeded();
        }

        @Override
        protected void onCompleteFailure(Throwable cause) {
            callback.failed(cause);
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }
    }
}

package dev.jgi.jetty;

import dev.jgi.Header;
import dev.jgi.gateway.FileWindows;
import dev.jgi.gateway.ResponseChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;

/**
 * The {@link ResponseChannel} of one Jetty exchange: carries out what the gateway decided on
 * Jetty's {@link Response}, with blocking writes of the application's own arrays, and completes
 * Jetty's {@link Callback} exactly once.
 */
final class JettyChannel implements ResponseChannel {

    /** The largest file window mapped at once (core's {@link FileWindows#MAX_WINDOW}). */
    static final long MAP_WINDOW = FileWindows.MAX_WINDOW;

    private final Request request;
    private final Response response;
    private final Callback callback;
    private final AtomicBoolean completed = new AtomicBoolean();
    private final boolean http11;
    private boolean commitFirst;
    private boolean lastWritten;
    /** One blocker for every write of the exchange, so that a long body does not allocate one per chunk. */
    private Blocker.Shared blocker;

    JettyChannel(Request request, Response response, Callback callback, boolean http11) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.http11 = http11;
    }

    @Override
    public void sendHeaders(int status, String reason, List<Header> headers, long contentLength, boolean bodyless)
            throws IOException {
        response.setStatus(status);
        if (reason != null && !reason.equals(HttpStatus.getMessage(status))) {
            sendReason(status, reason);
        }
        HttpFields.Mutable fields = response.getHeaders();
        boolean date = false;
        boolean server = false;
        for (Header h : headers) {
            String name = h.name();
            // Jetty pre-fills Date (and Server, when configured to send it); the application's
            // first field of that name replaces Jetty's so the response carries it once.
            if (!date && name.equalsIgnoreCase("Date")) {
                fields.put(HttpHeader.DATE, h.value());
                date = true;
            } else if (!server && name.equalsIgnoreCase("Server")) {
                fields.put(HttpHeader.SERVER, h.value());
                server = true;
            } else {
                fields.add(name, h.value());
            }
        }
        if (contentLength >= 0) {
            fields.put(HttpHeader.CONTENT_LENGTH, contentLength);
        } else if (http11 && !bodyless) {
            // Jetty would end a body of unknown length by closing the connection when the request
            // said "Connection: close"; chunked framing keeps an abort visible to the client.
            fields.put(HttpHeader.TRANSFER_ENCODING, "chunked");
        }
        commitFirst = bodyless && contentLength < 0 && status != 204;
        // Nothing is written yet: the headers leave with the first body write (one gathering
        // write), or with finish(); the gateway calls sendHeaders only right before one of them.
    }

    /**
     * Jetty core's Response has only setStatus(int) and sends its own phrase (for a code it does
     * not know, the code again, as in "299 299"). The response metadata does carry a reason, so a
     * stream wrapper puts the application's phrase into it at commit; HTTP/1 sends it, HTTP/2 has
     * none.
     */
    private void sendReason(int status, String reason) {
        request.addHttpStreamWrapper(stream -> new HttpStream.Wrapper(stream) {
            @Override
            public void send(MetaData.Request req, MetaData.Response res, boolean last, ByteBuffer content, Callback cb) {
                MetaData.Response out = res;
                // only our own commit: an error page Jetty writes instead keeps its phrase
                if (res != null && res.getStatus() == status) {
                    out = new MetaData.Response(status, reason, res.getHttpVersion(), res.getHttpFields(),
                            res.getContentLength(), res.getTrailersSupplier());
                }
                super.send(req, out, last, content, cb);
            }
        });
    }

    @Override
    public void write(byte[] chunk, int offset, int length) throws IOException {
        // Blocking write of the application's own array: no copy into an aggregation buffer,
        // and it returns once Jetty has handed the bytes to the socket, so nothing is held back.
        blockingWrite(false, ByteBuffer.wrap(chunk, offset, length));
    }

    /** The body is complete: one write with {@code last=true} ends the response too. */
    @Override
    public void writeLast(byte[] chunk, int offset, int length) throws IOException {
        blockingWrite(true, ByteBuffer.wrap(chunk, offset, length));
        lastWritten = true;
    }

    /**
     * Sends the region from a read-only mapping of the file: the socket write reads the page cache
     * directly, without the region passing through a Java heap buffer (Jetty core has no sendfile).
     */
    @Override
    public void transfer(FileChannel file, long position, long count) throws IOException {
        FileWindows.send(file, position, count, window -> blockingWrite(false, window));
    }

    @Override
    public void finish() throws IOException {
        if (completed.get()) {
            return;
        }
        if (lastWritten) {
            if (completed.compareAndSet(false, true)) {
                callback.succeeded();
            }
            return;
        }
        if (commitFirst) {
            // A HEAD or 304 response without a known length: commit the headers first, or Jetty
            // computes Content-Length: 0 from the empty last write and misstates the
            // representation's length.
            blockingWrite(false, null);
        }
        blockingWrite(true, null);
        if (completed.compareAndSet(false, true)) {
            callback.succeeded();
        }
    }

    @Override
    public void abort(Throwable cause) {
        if (completed.compareAndSet(false, true)) {
            if (response.isCommitted()) {
                // AbortException makes Jetty close the connection rather than try an error
                // response: the client must see an incomplete body, never a second status line.
                callback.failed(new Request.Handler.AbortException(String.valueOf(cause), cause));
            } else {
                // Nothing reached the wire (the headers did not fit, or the first write failed):
                // Jetty can still answer 500 instead of dropping the connection. The cause stays
                // in our log, not in Jetty's error page.
                callback.failed(new HttpException.RuntimeException(500, "the response failed before it was sent"));
            }
        }
    }

    /** Writes and waits until Jetty has handed the bytes to the socket (or failed). */
    private void blockingWrite(boolean last, ByteBuffer buf) throws IOException {
        if (blocker == null) {
            blocker = new Blocker.Shared();
        }
        try (Blocker.Callback cb = blocker.callback()) {
            response.write(last, buf, cb);
            cb.block();
        }
    }

    /** Fails the exchange if nothing completed it; a guard for failures outside the gateway. */
    void ensureCompleted() {
        if (completed.compareAndSet(false, true)) {
            // built only on this rare path: a stack trace per request would be the adapter's
            // largest allocation
            callback.failed(new IllegalStateException("the JGI exchange ended without completing"));
        }
    }
}

package dev.jgi.testing;

import dev.jgi.Header;
import dev.jgi.gateway.ResponseChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The test client's "connection": a {@link ResponseChannel} that keeps what a server would have
 * sent, and records every call that breaks the channel contract (the gateway's side of it), so
 * that a gateway bug fails the test instead of passing unnoticed.
 */
final class MemoryChannel implements ResponseChannel {

    private final List<String> events;
    private final long disconnectAfter;
    final List<String> violations = new ArrayList<>();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();

    int status = -1;
    String reason = "";
    List<Header> headers = List.of();
    long contentLength = -1;
    boolean bodyless;
    boolean finished;
    boolean aborted;
    Throwable abortCause;

    /**
     * @param events the shared event log
     * @param disconnectAfter the number of body bytes after which the simulated client is gone, or -1
     */
    MemoryChannel(List<String> events, long disconnectAfter) {
        this.events = events;
        this.disconnectAfter = disconnectAfter;
    }

    @Override
    public void sendHeaders(int status, String reason, List<Header> headers, long contentLength, boolean bodyless) {
        if (this.status >= 0) {
            violations.add("sendHeaders called a second time");
        }
        if (finished || aborted) {
            violations.add("sendHeaders called after the response ended");
        }
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase("Content-Length")) {
                violations.add("sendHeaders was given a Content-Length header; the length goes in its own argument");
            }
        }
        this.status = status;
        this.reason = reason;
        // a copy: what was sent is fixed even if the application later mutates its list
        this.headers = List.copyOf(headers);
        this.contentLength = contentLength;
        this.bodyless = bodyless;
        events.add("headers");
    }

    @Override
    public void write(byte[] chunk, int offset, int length) throws IOException {
        checkWritable(length);
        body.write(chunk, offset, length);
        events.add("chunk:" + length);
    }

    @Override
    public void transfer(FileChannel file, long position, long count) throws IOException {
        checkWritable(count);
        ByteBuffer buf = ByteBuffer.allocate((int) count);
        while (buf.hasRemaining()) {
            int n = file.read(buf, position + buf.position());
            if (n < 0) {
                throw new IOException("file ended " + buf.remaining() + " bytes early");
            }
        }
        body.write(buf.array(), 0, buf.position());
        events.add("file:" + count);
    }

    private void checkWritable(long length) throws IOException {
        if (status < 0) {
            violations.add("body bytes written before sendHeaders");
        }
        if (bodyless) {
            violations.add("body bytes written on a bodyless response");
        }
        if (finished || aborted) {
            violations.add("body bytes written after the response ended");
        }
        if (length <= 0) {
            violations.add("empty write of " + length + " bytes; the gateway skips empty chunks");
        }
        if (contentLength >= 0 && body.size() + length > contentLength) {
            violations.add("more body bytes than the declared Content-Length of " + contentLength);
        }
        if (disconnectAfter >= 0 && body.size() + length > disconnectAfter) {
            events.add("disconnect");
            throw new IOException("simulated client disconnect after " + disconnectAfter + " bytes");
        }
        if (length > Integer.MAX_VALUE - 8) {
            throw new IOException("region too large for an in-memory response: " + length);
        }
    }

    @Override
    public void finish() {
        if (finished || aborted) {
            violations.add("finish called after the response ended");
        }
        if (status < 0) {
            violations.add("finish called before sendHeaders");
        }
        if (!bodyless && contentLength >= 0 && body.size() != contentLength) {
            violations.add("finish with " + body.size() + " body bytes but a declared Content-Length of " + contentLength);
        }
        finished = true;
        events.add("finish");
    }

    @Override
    public void abort(Throwable cause) {
        if (finished || aborted) {
            violations.add("abort called after the response ended");
        }
        aborted = true;
        abortCause = cause;
        events.add("abort");
    }
}

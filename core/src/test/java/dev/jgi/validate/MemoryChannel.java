package dev.jgi.validate;

import dev.jgi.Header;
import dev.jgi.gateway.ResponseChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A response channel that records what the gateway sends, for driving the real Gateway in tests. */
final class MemoryChannel implements ResponseChannel {
    int status = -1;
    String reason;
    List<Header> headers;
    long contentLength = -2;
    boolean bodyless;
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    int transfers;
    boolean finished;
    Throwable aborted;

    @Override
    public void sendHeaders(int status, String reason, List<Header> headers, long contentLength, boolean bodyless) {
        if (this.status != -1) {
            throw new IllegalStateException("sendHeaders called twice");
        }
        this.status = status;
        this.reason = reason;
        this.headers = List.copyOf(headers);
        this.contentLength = contentLength;
        this.bodyless = bodyless;
    }

    @Override
    public void write(byte[] chunk, int offset, int length) {
        if (status == -1 || bodyless) {
            throw new IllegalStateException("write before headers or on a bodyless response");
        }
        body.write(chunk, offset, length);
    }

    @Override
    public void transfer(FileChannel file, long position, long count) throws IOException {
        transfers++;
        ResponseChannel.super.transfer(file, position, count);
    }

    @Override
    public void finish() {
        finished = true;
    }

    @Override
    public void abort(Throwable cause) {
        aborted = cause;
    }

    String text() {
        return body.toString(StandardCharsets.UTF_8);
    }

    String header(String name) {
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                return h.value();
            }
        }
        return null;
    }
}

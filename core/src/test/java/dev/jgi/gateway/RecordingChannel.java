package dev.jgi.gateway;

import dev.jgi.Header;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** A ResponseChannel for direct Gateway tests: records the calls, can fail on request. */
final class RecordingChannel implements ResponseChannel {
    final List<String> events = new ArrayList<>();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    int status = -1;
    List<Header> headers;
    long contentLength = -2;
    boolean bodyless;
    boolean finished;
    Throwable abortCause;
    int aborts;

    IOException failHeaders;
    IOException failWrite;
    IOException failFinish;

    boolean headersSent() {
        return status >= 0;
    }

    @Override
    public void sendHeaders(int status, String reason, List<Header> headers, long contentLength, boolean bodyless) throws IOException {
        events.add("headers " + status + " " + reason);
        if (failHeaders != null) {
            throw failHeaders;
        }
        this.status = status;
        this.headers = headers;
        this.contentLength = contentLength;
        this.bodyless = bodyless;
    }

    @Override
    public void write(byte[] chunk, int offset, int length) throws IOException {
        events.add("write " + length);
        if (failWrite != null) {
            throw failWrite;
        }
        body.write(chunk, offset, length);
    }

    @Override
    public void finish() throws IOException {
        events.add("finish");
        if (failFinish != null) {
            throw failFinish;
        }
        finished = true;
    }

    @Override
    public void abort(Throwable cause) {
        events.add("abort");
        aborts++;
        abortCause = cause;
    }
}

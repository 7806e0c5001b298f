package dev.jgi.bench.jmh;

import dev.jgi.Header;
import dev.jgi.gateway.BodyInput;
import dev.jgi.gateway.EnvironBuilder;
import dev.jgi.gateway.FileBody;
import dev.jgi.gateway.RequestRejectedException;
import dev.jgi.gateway.ResponseChannel;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.util.HashMap;
import java.util.List;

/**
 * The requests the micro-benchmarks translate, fed to core the way an adapter feeds it (raw path,
 * headers in arrival order, socket addresses), and an in-memory {@link ResponseChannel}.
 */
final class Requests {

    static final InetSocketAddress LOCAL = address(8080);
    static final InetSocketAddress REMOTE = address(53122);
    static final PrintWriter ERRORS = new PrintWriter(Writer.nullWriter());

    /** What wrk sends: the request line and Host. */
    static final List<Header> WRK_HEADERS = List.of(new Header("Host", "127.0.0.1:8080"));

    /** A browser-like request: eight common fields. */
    static final List<Header> BROWSER_HEADERS = List.of(
            new Header("Host", "example.com"),
            new Header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"),
            new Header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
            new Header("Accept-Language", "en-US,en;q=0.5"),
            new Header("Accept-Encoding", "gzip, deflate, br"),
            new Header("Connection", "keep-alive"),
            new Header("Cookie", "session=8a7f2c; theme=dark"),
            new Header("Upgrade-Insecure-Requests", "1"));

    private Requests() {
    }

    private static InetSocketAddress address(int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Builds the environ of a GET the way the adapters do. */
    static HashMap<String, Object> environ(String rawPath, String rawQuery, List<Header> headers) throws RequestRejectedException {
        EnvironBuilder b = new EnvironBuilder("")
                .method("GET")
                .protocol("HTTP/1.1")
                .scheme("http")
                .path(rawPath, rawQuery);
        for (int i = 0, n = headers.size(); i < n; i++) {
            Header h = headers.get(i);
            b.header(h.name(), h.value());
        }
        return b.local(LOCAL).remote(REMOTE)
                .input(BodyInput.EMPTY)
                .errors(ERRORS)
                .fileWrapper(FileBody.WRAPPER)
                .bodyLimit(-1)
                .build();
    }

    /** A channel that keeps nothing: it counts, so the work cannot be optimised away. */
    static final class CountingChannel implements ResponseChannel {
        long bytes;
        int status;

        @Override
        public void sendHeaders(int status, String reason, List<Header> headers, long contentLength, boolean bodyless) {
            this.status = status;
            bytes += headers.size() + contentLength;
        }

        @Override
        public void write(byte[] chunk, int offset, int length) {
            bytes += length;
        }

        @Override
        public void transfer(FileChannel file, long position, long count) {
            bytes += count;
        }

        @Override
        public void finish() {
        }

        @Override
        public void abort(Throwable cause) {
            status = -1;
        }
    }
}

package dev.jgi.bench.server.jdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.jgi.bench.app.Payloads;
import dev.jgi.bench.server.BenchServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The JDK HttpServer with a raw {@code HttpHandler}: the native baseline of the reference server,
 * on the same kind of executor (a fixed pool of {@link #WORKER_THREADS} platform threads over an
 * unbounded queue, as {@code dev.jgi.gateway.Threads.newPlatformPool} builds it) and the same
 * backlog. Pre-encoded bodies, an exact Content-Length, one write; the echo and the file go through
 * one 64 KiB buffer per thread. The JDK server has no zero-copy file path.
 */
public final class JdkNative implements BenchServer {

    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[Payloads.CHUNK_SIZE]);

    private HttpServer server;
    private ExecutorService pool;

    /** Creates the variant. */
    public JdkNative() {
    }

    /**
     * Builds the executor both JDK variants use.
     *
     * @param prefix thread name prefix
     * @return the pool
     */
    static ExecutorService pool(String prefix) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        ThreadPoolExecutor p = new ThreadPoolExecutor(WORKER_THREADS, WORKER_THREADS, 30, TimeUnit.SECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        p.allowCoreThreadTimeOut(true);
        return p;
    }

    @Override
    public int start(String host, int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 0);
        pool = pool("jdk-native");
        server.setExecutor(pool);
        server.createContext("/", JdkNative::handle);
        server.start();
        return server.getAddress().getPort();
    }

    private static void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        switch (path) {
            case Payloads.HELLO_PATH:
                send(ex, Payloads.TEXT_PLAIN, Payloads.HELLO);
                break;
            case Payloads.JSON_PATH:
                send(ex, Payloads.APPLICATION_JSON, Payloads.json(Payloads.MESSAGE));
                break;
            case Payloads.ECHO_PATH: {
                long length = Long.parseLong(ex.getRequestHeaders().getFirst("Content-Length"));
                ex.getResponseHeaders().add("Content-Type", Payloads.OCTET_STREAM);
                ex.sendResponseHeaders(200, length == 0 ? -1 : length);
                byte[] buf = BUFFER.get();
                try (InputStream in = ex.getRequestBody(); OutputStream out = ex.getResponseBody()) {
                    long left = length;
                    while (left > 0) {
                        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                        if (n < 0) {
                            throw new java.io.EOFException("request body ended early");
                        }
                        out.write(buf, 0, n);
                        left -= n;
                    }
                }
                break;
            }
            case Payloads.STREAM_PATH: {
                ex.getResponseHeaders().add("Content-Type", Payloads.OCTET_STREAM);
                ex.sendResponseHeaders(200, Payloads.STREAM_SIZE);
                try (OutputStream out = ex.getResponseBody()) {
                    for (int i = 0; i < Payloads.STREAM_CHUNKS; i++) {
                        out.write(Payloads.CHUNK);
                    }
                }
                break;
            }
            case Payloads.FILE_PATH: {
                try (FileChannel ch = FileChannel.open(Payloads.file(), StandardOpenOption.READ)) {
                    long size = ch.size();
                    ex.getResponseHeaders().add("Content-Type", Payloads.OCTET_STREAM);
                    ex.sendResponseHeaders(200, size);
                    byte[] buf = BUFFER.get();
                    ByteBuffer bb = ByteBuffer.wrap(buf);
                    try (OutputStream out = ex.getResponseBody()) {
                        long pos = 0;
                        while (pos < size) {
                            bb.clear();
                            int n = ch.read(bb, pos);
                            if (n < 0) {
                                throw new IOException("file shrank");
                            }
                            out.write(buf, 0, n);
                            pos += n;
                        }
                    }
                }
                break;
            }
            default:
                send404(ex);
        }
    }

    private static void send(HttpExchange ex, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static void send404(HttpExchange ex) throws IOException {
        byte[] b = "not found".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ex.getResponseHeaders().add("Content-Type", Payloads.TEXT_PLAIN);
        ex.sendResponseHeaders(404, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}

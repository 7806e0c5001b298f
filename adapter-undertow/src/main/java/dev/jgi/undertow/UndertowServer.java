package dev.jgi.undertow;

import dev.jgi.Application;
import dev.jgi.server.JgiServer;
import dev.jgi.server.ServerBuilder;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.handlers.GracefulShutdownHandler;
import io.undertow.server.protocol.http.HttpOpenListener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

/**
 * A one-call embedded Undertow server for a JGI application: a plain-HTTP/1.1 listener, a
 * {@link GracefulShutdownHandler}, and a {@link JgiHandler}.
 *
 * <pre>{@code
 * try (UndertowServer server = UndertowServer.builder(app).port(0).mount("/app").start()) {
 *     System.out.println("listening on " + server.uri());   // http://127.0.0.1:41234/app
 *     ...
 * }
 * }</pre>
 *
 * <p>It assembles Undertow from its parts (XNIO worker, {@code HttpOpenListener}, accepting channel)
 * rather than through {@code Undertow.builder()}, for one reason: {@link #stop(Duration)} can close
 * the listening socket first, so new connections are refused at once while requests in flight
 * finish; {@code Undertow} itself only offers to suspend accepting, which leaves new clients
 * hanging in the backlog.
 *
 * <p>Defaults are Undertow's own (see {@code README.md}): IO threads {@code max(cpus, 2)}, worker
 * threads 8 per IO thread, buffers sized by the maximum heap, idle keep-alive connections closed
 * after 60 s ({@code NO_REQUEST_TIMEOUT}); except that URL decoding is off ({@code DECODE_URL=false},
 * since JGI decodes the raw path itself), no cap on the number of query parameters (Undertow's
 * 1000, answered 400, means nothing to JGI, which passes the raw query), and Undertow's 2 MiB {@code MAX_ENTITY_SIZE} is off: there is no request body limit unless
 * {@link Builder#bodyLimit(long)} sets one.
 */
public final class UndertowServer implements JgiServer {

    private final XnioWorker worker;
    private final AcceptingChannel<StreamConnection> acceptor;
    private final HttpOpenListener openListener;
    private final DefaultByteBufferPool buffers;
    private final GracefulShutdownHandler graceful;
    private final JgiHandler handler;
    private final int port;
    private final URI uri;
    private boolean stopped;

    private UndertowServer(ServerBuilder.Settings b, int ioThreadsSetting, Duration ioTimeout) throws IOException {
        this.handler = JgiHandler.builder(b.application())
                .mount(b.mount())
                .bodyLimit(b.bodyLimit())
                .virtualThreads(b.virtualThreads())
                .errors(b.errors())
                .ioTimeout(ioTimeout)
                .build();
        this.graceful = new GracefulShutdownHandler(handler);

        int ioThreads = ioThreadsSetting > 0 ? ioThreadsSetting : Math.max(Runtime.getRuntime().availableProcessors(), 2);
        int workerThreads = b.threads() > 0 ? b.threads() : ioThreads * 8;
        // Undertow.Builder's buffer sizing: small heaps get small (and, below 64 MiB, heap) buffers.
        long maxMemory = Runtime.getRuntime().maxMemory();
        boolean direct = maxMemory >= 64L << 20;
        int bufferSize = maxMemory < 64L << 20 ? 512 : maxMemory < 128L << 20 ? 1024 : 16 * 1024 - 20;

        Xnio xnio = Xnio.getInstance(Undertow.class.getClassLoader());
        XnioWorker w = xnio.createWorker(OptionMap.builder()
                .set(Options.WORKER_IO_THREADS, ioThreads)
                .set(Options.CONNECTION_HIGH_WATER, 1_000_000)
                .set(Options.CONNECTION_LOW_WATER, 1_000_000)
                .set(Options.WORKER_TASK_CORE_THREADS, workerThreads)
                .set(Options.WORKER_TASK_MAX_THREADS, workerThreads)
                .set(Options.TCP_NODELAY, true)
                .set(Options.CORK, true)
                .set(Options.WORKER_NAME, "jgi-undertow")
                .getMap());
        this.worker = w;
        try {
            this.buffers = new DefaultByteBufferPool(direct, bufferSize, -1, 4);
            OptionMap serverOptions = OptionMap.builder()
                    .set(UndertowOptions.NO_REQUEST_TIMEOUT, 60_000)
                    .set(UndertowOptions.DECODE_URL, false)
                    // Undertow parses the query into parameters it would cap at 1000 with a 400; JGI
                    // passes the raw QUERY_STRING and never asks for them (the request line stays
                    // bounded by MAX_HEADER_SIZE)
                    .set(UndertowOptions.MAX_PARAMETERS, Integer.MAX_VALUE)
                    .set(UndertowOptions.MAX_ENTITY_SIZE, 0L) // the body limit is core's (JgiHandler)
                    .getMap();
            this.openListener = new HttpOpenListener(buffers, serverOptions);
            openListener.setRootHandler(graceful);
            OptionMap socketOptions = OptionMap.builder()
                    .set(Options.WORKER_IO_THREADS, ioThreads)
                    .set(Options.TCP_NODELAY, true)
                    .set(Options.REUSE_ADDRESSES, true)
                    .set(Options.BALANCING_TOKENS, 1)
                    .set(Options.BALANCING_CONNECTIONS, 2)
                    .set(Options.BACKLOG, 1000)
                    .getMap();
            InetSocketAddress bind = new InetSocketAddress(InetAddress.getByName(b.host()), b.port());
            this.acceptor = w.createStreamConnectionServer(bind, ChannelListeners.openListenerAdapter(openListener), socketOptions);
            acceptor.resumeAccepts();
        } catch (IOException | RuntimeException e) {
            w.shutdownNow();
            handler.close();
            throw e;
        }
        InetSocketAddress bound = acceptor.getLocalAddress(InetSocketAddress.class);
        this.port = bound.getPort();
        this.uri = JgiServer.baseUri(bound.getAddress(), port, b.mount());
    }

    /**
     * Returns a builder for a server that runs {@code app}.
     *
     * @param app the application
     * @return the builder
     */
    public static Builder builder(Application app) {
        return new Builder(app);
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public boolean virtualThreads() {
        return handler.usesVirtualThreads();
    }

    /** @return the handler, for tests and diagnostics */
    JgiHandler handler() {
        return handler;
    }

    /**
     * Stops gracefully: the listening socket closes at once (new connections are refused), new
     * requests on open connections get 503, requests in flight may finish until {@code grace} has
     * passed; then every connection is closed (a response still running is cut off) and the
     * threads are released. Calling it again does nothing.
     *
     * @param grace how long in-flight requests may take
     */
    @Override
    public synchronized void stop(Duration grace) {
        if (stopped) {
            return;
        }
        stopped = true;
        IoUtils.safeClose(acceptor);
        graceful.shutdown();
        boolean drained = false;
        try {
            drained = graceful.awaitShutdown(Math.max(0, grace.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        openListener.closeConnections();
        if (drained) {
            worker.shutdown();
        } else {
            // Requests still running are cut off: their connections are closed, and their threads
            // interrupted so that an application waiting on something else notices too.
            worker.shutdownNow();
            handler.interruptRequests();
        }
        try {
            if (!worker.awaitTermination(5, TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
        handler.close();
        buffers.close();
    }

    /**
     * Configures and starts an {@link UndertowServer}: the options of {@link ServerBuilder} (whose
     * {@code threads} are Undertow's worker threads, 8 per IO thread by default), plus Undertow's
     * IO threads and the blocking I/O timeout.
     */
    public static final class Builder extends ServerBuilder<Builder> {
        private int ioThreads;
        private Duration ioTimeout = JgiHandler.DEFAULT_IO_TIMEOUT;

        private Builder(Application app) {
            super(app, 0, 1); // 0: worker threads derived from the IO threads at start
        }

        /**
         * @param ioThreads Undertow's IO (selector) threads, {@code max(cpus, 2)} by default
         * @return this builder
         */
        public Builder ioThreads(int ioThreads) {
            if (ioThreads < 1) {
                throw new IllegalArgumentException("ioThreads must be at least 1: " + ioThreads);
            }
            this.ioThreads = ioThreads;
            return this;
        }

        /**
         * @param timeout how long a request waits for a slow client
         * @return this builder
         * @see JgiHandler.Builder#ioTimeout(Duration)
         */
        public Builder ioTimeout(Duration timeout) {
            this.ioTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        @Override
        public UndertowServer start() throws IOException {
            return new UndertowServer(settings(), ioThreads, ioTimeout);
        }
    }
}

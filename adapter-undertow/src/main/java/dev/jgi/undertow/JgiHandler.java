package dev.jgi.undertow;

import dev.jgi.Application;
import dev.jgi.Environ;
import dev.jgi.gateway.EnvironBuilder;
import dev.jgi.gateway.ErrorStream;
import dev.jgi.gateway.FileBody;
import dev.jgi.gateway.Gateway;
import dev.jgi.gateway.RequestPath;
import dev.jgi.gateway.RequestRejectedException;
import dev.jgi.gateway.Threads;
import io.undertow.UndertowOptions;
import io.undertow.Version;
import io.undertow.server.Connectors;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpContinue;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An Undertow {@link HttpHandler} that hosts a JGI {@link Application}.
 *
 * <pre>{@code
 * HttpHandler h = JgiHandler.builder(app).bodyLimit(10 << 20).build();
 * Undertow.builder().addHttpListener(8080, "127.0.0.1").setHandler(h).build().start();
 * }</pre>
 *
 * <p>For every request it leaves the IO thread at once ({@code exchange.dispatch}) and runs the
 * application on Undertow's worker pool, or on a new virtual thread when
 * {@link Builder#virtualThreads(boolean)} asked for them and the JVM has them (Java 21+). The environ
 * is built by core's {@code EnvironBuilder} from the raw request target
 * ({@code getRequestURI()}, never the decoded relative path), so paths mean the same as on every
 * other JGI server.
 *
 * <p>SCRIPT_NAME is the configured {@link Builder#mount(String) mount}; without one, it is the prefix
 * an enclosing {@code PathHandler} resolved ({@code exchange.getResolvedPath()}, already decoded),
 * or {@code ""} at the root.
 *
 * <p>It also takes over three things Undertow core does differently by default: the request body
 * limit (Undertow's own {@code MAX_ENTITY_SIZE} of 2 MiB, which cuts the connection, is replaced per
 * exchange by {@link Builder#bodyLimit(long)}, answered with 413), {@code Expect: 100-continue}
 * (answered when the application first reads {@code jgi.input}, never when it answers without
 * reading; do not also install {@code HttpContinueReadHandler}), and the waits for a slow client
 * (see {@link Builder#ioTimeout(Duration)}).
 *
 * <p>The handler is immutable and thread-safe. It owns the virtual-thread executor it may create;
 * {@link #close()} releases it.
 */
public final class JgiHandler implements HttpHandler, AutoCloseable {

    /** The default for {@link Builder#ioTimeout(Duration)}. */
    public static final Duration DEFAULT_IO_TIMEOUT = Duration.ofSeconds(60);

    /** How much of an over-limit body is read and dropped after the 413, so the client sees it. */
    private static final long DISCARD_MAX = 1 << 20;
    private static final long DISCARD_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final Gateway gateway;
    private final String mount;
    private final long bodyLimit;
    private final Executor executor;
    private final ExecutorService ownedExecutor;
    private final PrintWriter errors;
    private final long ioTimeoutNanos;
    private final String serverSoftware;
    /** Set once the MAX_ENTITY_SIZE warning was logged; a benign race may log it twice. */
    private volatile boolean warnedEntitySize;

    private JgiHandler(Builder b) {
        this.errors = b.errors != null ? b.errors
                : ErrorStream.toLogger("dev.jgi.undertow", System.Logger.Level.ERROR);
        this.gateway = new Gateway(b.app, errors);
        this.mount = b.mount;
        this.bodyLimit = b.bodyLimit;
        this.ioTimeoutNanos = b.ioTimeout.toNanos();
        ExecutorService virtual = b.executor == null && b.virtualThreads ? Threads.newVirtualThreadPerTaskExecutor() : null;
        this.ownedExecutor = virtual;
        this.executor = b.executor != null ? b.executor : virtual; // null: Undertow's XNIO worker pool
        this.serverSoftware = "Undertow/" + Version.getVersionString();
    }

    /**
     * Returns a builder for a handler that calls {@code app}.
     *
     * @param app the application
     * @return the builder
     */
    public static Builder builder(Application app) {
        return new Builder(app);
    }

    /**
     * Creates a handler with the defaults: root mount (or an enclosing {@code PathHandler}'s prefix),
     * no body limit, Undertow's worker threads.
     *
     * @param app the application
     * @return the handler
     */
    public static JgiHandler of(Application app) {
        return builder(app).build();
    }

    /** @return whether requests run on virtual threads */
    public boolean usesVirtualThreads() {
        return ownedExecutor != null;
    }

    /** @return the configured request body limit in bytes, {@code -1} for none */
    public long bodyLimit() {
        return bodyLimit;
    }

    /** @return the error stream handed to applications as {@code jgi.errors} */
    public PrintWriter errors() {
        return errors;
    }

    /**
     * Prepares the exchange on the IO thread and dispatches the application to a thread that may
     * block. The application never runs here.
     *
     * @param exchange the exchange
     */
    @Override
    public void handleRequest(HttpServerExchange exchange) {
        // Undertow's own cap cuts the connection (no 413) and, for chunked bodies in 2.4.x, counts
        // chunk framing too; core's BodyInput enforces the limit instead, so lift Undertow's. This
        // works for Content-Length bodies; a chunked body's cap is fixed from the server option
        // MAX_ENTITY_SIZE when the request is parsed, before any handler runs (see README).
        if (exchange.isRequestChannelAvailable()) {
            exchange.setMaxEntitySize(0);
        }
        if (!warnedEntitySize && exchange.getRequestHeaders().contains(Headers.TRANSFER_ENCODING)) {
            long serverCap = exchange.getConnection().getUndertowOptions()
                    .get(UndertowOptions.MAX_ENTITY_SIZE, UndertowOptions.DEFAULT_MAX_ENTITY_SIZE);
            if (serverCap > 0) {
                warnedEntitySize = true;
                synchronized (errors) {
                    errors.println("[jgi] Undertow's MAX_ENTITY_SIZE server option (" + serverCap + " bytes) cuts off chunked request"
                            + " bodies before JGI sees them; set it to 0 and use JgiHandler.Builder.bodyLimit instead");
                    errors.flush();
                }
            }
        }
        ChannelWaiter waiter = ChannelWaiter.create(exchange, ioTimeoutNanos);
        boolean hasBody = exchange.getRequestContentLength() > 0 || exchange.getRequestHeaders().contains(Headers.TRANSFER_ENCODING);
        ExchangeState state = new ExchangeState(hasBody && HttpContinue.requiresContinueResponse(exchange));
        // Always dispatch, even off the IO thread: inside Undertow's call stack (isInCall) the
        // channel resume calls that ChannelWaiter needs are deferred, so the application must run
        // after it returns. A Runnable (not an HttpHandler) keeps it outside that call stack.
        exchange.dispatch(executor, () -> serve(exchange, waiter, state));
    }

    private void serve(HttpServerExchange exchange, ChannelWaiter waiter, ExchangeState state) {
        UndertowResponseChannel channel = new UndertowResponseChannel(exchange, waiter, state);
        RequestBodyStream body = new RequestBodyStream(exchange, waiter, bodyLimit, state);
        try {
            Map<String, Object> environ;
            try {
                environ = environ(exchange, body);
            } catch (RequestRejectedException e) {
                if (e.status() == 413) {
                    state.bodyOverLimit = true;
                }
                gateway.reject(channel, e, exchange.getRequestMethod().toString(), exchange.getRequestURI()
                        + (exchange.getQueryString().isEmpty() ? "" : "?" + exchange.getQueryString()));
                return;
            }
            gateway.serve(environ, channel);
        } catch (Throwable t) {
            // Gateway.serve never throws; this is a failure of the adapter itself
            synchronized (errors) {
                errors.println("[jgi] undertow adapter failed on " + exchange.getRequestMethod() + " " + exchange.getRequestURI());
                t.printStackTrace(errors);
                errors.flush();
            }
            channel.abort(t);
        } finally {
            if (state.bodyOverLimit && !channel.isAborted() && !exchange.isRequestComplete()) {
                if (!(state.expectContinue && !state.continueSent)) {
                    body.discard(DISCARD_MAX, Math.min(ioTimeoutNanos, DISCARD_WAIT_NANOS));
                }
                Connectors.terminateRequest(exchange); // and the connection closes: it is not persistent
            }
            waiter.release();
            exchange.endExchange();
        }
    }

    private Map<String, Object> environ(HttpServerExchange exchange, RequestBodyStream body) throws RequestRejectedException {
        String scriptName = mount != null ? mount : RequestPath.normalizeMount(exchange.getResolvedPath());
        EnvironBuilder b = new EnvironBuilder(scriptName)
                .method(exchange.getRequestMethod().toString())
                .protocol(exchange.getProtocol().toString())
                .scheme(exchange.getRequestScheme())
                .local(exchange.getDestinationAddress())
                .remote(exchange.getSourceAddress())
                .errors(errors)
                .fileWrapper(FileBody.WRAPPER)
                .bodyLimit(bodyLimit)
                .put(Environ.SERVER_SOFTWARE, serverSoftware);
        String uri = exchange.getRequestURI();
        String query = exchange.getQueryString(); // "" when absent: Undertow cannot tell "?" from nothing
        if (uri.equals("*")) {
            b.asterisk();
        } else if (exchange.isHostIncludedInRequestURI()) {
            try {
                b.target(query.isEmpty() ? uri : uri + "?" + query); // takes the authority too (RFC 9112 3.2.2)
            } catch (IllegalArgumentException e) {
                throw new RequestRejectedException(400, "unusable request target");
            }
        } else {
            b.path(uri, query.isEmpty() ? null : query);
        }
        for (HeaderValues values : exchange.getRequestHeaders()) {
            String name = values.getHeaderName().toString();
            for (String value : values) {
                b.header(name, value);
            }
        }
        // core decides the framing (Content-Length, chunked) and wraps the stream in BodyInput;
        // the 100 Continue is sent by the stream itself, see RequestBodyStream
        b.body(() -> body, null);
        return b.build();
    }

    /**
     * Shuts down the virtual-thread executor this handler created, if any; requests already
     * running finish on their threads.
     */
    @Override
    public void close() {
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
        }
    }

    /** Interrupts the virtual threads of requests still running and stops the executor (server stop after the grace). */
    void interruptRequests() {
        if (ownedExecutor != null) {
            ownedExecutor.shutdownNow();
        }
    }

    /** Configures a {@link JgiHandler}. */
    public static final class Builder {
        private final Application app;
        private String mount;
        private long bodyLimit = -1;
        private boolean virtualThreads;
        private Executor executor;
        private PrintWriter errors;
        private Duration ioTimeout = DEFAULT_IO_TIMEOUT;

        private Builder(Application app) {
            this.app = Objects.requireNonNull(app, "app");
        }

        /**
         * Sets the decoded prefix the application is mounted at (SCRIPT_NAME); requests outside it
         * get 404. Without it, SCRIPT_NAME is an enclosing {@code PathHandler}'s resolved prefix.
         *
         * @param prefix for example {@code "/app"}; {@code ""} or {@code "/"} for the root
         * @return this builder
         */
        public Builder mount(String prefix) {
            this.mount = RequestPath.normalizeMount(prefix);
            return this;
        }

        /**
         * Sets the request body limit. A declared Content-Length above it is answered 413 before the
         * application runs; a chunked body that grows past it makes {@code jgi.input} throw
         * {@code RequestBodyTooLargeException}, answered 413 if the response has not started.
         * Replaces Undertow's {@code MAX_ENTITY_SIZE} for these exchanges.
         *
         * @param bytes the limit, or {@code -1} for none (the default)
         * @return this builder
         */
        public Builder bodyLimit(long bytes) {
            if (bytes < -1) {
                throw new IllegalArgumentException("body limit must be -1 or >= 0: " + bytes);
            }
            this.bodyLimit = bytes;
            return this;
        }

        /**
         * Runs applications on virtual threads when the JVM has them (Java 21+); otherwise, and by
         * default, on Undertow's XNIO worker pool.
         *
         * @param enabled whether to use virtual threads
         * @return this builder
         */
        public Builder virtualThreads(boolean enabled) {
            this.virtualThreads = enabled;
            return this;
        }

        /**
         * Runs applications on this executor instead (it must allow blocking); wins over
         * {@link #virtualThreads(boolean)}.
         *
         * @param executor the executor, or {@code null} for the default
         * @return this builder
         */
        public Builder executor(Executor executor) {
            this.executor = executor;
            return this;
        }

        /**
         * Sets {@code jgi.errors}; by default a writer to the {@code dev.jgi.undertow} logger at ERROR.
         *
         * @param errors the writer, shared by all requests
         * @return this builder
         */
        public Builder errors(PrintWriter errors) {
            this.errors = errors;
            return this;
        }

        /**
         * Sets how long a request's thread waits for the client to send body bytes or to accept
         * response bytes before it gives up (the read fails, or the response is aborted).
         *
         * @param timeout the timeout, positive; {@link #DEFAULT_IO_TIMEOUT} by default
         * @return this builder
         */
        public Builder ioTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("I/O timeout must be positive: " + timeout);
            }
            this.ioTimeout = timeout;
            return this;
        }

        /** @return the handler */
        public JgiHandler build() {
            return new JgiHandler(this);
        }
    }
}

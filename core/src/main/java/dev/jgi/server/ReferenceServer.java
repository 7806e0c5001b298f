package dev.jgi.server;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.jgi.Application;
import dev.jgi.Environ;
import dev.jgi.gateway.BodyInput;
import dev.jgi.gateway.BufferPool;
import dev.jgi.gateway.EnvironBuilder;
import dev.jgi.gateway.ErrorStream;
import dev.jgi.gateway.FileBody;
import dev.jgi.gateway.Gateway;
import dev.jgi.gateway.RequestPath;
import dev.jgi.gateway.RequestRejectedException;
import dev.jgi.gateway.ResponseRules;
import dev.jgi.gateway.Threads;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The JGI reference server: a JGI application served by the JDK's built-in
 * {@code com.sun.net.httpserver}, with no other dependency.
 *
 * <pre>{@code
 * try (ReferenceServer server = ReferenceServer.builder(app).port(8080).mount("/app").start()) {
 *     System.out.println("serving on " + server.uri());
 *     ...
 * }
 * }</pre>
 *
 * <p>Every request goes through the shared gateway of {@code dev.jgi.gateway}: the environ is built
 * by {@link EnvironBuilder} from the raw request target (so the path policy and the mount point are
 * core's, not the JDK's), and the response is produced by {@link Gateway#serve}. Requests run on a
 * virtual threads when the JVM has them (Java 21 and later; the default, see
 * {@link ServerBuilder#virtualThreads}), otherwise on a bounded pool of platform threads;
 * {@code jgi.multithread} is true, {@code jgi.multiprocess} and
 * {@code jgi.run_once} are false, {@code jgi.file_wrapper} is {@link FileBody#WRAPPER},
 * SERVER_SOFTWARE is {@value #SERVER_SOFTWARE}.
 *
 * <h2>Declared server properties (SPEC.md "Server properties")</h2>
 * <ul>
 *   <li><b>expect-continue = eager.</b> The JDK answers {@code Expect: 100-continue} with
 *       {@code 100 Continue} before any handler runs (hard-coded in {@code sun.net.httpserver.ServerImpl}),
 *       so the interim response is sent even when the application never reads {@code jgi.input}. It is
 *       sent to HTTP/1.0 requests too, which SPEC.md's {@code response.expect-continue} forbids under
 *       either value; the JDK offers no way to prevent it.</li>
 *   <li><b>options-asterisk = server.</b> {@code OPTIONS *} matches no context of the JDK server, which
 *       answers {@code 404 Not Found} with {@code Connection: close} itself; the application is not called.
 *       The asterisk form with any other method gets the same 404 (SPEC.md recommends 400).</li>
 *   <li><b>mount-point-without-slash = app.</b> A request for the mount point itself ({@code /prefix})
 *       reaches the application with PATH_INFO {@code ""}.</li>
 *   <li><b>rejects-before-app = empty-segment, only at the start of the target.</b> Every
 *       {@code %25}, {@code %2e}, {@code ..}, {@code %2F} and {@code ;} case, and an empty segment
 *       anywhere after the first ({@code /a//b}), is decided by core's path policy. But the JDK finds
 *       its context through {@link java.net.URI}, which reads a target starting with {@code //} as
 *       an authority: {@code //} alone gets 400 from the JDK, and {@code //a} or {@code //a?q} (no
 *       further slash) get 404 from the JDK, without the application; {@code //a/} and longer reach
 *       the application intact. The JDK also answers 400 itself for targets that {@code java.net.URI}
 *       cannot parse (a malformed escape {@code %zz}, a raw {@code <}), which core would refuse with
 *       400 as well, and 404 for an absolute-form target without a path ({@code http://host}) and for
 *       a target that does not start with {@code /} ({@code GET a/b}), which SPEC.md's {@code path.chars}
 *       answers with 400.</li>
 * </ul>
 *
 * <h2>Capabilities</h2>
 * <ul>
 *   <li><b>virtual-threads</b>: yes, on Java 21 or later (the default; {@link ServerBuilder#virtualThreads(boolean)})
 *       (on Java 17 the server logs a line on {@code jgi.errors} and uses the platform pool).</li>
 *   <li><b>reason-phrase</b>: no. The JDK has no API for it; the status line carries the JDK's own
 *       phrase for the code (its table, which for example says "Temporary Redirect" for 302, and
 *       is empty for codes it does not know).</li>
 *   <li><b>file-wrapper-zero-copy</b>: no. {@code jgi.file_wrapper} is offered, and file bodies are
 *       copied through a 64 KiB buffer borrowed from a pool the server owns (the JDK server takes
 *       only byte arrays).</li>
 *   <li><b>request-trailers</b>: no. The JDK's chunked decoder expects the end of the body right
 *       after the last chunk and fails at a trailer field. This server takes that failure, when it
 *       comes after the last chunk, as the end of the body: {@code jgi.input} ends normally, the
 *       trailer fields are discarded (RFC 9112 7.1.2 allows it), and the connection is closed after
 *       the response, because the rest of the trailer section is still on it and the JDK would read
 *       it as the next request. For the same reason a chunked request whose body has not been read
 *       to its end when the response starts gets {@code Connection: close}.</li>
 *   <li><b>early-hints</b>, <b>http2</b>: no.</li>
 * </ul>
 *
 * <h2>Declared deviations (SPEC.md "Deviations")</h2>
 * What the JDK does before this server's handler runs, or beneath the public
 * {@code com.sun.net.httpserver} API, and which no code here can change without reflection into
 * {@code sun.net.httpserver}:
 * <ul>
 *   <li><b>{@code protocol.expect-http10}</b>: the JDK sends {@code 100 Continue} to every request with
 *       {@code Expect: 100-continue}, HTTP/1.0 ones included, before any handler runs
 *       ({@code ServerImpl} checks no version); SPEC.md's [response.expect-continue] forbids a 100 to
 *       HTTP/1.0. By the time the handler can look at the version, the 100 is on the wire.</li>
 *   <li><b>{@code path.raw-space}</b>: the JDK splits the request line at its first two spaces, so
 *       {@code GET /a b HTTP/1.1} has the target {@code /a}; {@code getProtocol()} returns the text
 *       after the <em>last</em> space ({@code HTTP/1.1}) and the text in between ({@code b}) is kept
 *       only in the JDK's private request line. The request looks exactly like {@code GET /a HTTP/1.1},
 *       so this server cannot answer 400. (For HTTP/1.0 the JDK's own keep-alive handling would give
 *       it away, but not for HTTP/1.1.)</li>
 *   <li><b>{@code request.absolute-form-empty-path}</b> at the root mount: the JDK looks up its context
 *       by the target's path, which is empty for {@code http://host?q}; no context can be registered
 *       for an empty path (a context path must start with {@code /}), so the JDK answers
 *       {@code 404 No context found} before any handler. Under a mount prefix 404 is the JGI answer
 *       anyway.</li>
 * </ul>
 *
 * <h2>Other behaviour of the JDK server that applications may notice</h2>
 * <ul>
 *   <li>The status line is always {@code HTTP/1.1}, also in answer to an HTTP/1.0 request. On HTTP/1.0
 *       a body of unknown length is delimited by closing the connection.</li>
 *   <li>Response header names are re-cased by the JDK (first letter upper case, the rest lower case:
 *       {@code Set-cookie}), and fields with different names may be sent in any order; repeated fields
 *       keep their order.</li>
 *   <li>The JDK sets {@code Date} itself, replacing one the application sent.</li>
 *   <li>The JDK answers some malformed requests before the application: a request line it cannot
 *       parse or a header name with illegal characters (400), both Content-Length and
 *       Transfer-Encoding, or repeated Content-Length (400), a Transfer-Encoding other than exactly
 *       {@code chunked} (501). This server adds: a request target with a fragment (400), a protocol
 *       other than HTTP/1.0 and HTTP/1.1 (505).</li>
 *   <li>After an application left the request body unread, the JDK reads and discards up to 64 KiB
 *       of it to keep the connection; with more left over it closes the connection.</li>
 *   <li>Request header limits are the JDK's ({@code sun.net.httpserver.maxReqHeaders},
 *       {@code maxReqHeaderSize}).</li>
 * </ul>
 *
 * <h2>Latency: Nagle's algorithm</h2>
 * The JDK server leaves Nagle's algorithm on unless the JVM runs with
 * {@code -Dsun.net.httpserver.nodelay=true}. That property is read once, JVM-wide, when the JDK
 * server class is first initialised, so this library does not set it; set it on the command line for
 * streaming responses and request-response benchmarks. The response engine flushes every chunk as
 * soon as it is written either way.
 *
 * <h2>Stopping</h2>
 * {@link #stop(Duration)} stops accepting connections at once (new connections are refused), answers
 * a request that arrives on an already open connection with {@code 503 Service Unavailable} and
 * {@code Connection: close} without calling the application, sends {@code Connection: close} on the
 * responses still in progress, waits for them up to the grace period, then closes every connection
 * and shuts the threads down.
 */
public final class ReferenceServer implements JgiServer {

    /** The SERVER_SOFTWARE of this server. */
    public static final String SERVER_SOFTWARE = "JGI-reference/1.0";

    private static final int DEFAULT_THREADS = 32;

    private final HttpServer http;
    private final Gateway gateway;
    private final String scriptName;
    private final long bodyLimit;
    private final PrintWriter errors;
    private final ExecutorService executor;
    /** File bodies are copied through these (the JDK server has no zero-copy path). */
    private final BufferPool fileBuffers;
    private final boolean virtual;
    private final String threadPrefix;
    private final int port;
    private final URI uri;

    private final Object lock = new Object();
    private int inFlight;
    private boolean stopping;

    private final Object stopLock = new Object();
    private boolean stopped;

    private ReferenceServer(ServerBuilder.Settings b) throws IOException {
        this.scriptName = b.mount();
        this.bodyLimit = b.bodyLimit();
        this.errors = b.errors();
        this.gateway = new Gateway(b.application(), errors);
        InetSocketAddress bind = new InetSocketAddress(b.host(), b.port());
        if (bind.isUnresolved()) {
            throw new IOException("cannot resolve host " + b.host());
        }
        this.http = HttpServer.create(bind, 0);
        this.port = http.getAddress().getPort();
        this.threadPrefix = "jgi-ref-" + port;
        ExecutorService vt = b.virtualThreads() ? Threads.newVirtualThreadPerTaskExecutor() : null;
        if (b.virtualThreadsRequested() && vt == null) {
            log("virtual threads requested, but Java " + Runtime.version().feature()
                    + " has none; using a pool of " + b.threads() + " platform threads");
        }
        this.virtual = vt != null;
        this.executor = vt != null ? vt : Threads.newPlatformPool(threadPrefix, b.threads());
        this.fileBuffers = new BufferPool(64 * 1024, Math.max(1, Math.min(b.threads(), 64)));
        try {
            // without an executor the JDK runs every request on its single dispatcher thread
            http.setExecutor(executor);
            // one context at the root: the JDK matches contexts by string prefix on the decoded path,
            // so the mount point is decided by core (EnvironBuilder) from the raw path instead
            http.createContext("/", this::handle);
            this.uri = JgiServer.baseUri(http.getAddress().getAddress(), port, scriptName);
            http.start();
        } catch (RuntimeException e) {
            http.stop(0);
            executor.shutdownNow();
            throw e;
        }
    }

    /**
     * Starts configuring a server for {@code app}.
     *
     * @param app the application
     * @return the builder
     */
    public static Builder builder(Application app) {
        return new Builder(app);
    }

    /**
     * Serves {@code app} at the root on {@code 127.0.0.1:port} with the defaults of {@link Builder}.
     *
     * @param app the application
     * @param port the port, {@code 0} for any free one
     * @return the running server
     * @throws IOException if the port cannot be bound
     */
    public static ReferenceServer start(Application app, int port) throws IOException {
        return builder(app).port(port).start();
    }

    /** @return the port the server listens on */
    public int port() {
        return port;
    }

    /**
     * Returns the base URI of the application: scheme, host, port and the mount point, without a
     * trailing slash ({@code http://127.0.0.1:8080} at the root, {@code http://127.0.0.1:8080/app}
     * under {@code /app}).
     *
     * @return the URI
     */
    public URI uri() {
        return uri;
    }

    /**
     * Stops the server gracefully: refuses new connections and new requests at once, lets the
     * requests in progress finish for up to {@code grace}, then closes every connection and ends
     * the server's threads. Returns when done; a later call does nothing (a concurrent one waits
     * for the first to finish).
     *
     * @param grace how long to wait for requests in progress
     */
    public void stop(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        synchronized (stopLock) {
            if (stopped) {
                return;
            }
            stopped = true;
            synchronized (lock) {
                stopping = true;
            }
            long graceNanos = grace.isNegative() ? 0 : saturatedNanos(grace);
            // HttpServer.stop closes the listening socket at once, then waits for exchanges it counts
            // itself; an exchange this server aborted is never counted as finished, so the JDK (17
            // in particular) may wait the whole delay. It runs on a helper thread for the early
            // close, and the count that decides is ours; stop(0) below ends both.
            int jdkDelay = (int) Math.min(Integer.MAX_VALUE - 1L, TimeUnit.NANOSECONDS.toSeconds(graceNanos) + 2);
            Thread closer = new Thread(() -> http.stop(jdkDelay), threadPrefix + "-stop");
            closer.setDaemon(true);
            closer.start();
            boolean drained = awaitIdle(graceNanos);
            if (!drained) {
                int n;
                synchronized (lock) {
                    n = inFlight;
                }
                log("stop: " + n + " request(s) still running after the grace period of " + grace
                        + "; closing their connections");
            }
            http.stop(0);
            // JDK 17 polls in 200 ms sleeps until its own stop flag is set; JDK 21+ is released by stop(0)
            closer.interrupt();
            joinQuietly(closer, TimeUnit.SECONDS.toMillis(10));
            try {
                if (drained) {
                    executor.shutdown(); // only idle threads are left
                    drained = executor.awaitTermination(10, TimeUnit.SECONDS);
                }
                if (!drained) {
                    // their connections are closed; interrupt the ones blocked elsewhere
                    executor.shutdownNow();
                    if (!executor.awaitTermination(1, TimeUnit.SECONDS)) {
                        log("stop: some application threads did not end; they are daemon threads and are left running");
                    }
                }
            } catch (InterruptedException e) {
                executor.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean virtualThreads() {
        return virtual;
    }

    /** @return the name prefix of this server's own platform threads */
    String threadNamePrefix() {
        return threadPrefix;
    }

    private boolean awaitIdle(long graceNanos) {
        long deadline = System.nanoTime() + graceNanos;
        synchronized (lock) {
            while (inFlight > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return inFlight == 0;
                }
            }
            return true;
        }
    }

    /** The one HttpHandler: counts the exchange, builds the environ and runs the gateway. */
    private void handle(HttpExchange exchange) throws IOException {
        boolean accepted;
        synchronized (lock) {
            inFlight++;
            accepted = !stopping;
        }
        try {
            // a chunked body not read to its end, or ended by a trailer section, may leave bytes on
            // the connection that the JDK would read as the next request: close it after the response
            ChunkedRequestInput chunked = exchange.getRequestHeaders().getFirst("Transfer-Encoding") != null
                    ? new ChunkedRequestInput(exchange.getRequestBody()) : null;
            ExchangeChannel channel = new ExchangeChannel(exchange, () -> isStopping() || (chunked != null && !chunked.reusable()),
                    fileBuffers);
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            if (!accepted) {
                Gateway.reject(channel, 503, "the server is shutting down", head);
            } else {
                Map<String, Object> environ = null;
                try {
                    environ = environ(exchange, chunked);
                } catch (RequestRejectedException e) {
                    gateway.reject(channel, e, exchange.getRequestMethod(), exchange.getRequestURI().toString());
                } catch (RuntimeException e) {
                    // a target EnvironBuilder cannot read (IllegalArgumentException) is the client's
                    // fault, not a 500; logged in case it is a bug here instead
                    log("could not build the environ of " + exchange.getRequestMethod() + " "
                            + exchange.getRequestURI() + ": " + e);
                    Gateway.reject(channel, 400, "malformed request target", head);
                }
                if (environ != null) {
                    gateway.serve(environ, channel);
                }
            }
            if (channel.aborted()) {
                // the only way to make the JDK close the connection without ending the body
                throw new AbortedExchange();
            }
        } finally {
            synchronized (lock) {
                if (--inFlight == 0) {
                    lock.notifyAll();
                }
            }
        }
    }

    private boolean isStopping() {
        synchronized (lock) {
            return stopping;
        }
    }

    private Map<String, Object> environ(HttpExchange exchange, ChunkedRequestInput chunkedInput) throws RequestRejectedException {
        Headers headers = exchange.getRequestHeaders();
        EnvironBuilder b = new EnvironBuilder(scriptName)
                .method(exchange.getRequestMethod())
                .protocol(protocol(exchange.getProtocol()))
                .scheme("http");
        target(b, exchange.getRequestURI());
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            String name = e.getKey();
            for (String value : e.getValue()) {
                b.header(name, value);
            }
        }
        // the JDK has already refused anything but a single "chunked" and Content-Length with it
        boolean chunked = chunkedInput != null;
        long length = 0;
        String cl = headers.getFirst("Content-Length");
        if (!chunked && cl != null) {
            length = Math.max(0, ResponseRules.parseLength(cl.trim())); // an invalid one is refused by build()
        }
        InputStream input = BodyInput.of(chunked ? chunkedInput : exchange.getRequestBody(), length, chunked, bodyLimit, null);
        return b.local(exchange.getLocalAddress())
                .remote(exchange.getRemoteAddress())
                .input(input)
                .bodyLimit(bodyLimit)
                .errors(errors)
                .concurrency(true, false, false)
                .fileWrapper(FileBody.WRAPPER)
                .put(Environ.SERVER_SOFTWARE, SERVER_SOFTWARE)
                .build();
    }

    /**
     * Feeds the request target to the builder. The URI the JDK parsed keeps the target exactly as
     * received in {@code toString()}; its parts would not do, because an origin-form target that
     * starts with {@code //} parses as an authority.
     */
    private static void target(EnvironBuilder b, URI target) throws RequestRejectedException {
        if (target.getRawFragment() != null) {
            throw new RequestRejectedException(400, "a request target must not contain a fragment");
        }
        String raw = target.toString();
        if (raw.equals("*")) {
            b.asterisk(); // not reached today: the JDK answers OPTIONS * itself (no context matches)
            return;
        }
        b.target(raw);
    }

    private static String protocol(String version) throws RequestRejectedException {
        if ("HTTP/1.1".equalsIgnoreCase(version)) {
            return "HTTP/1.1";
        }
        if ("HTTP/1.0".equalsIgnoreCase(version)) {
            return "HTTP/1.0";
        }
        throw new RequestRejectedException(505, "HTTP version not supported: " + version);
    }

    private void log(String message) {
        synchronized (errors) {
            errors.println("[jgi] reference server on port " + port + ": " + message);
            errors.flush();
        }
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 2;
        }
    }

    private static void joinQuietly(Thread t, long millis) {
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Thrown out of the handler so that the JDK closes the connection; the JDK logs it at TRACE only. */
    private static final class AbortedExchange extends IOException {
        private static final long serialVersionUID = 1L;

        AbortedExchange() {
            super("response aborted; closing the connection");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // a signal, not a diagnosis: the gateway has logged the cause
        }
    }

    /**
     * Configures and starts a {@link ReferenceServer}: the options of {@link ServerBuilder}, with a
     * default of 32 platform threads.
     */
    public static final class Builder extends ServerBuilder<Builder> {

        private Builder(Application app) {
            super(app, DEFAULT_THREADS, 1);
        }

        @Override
        public ReferenceServer start() throws IOException {
            return new ReferenceServer(settings());
        }
    }
}

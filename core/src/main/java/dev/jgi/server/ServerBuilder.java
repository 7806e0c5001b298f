package dev.jgi.server;

import dev.jgi.Application;
import dev.jgi.gateway.ErrorStream;
import dev.jgi.gateway.RequestPath;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Objects;

/**
 * The options every JGI launcher shares, so that {@link ReferenceServer}, {@code JettyServer} and
 * {@code UndertowServer} are configured the same way and validate the same way. A launcher adds
 * its own server-specific options in its subclass.
 *
 * <p>Defaults: host {@code 127.0.0.1}, port 0 (a free port), mounted at the root, virtual threads
 * when the JVM has them (Java 21 and later), no request-body limit, {@code jgi.errors} to the
 * {@code dev.jgi} logger. The default number of platform threads is the launcher's own.
 *
 * @param <B> the launcher's builder type, returned by every setter
 */
public abstract class ServerBuilder<B extends ServerBuilder<B>> {

    private final Application app;
    private final int minThreads;
    private String host = "127.0.0.1";
    private int port;
    private String mount = "";
    private int threads;
    private boolean virtualThreads = true;
    private boolean virtualThreadsExplicit;
    private long bodyLimit = -1;
    private PrintWriter errors;

    /**
     * Starts a builder.
     *
     * @param app the application
     * @param defaultThreads the launcher's default platform thread count
     * @param minThreads the fewest threads the launcher can work with
     */
    protected ServerBuilder(Application app, int defaultThreads, int minThreads) {
        this.app = Objects.requireNonNull(app, "app");
        this.threads = defaultThreads;
        this.minThreads = minThreads;
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /**
     * Sets the address to listen on.
     *
     * @param host a host name or IP literal; {@code 0.0.0.0} for every interface; default {@code 127.0.0.1}
     * @return this builder
     */
    public B host(String host) {
        this.host = Objects.requireNonNull(host, "host");
        return self();
    }

    /**
     * Sets the port.
     *
     * @param port 0 to 65535; 0 (the default) picks a free port, reported by {@link JgiServer#port()}
     * @return this builder
     */
    public B port(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        this.port = port;
        return self();
    }

    /**
     * Mounts the application under a path prefix, which becomes SCRIPT_NAME; requests for paths
     * outside it get 404.
     *
     * @param prefix the decoded prefix, such as {@code "/app"}; {@code ""} or {@code "/"} for the root
     * @return this builder
     * @throws IllegalArgumentException if the prefix does not start with {@code /}
     */
    public B mount(String prefix) {
        this.mount = RequestPath.normalizeMount(prefix);
        return self();
    }

    /**
     * Sets the most platform threads that run applications at once. With virtual threads, only
     * the server's own work (accepting, selecting) uses them.
     *
     * @param threads at least the launcher's minimum
     * @return this builder
     */
    public B threads(int threads) {
        if (threads < minThreads) {
            throw new IllegalArgumentException("threads must be at least " + minThreads + ": " + threads);
        }
        this.threads = threads;
        return self();
    }

    /**
     * Runs each request on a virtual thread when the JVM has them (Java 21 and later); on an older
     * JVM the launcher logs a line and uses platform threads. Default {@code true}.
     *
     * @param use whether to use virtual threads
     * @return this builder
     */
    public B virtualThreads(boolean use) {
        this.virtualThreads = use;
        this.virtualThreadsExplicit = use;
        return self();
    }

    /**
     * Limits request bodies: a declared Content-Length over the limit gets 413 before the
     * application runs; a chunked body that grows over it makes {@code jgi.input} throw
     * {@link dev.jgi.gateway.RequestBodyTooLargeException}, answered with 413 unless the response
     * was already committed.
     *
     * @param bytes the limit, or {@code -1} (the default) for none
     * @return this builder
     */
    public B bodyLimit(long bytes) {
        if (bytes < -1) {
            throw new IllegalArgumentException("body limit must be -1 or more: " + bytes);
        }
        this.bodyLimit = bytes;
        return self();
    }

    /**
     * Sets the server log, which is also every request's {@code jgi.errors}.
     *
     * @param errors the writer; the server never closes it
     * @return this builder
     */
    public B errors(PrintWriter errors) {
        this.errors = Objects.requireNonNull(errors, "errors");
        return self();
    }

    /**
     * Binds the port and starts serving.
     *
     * @return the running server
     * @throws IOException if the address cannot be bound or the server fails to start
     */
    public abstract JgiServer start() throws IOException;

    /**
     * Returns the options as set, for the launcher's {@code start()} to hand to its server.
     *
     * @return the options
     */
    protected final Settings settings() {
        return new Settings(app, host, port, mount, threads, virtualThreads, virtualThreadsExplicit, bodyLimit,
                errors != null ? errors : ErrorStream.toDefaultLogger());
    }

    /**
     * The shared options of one launcher start.
     *
     * @param application the application
     * @param host the address to listen on
     * @param port the port to bind, 0 for any
     * @param mount the normalised mount prefix, {@code ""} for the root
     * @param threads the platform thread count (the launcher's default unless set)
     * @param virtualThreads whether to run requests on virtual threads when the JVM has them
     * @param virtualThreadsRequested whether virtual threads were asked for explicitly rather than by
     *     default: a launcher on a JVM without them says so in its log only then
     * @param bodyLimit the request-body limit, {@code -1} for none
     * @param errors the server log and {@code jgi.errors}
     */
    public record Settings(Application application, String host, int port, String mount, int threads,
            boolean virtualThreads, boolean virtualThreadsRequested, long bodyLimit, PrintWriter errors) {
    }
}

package dev.jgi.jetty;

import dev.jgi.Application;
import dev.jgi.gateway.ErrorStream;
import dev.jgi.gateway.RequestPath;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.URIUtil;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A JGI application on an embedded Jetty 12 server, started with one call:
 *
 * <pre>{@code
 * try (JettyServer server = JettyServer.builder(app).port(8080).mount("/app").start()) {
 *     System.out.println("serving on " + server.uri());
 *     ...
 * }
 * }</pre>
 *
 * <p>It assembles a {@link Server} with one HTTP/1.1 connector (one acceptor, one selector, both on
 * platform threads), a {@link QueuedThreadPool} whose blocking tasks run on virtual threads when
 * the JVM has them and they are wanted, a {@link GracefulHandler} for {@link #stop(Duration)}, and
 * a {@link ContextHandler} at the mount holding a {@link JgiHandler}. Requests outside the mount
 * are answered by core's path policy too (404, or 400 for a path it rejects), so every server
 * gives the same status.
 */
public final class JettyServer implements AutoCloseable {

    /** The default idle timeout of a connection, Jetty's own default. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

    private final Server server;
    private final ServerConnector connector;
    private final String host;
    private final String mount;
    private final boolean virtual;

    private JettyServer(Server server, ServerConnector connector, String host, String mount, boolean virtual) {
        this.server = server;
        this.connector = connector;
        this.host = host;
        this.mount = mount;
        this.virtual = virtual;
    }

    /**
     * Starts building a server for {@code app}.
     *
     * @param app the application
     * @return the builder
     */
    public static Builder builder(Application app) {
        return new Builder(app);
    }

    /**
     * Returns the URI compliance JGI needs from Jetty: Jetty's default, plus every ambiguous path
     * form and every percent-encoding problem, so that such paths reach core's path policy
     * ({@code dev.jgi.gateway.RequestPath}), which answers them as SPEC.md says ({@code %2F} and
     * encoded dot-segments 400, {@code %25} decoded once, {@code //} kept). Jetty itself still
     * rejects a fragment and user info in the target.
     *
     * @return the compliance mode
     */
    public static UriCompliance uriCompliance() {
        return UriCompliance.DEFAULT.with("JGI",
                UriCompliance.Violation.AMBIGUOUS_PATH_SEGMENT,
                UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT,
                UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
                UriCompliance.Violation.AMBIGUOUS_PATH_PARAMETER,
                UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING,
                UriCompliance.Violation.SUSPICIOUS_PATH_CHARACTERS,
                UriCompliance.Violation.BAD_UTF8_ENCODING,
                UriCompliance.Violation.TRUNCATED_UTF8_ENCODING,
                UriCompliance.Violation.BAD_PERCENT_ENCODING,
                UriCompliance.Violation.UTF16_ENCODINGS);
    }

    /**
     * Returns a new {@link HttpConfiguration} set up for JGI: {@link #uriCompliance()}, an
     * absolute-form target whose authority differs from Host accepted (the target wins, RFC 9112
     * section 3.2.2), header values passed as received (no case-folding header cache), and no
     * {@code Server} header (the application may send one). For users who build their own
     * connector around a {@link JgiHandler}.
     *
     * @return the configuration
     */
    public static HttpConfiguration httpConfiguration() {
        HttpConfiguration config = new HttpConfiguration();
        config.setUriCompliance(uriCompliance());
        // RFC 9112 3.2.2: an absolute-form target's authority wins over a different Host; Jetty
        // would answer 400 instead
        config.setHttpCompliance(config.getHttpCompliance().with("JGI", HttpCompliance.Violation.MISMATCHED_AUTHORITY));
        // Jetty's header cache matches values case-insensitively and then hands out its own
        // spelling ("charset=utf-8" for "charset=UTF-8"); JGI passes values as received
        config.setHeaderCacheCaseSensitive(true);
        config.setSendServerVersion(false);
        config.setSendXPoweredBy(false);
        return config;
    }

    /** @return the port the server listens on (the bound one when 0 was asked for) */
    public int port() {
        return connector.getLocalPort();
    }

    /** @return the base URI of the application, including the mount, without a trailing slash */
    public URI uri() {
        String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return URI.create("http://" + h + ":" + port() + URIUtil.encodePath(mount));
    }

    /** @return whether requests run on virtual threads */
    public boolean virtualThreads() {
        return virtual;
    }

    /** @return the underlying Jetty server, for inspection */
    public Server jetty() {
        return server;
    }

    /**
     * Stops gracefully: the listening socket is closed at once (new connections are refused),
     * requests that arrive on open connections are answered 503, in-flight requests may finish
     * within {@code grace}; then the remaining connections are closed and the threads stopped.
     *
     * @param grace how long in-flight requests may take
     */
    public void stop(Duration grace) {
        long ms = Math.max(1, grace.toMillis());
        server.setStopTimeout(ms);
        try {
            server.stop();
        } catch (Exception e) {
            // A graceful wait that ran out is reported as a TimeoutException; the server is
            // stopped either way, which is all a caller of stop() can act on.
            if (!isTimeout(e)) {
                ErrorStream.toDefaultLogger().println("[jgi] stopping Jetty failed: " + e);
            }
        }
    }

    private static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
            for (Throwable s : t.getSuppressed()) {
                if (isTimeout(s)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Stops with a grace of five seconds. */
    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }

    /** Configures and starts a {@link JettyServer}. */
    public static final class Builder {
        private final Application app;
        private String host = "127.0.0.1";
        private int port = 0;
        private String mount = "";
        private int threads = 200;
        private boolean virtualThreads = true;
        private long bodyLimit = -1;
        private PrintWriter errors;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;

        private Builder(Application app) {
            this.app = Objects.requireNonNull(app, "app");
        }

        /**
         * @param host the address to listen on; default {@code 127.0.0.1}
         * @return this builder
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * @param port the port; {@code 0} (the default) picks a free one, see {@link JettyServer#port()}
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * @param prefix the decoded mount prefix, the application's SCRIPT_NAME; {@code ""} or
         *     {@code "/"} (the default) mounts it at the root
         * @return this builder
         */
        public Builder mount(String prefix) {
            this.mount = RequestPath.normalizeMount(prefix);
            return this;
        }

        /**
         * @param threads the most platform threads in Jetty's pool; default 200. With virtual
         *     threads the pool still runs the acceptor and selector.
         * @return this builder
         */
        public Builder threads(int threads) {
            if (threads < 4) {
                throw new IllegalArgumentException("Jetty needs at least 4 threads, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /**
         * @param use whether requests run on virtual threads when the JVM has them (Java 21 and
         *     later); default {@code true}. On Java 17 it has no effect.
         * @return this builder
         */
        public Builder virtualThreads(boolean use) {
            this.virtualThreads = use;
            return this;
        }

        /**
         * @param limit the most request-body bytes an application may read ({@code -1}, the
         *     default, for no limit); a larger declared Content-Length is answered 413 before the
         *     application runs, a larger chunked body makes {@code jgi.input} throw
         * @return this builder
         */
        public Builder bodyLimit(long limit) {
            this.bodyLimit = limit;
            return this;
        }

        /**
         * @param errors the {@code jgi.errors} stream of every request; default the
         *     {@code dev.jgi} logger
         * @return this builder
         */
        public Builder errors(PrintWriter errors) {
            this.errors = errors;
            return this;
        }

        /**
         * @param timeout how long a connection may stay idle, also while a request is being
         *     read or written; default 30 seconds
         * @return this builder
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Starts the server.
         *
         * @return the running server
         * @throws IOException if the port cannot be bound or Jetty fails to start
         */
        public JettyServer start() throws IOException {
            QueuedThreadPool pool = new QueuedThreadPool(threads, Math.min(8, threads));
            pool.setName("jgi-jetty");
            Executor vt = virtualThreads ? VirtualThreads.getNamedVirtualThreadsExecutor("jgi-jetty-vt-") : null;
            if (vt != null) {
                // Only blocking tasks (the handler) go to virtual threads; the acceptor and the
                // selector stay on the pool's platform threads, so they never pin a carrier.
                pool.setVirtualThreadsExecutor(vt);
            }
            Server server = new Server(pool);
            ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(httpConfiguration()));
            connector.setHost(host);
            connector.setPort(port);
            connector.setIdleTimeout(idleTimeout.toMillis());
            server.addConnector(connector);

            PrintWriter err = errors != null ? errors : ErrorStream.toDefaultLogger();
            JgiHandler handler = new JgiHandler(app, bodyLimit, err);
            ContextHandler context = new ContextHandler(handler, mount.isEmpty() ? "/" : URIUtil.encodePath(mount));
            context.setAllowNullPathInContext(true);
            // Jetty matches contexts on its canonical path; core decides for everything else, so
            // a request Jetty did not route still gets core's 400 or 404 (or the application, if
            // core's policy places it under the mount after all).
            Handler outside = new JgiHandler(app, bodyLimit, err, mount);
            server.setHandler(new GracefulHandler(new Handler.Sequence(context, outside)));
            server.setStopTimeout(5000);
            try {
                server.start();
            } catch (Exception e) {
                try {
                    server.stop();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e instanceof IOException ? (IOException) e : new IOException("Jetty failed to start: " + e, e);
            }
            return new JettyServer(server, connector, host, mount, vt != null);
        }
    }
}

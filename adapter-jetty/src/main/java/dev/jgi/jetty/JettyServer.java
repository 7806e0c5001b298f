package dev.jgi.jetty;

import dev.jgi.Application;
import dev.jgi.server.JgiServer;
import dev.jgi.server.ServerBuilder;
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
public final class JettyServer implements JgiServer {

    /** The default idle timeout of a connection, Jetty's own default. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

    private final Server server;
    private final ServerConnector connector;
    private final String mount;
    private final boolean virtual;

    private JettyServer(Server server, ServerConnector connector, String mount, boolean virtual) {
        this.server = server;
        this.connector = connector;
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

    @Override
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public URI uri() {
        java.net.InetAddress bound;
        try {
            bound = java.net.InetAddress.getByName(connector.getHost());
        } catch (java.net.UnknownHostException e) {
            bound = java.net.InetAddress.getLoopbackAddress();
        }
        return JgiServer.baseUri(bound, port(), mount);
    }

    @Override
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
    @Override
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

    /**
     * Configures and starts a {@link JettyServer}: the options of {@link ServerBuilder} (whose
     * {@code threads} bound Jetty's {@code QueuedThreadPool}, 200 by default, at least 4), plus the
     * connection idle timeout.
     */
    public static final class Builder extends ServerBuilder<Builder> {
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;

        private Builder(Application app) {
            super(app, 200, 4);
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

        @Override
        public JettyServer start() throws IOException {
            ServerBuilder.Settings o = settings();
            int threads = o.threads();
            QueuedThreadPool pool = new QueuedThreadPool(threads, Math.min(8, threads));
            pool.setName("jgi-jetty");
            Executor vt = o.virtualThreads() ? VirtualThreads.getNamedVirtualThreadsExecutor("jgi-jetty-vt-") : null;
            if (vt != null) {
                // Only blocking tasks (the handler) go to virtual threads; the acceptor and the
                // selector stay on the pool's platform threads, so they never pin a carrier.
                pool.setVirtualThreadsExecutor(vt);
            }
            Server server = new Server(pool);
            ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(httpConfiguration()));
            connector.setHost(o.host());
            connector.setPort(o.port());
            connector.setIdleTimeout(idleTimeout.toMillis());
            server.addConnector(connector);

            PrintWriter err = o.errors();
            String mount = o.mount();
            JgiHandler handler = new JgiHandler(o.application(), o.bodyLimit(), err);
            ContextHandler context = new ContextHandler(handler, mount.isEmpty() ? "/" : URIUtil.encodePath(mount));
            context.setAllowNullPathInContext(true);
            // Jetty matches contexts on its canonical path; core decides for everything else, so
            // a request Jetty did not route still gets core's 400 or 404 (or the application, if
            // core's policy places it under the mount after all).
            Handler outside = new JgiHandler(o.application(), o.bodyLimit(), err, mount);
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
            return new JettyServer(server, connector, mount, vt != null);
        }
    }
}

package dev.jgi.server;

import dev.jgi.util.Urls;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;

/**
 * A running JGI server, as every launcher returns it ({@link ReferenceServer}, and the Jetty and
 * Undertow adapters' {@code JettyServer} and {@code UndertowServer}): where it listens, and a
 * graceful stop.
 */
public interface JgiServer extends AutoCloseable {

    /** The grace period {@link #close()} gives in-flight requests. */
    Duration DEFAULT_GRACE = Duration.ofSeconds(5);

    /** @return the port the server listens on (the bound one when port 0 was asked for) */
    int port();

    /** @return the base URI of the application, including the mount, without a trailing slash */
    URI uri();

    /** @return whether requests run on virtual threads */
    boolean virtualThreads();

    /**
     * Stops gracefully: new connections are refused at once, requests already running may finish
     * within {@code grace}, then everything is closed. Calling it again does nothing.
     *
     * @param grace how long in-flight requests may take
     */
    void stop(Duration grace);

    /** Stops with {@link #DEFAULT_GRACE}. */
    @Override
    default void close() {
        stop(DEFAULT_GRACE);
    }

    /**
     * Builds a launcher's base URI: {@code http://host:port/mount}, with the wildcard address
     * replaced by the loopback address, an IPv6 literal in brackets and the mount percent-encoded.
     *
     * @param bound the address the server is bound to
     * @param port the bound port
     * @param mount the decoded mount prefix, {@code ""} for the root
     * @return the URI
     */
    static URI baseUri(InetAddress bound, int port, String mount) {
        InetAddress a = bound.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : bound;
        String host = dev.jgi.gateway.EnvironBuilder.formatAddress(a);
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + port + Urls.encodePath(mount));
    }
}

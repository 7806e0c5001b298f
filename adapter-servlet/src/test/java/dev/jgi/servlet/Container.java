package dev.jgi.servlet;

import dev.jgi.conformance.http.HttpConnection;
import jakarta.servlet.Servlet;
import java.io.IOException;
import java.net.URI;

/**
 * A real servlet container started for a test on a loopback port: embedded Tomcat 11 or Jetty 12
 * ee11. {@link #start} mounts one servlet at a context path and URL pattern, configured the way
 * the module README recommends (100-continue on read, no context-root redirect, path checks left
 * to JGI's own path policy where the container allows it).
 */
abstract class Container implements AutoCloseable {

    /** Which container. */
    enum Kind { TOMCAT, JETTY }

    /** @return the port it listens on */
    abstract int port();

    /** @return a short name for reports */
    abstract String name();

    /** @return {@code http://127.0.0.1:port} */
    URI root() {
        return URI.create("http://127.0.0.1:" + port());
    }

    @Override
    public abstract void close() throws Exception;

    /**
     * Opens a raw HTTP/1.1 connection to a container on the loopback interface, for what the JDK
     * client hides: the exact status line, interim 1xx responses, body framing, and whether a body
     * was cut off. Requests written by hand name their own Host.
     *
     * @param port the container's port
     * @return the connection
     * @throws IOException if it cannot connect
     */
    static HttpConnection connect(int port) throws IOException {
        return HttpConnection.open("127.0.0.1", port, "127.0.0.1:" + port, "servlet test", null, 20_000);
    }

    /**
     * Starts a container.
     *
     * @param kind which one
     * @param servlet the servlet
     * @param contextPath {@code ""} or {@code /ctx}
     * @param pattern the URL pattern, such as {@code /*} or {@code /app/*}
     * @return the running container
     * @throws Exception if it does not start
     */
    static Container start(Kind kind, Servlet servlet, String contextPath, String pattern) throws Exception {
        return kind == Kind.TOMCAT ? TomcatContainer.start(servlet, contextPath, pattern) : JettyContainer.start(servlet, contextPath, pattern);
    }
}

package dev.jgi.bench.server.jetty;

import dev.jgi.bench.server.BenchServer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The one Jetty 12 server assembly every Jetty variant (core and ee11 servlet, native and JGI)
 * uses: a {@link QueuedThreadPool} of {@link BenchServer#WORKER_THREADS} threads, one connector with
 * one acceptor and one selector, Date sent (server-cached), no Server or X-Powered-By header. Only
 * the handler differs between variants.
 */
public abstract class JettyBase implements BenchServer {

    private Server server;

    /** Creates the variant. */
    protected JettyBase() {
    }

    /**
     * @return the handler this variant serves with
     * @throws Exception if it cannot be built
     */
    protected abstract Handler handler() throws Exception;

    /**
     * Builds the server with the shared settings around a handler.
     *
     * @param host the address
     * @param port the port
     * @param handler the handler
     * @return the (not yet started) server and its connector
     */
    public static Server assemble(String host, int port, Handler handler) {
        QueuedThreadPool pool = new QueuedThreadPool(WORKER_THREADS, 8);
        pool.setName("bench-jetty");
        Server server = new Server(pool);
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendXPoweredBy(false);
        config.setSendDateHeader(true);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(config));
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(handler);
        return server;
    }

    @Override
    public int start(String host, int port) throws Exception {
        server = assemble(host, port, handler());
        server.start();
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    @Override
    public void close() throws Exception {
        if (server != null) {
            server.stop();
        }
    }
}

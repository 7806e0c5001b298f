package dev.jgi.servlet;

import jakarta.servlet.Servlet;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Embedded Jetty 12 with the ee11 servlet layer and one programmatically added servlet. */
final class JettyContainer extends Container {
    private final Server server;
    private final ServerConnector connector;

    private JettyContainer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    static JettyContainer start(Servlet servlet, String contextPath, String pattern) throws Exception {
        Server server = newServer();
        ServletContextHandler ctx = new ServletContextHandler(contextPath.isEmpty() ? "/" : contextPath);
        configureContext(ctx);
        ServletHolder h = new ServletHolder("jgi", servlet);
        h.setAsyncSupported(true);
        h.setInitOrder(1);
        ctx.addServlet(h, pattern);
        server.setHandler(ctx);
        server.start();
        return new JettyContainer(server, (ServerConnector) server.getConnectors()[0]);
    }

    /**
     * Jetty's default URI compliance, plus the two ambiguities JGI's path policy defines an answer
     * for ({@code //} kept, {@code %25} decoded once); Jetty still answers 400 itself for an encoded
     * dot-segment or slash, as JGI would.
     */
    static final UriCompliance URI_COMPLIANCE = UriCompliance.DEFAULT.with("JGI",
            UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT, UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING);

    /** The types Jetty's encoding.properties gives an inferred charset. */
    static final String[] INFERRED_CHARSET_TYPES = {"text/html", "text/plain", "text/xml", "application/xhtml+xml"};

    /** A server with one loopback connector on a free port, configured as the README recommends. */
    static Server newServer() {
        QueuedThreadPool pool = new QueuedThreadPool(200, 8);
        pool.setName("jetty");
        Server server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setUriCompliance(URI_COMPLIANCE);
        http.setSendServerVersion(false);
        // Jetty's parser otherwise hands out a cached field for a known header value matched without
        // regard to case, so "charset=UTF-8" reaches the application as "charset=utf-8"
        http.setHeaderCacheCaseSensitive(true);
        ServerConnector c = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        c.setHost("127.0.0.1");
        c.setPort(0);
        server.addConnector(c);
        return server;
    }

    /** The context settings the README recommends for JGI. */
    static void configureContext(ServletContextHandler ctx) {
        ctx.setAllowNullPathInContext(true); // "/ctx" reaches the app (PATH_INFO "") instead of a 301
        ctx.getServletHandler().setDecodeAmbiguousURIs(true);
        // Jetty appends ";charset=..." to text/plain, text/html, text/xml and application/xhtml+xml
        // responses that name none ("inferred" charsets); JGI sends the application's Content-Type as is
        for (String type : INFERRED_CHARSET_TYPES) {
            ctx.getMimeTypes().addInferred(type, null);
        }
    }

    Server server() {
        return server;
    }

    @Override
    int port() {
        return connector.getLocalPort();
    }

    @Override
    String name() {
        return "jetty-servlet";
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}

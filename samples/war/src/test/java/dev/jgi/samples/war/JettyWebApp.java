package dev.jgi.samples.war;

import java.nio.file.Path;
import org.eclipse.jetty.ee11.webapp.WebAppContext;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Jetty 12 serving the WAR file through its ee11 {@link WebAppContext}, without the annotations
 * module: only {@code web.xml} (and the WAR's {@code WEB-INF/jetty-ee11-web.xml}) configure the
 * application. The server-level settings are the ones the adapter README recommends for a Jetty
 * install ({@code jetty.httpConfig.uriCompliance}).
 */
final class JettyWebApp implements AutoCloseable {

    /** Jetty's default URI compliance plus the two ambiguities JGI's path policy answers itself. */
    static final UriCompliance URI_COMPLIANCE = UriCompliance.DEFAULT.with("JGI",
            UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT, UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING);

    private final Server server;
    private final ServerConnector connector;
    private final WebAppContext context;

    private JettyWebApp(Server server, ServerConnector connector, WebAppContext context) {
        this.server = server;
        this.connector = connector;
        this.context = context;
    }

    WebAppContext context() {
        return context;
    }

    static JettyWebApp start(Path war, String contextPath, Path tmp) throws Exception {
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setUriCompliance(URI_COMPLIANCE);
        http.setSendServerVersion(false);
        http.setHeaderCacheCaseSensitive(true); // header values reach the application exactly as sent
        ServerConnector c = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        c.setHost("127.0.0.1");
        c.setPort(0);
        server.addConnector(c);
        WebAppContext ctx = new WebAppContext();
        ctx.setWar(war.toString());
        ctx.setContextPath(contextPath);
        ctx.setTempDirectory(tmp.toFile());
        ctx.setThrowUnavailableOnStartupException(true);
        server.setHandler(ctx);
        server.start();
        return new JettyWebApp(server, c, ctx);
    }

    int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}

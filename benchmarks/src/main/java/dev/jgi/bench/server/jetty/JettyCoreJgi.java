package dev.jgi.bench.server.jetty;

import dev.jgi.bench.app.BenchApp;
import dev.jgi.jetty.JgiHandler;
import org.eclipse.jetty.server.Handler;

/**
 * Jetty 12 core with the JGI adapter's {@link JgiHandler} (blocking invocation type) as the
 * server's handler, on the same server assembly as the native variants ({@link JettyBase}). (The
 * adapter's one-call launcher, {@code JettyServer}, adds a ContextHandler and a GracefulHandler in
 * front; that is the user's choice of deployment, not the adapter's per-request cost, so it is left
 * out here.)
 */
public final class JettyCoreJgi extends JettyBase {

    /** Creates the variant. */
    public JettyCoreJgi() {
    }

    @Override
    protected Handler handler() {
        return new JgiHandler(BenchApp.fromSystemProperty());
    }
}

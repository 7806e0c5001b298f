package dev.jgi.bench.server.undertow;

import dev.jgi.bench.app.BenchApp;
import dev.jgi.undertow.JgiHandler;
import io.undertow.server.HttpHandler;

/**
 * Undertow 2.4 with the JGI adapter's {@link JgiHandler} (dispatch to Undertow's worker pool) as
 * the root handler, on the same assembly as the native variants ({@link UndertowBase}).
 */
public final class UndertowJgi extends UndertowBase {

    /** Creates the variant. */
    public UndertowJgi() {
    }

    @Override
    protected HttpHandler handler() {
        // Undertow's worker pool, as BlockingHandler uses (no virtual threads)
        return JgiHandler.builder(BenchApp.fromSystemProperty()).virtualThreads(false).build();
    }
}

package dev.jgi.bench.server.jdk;

import dev.jgi.bench.app.BenchApp;
import dev.jgi.bench.server.BenchServer;
import dev.jgi.server.ReferenceServer;
import java.io.IOException;
import java.time.Duration;

/**
 * The JGI reference server ({@link ReferenceServer}, the JDK HttpServer under core's gateway) with
 * {@link #WORKER_THREADS} platform threads, serving {@link BenchApp}.
 */
public final class JdkJgi implements BenchServer {

    private ReferenceServer server;

    /** Creates the variant. */
    public JdkJgi() {
    }

    @Override
    public int start(String host, int port) throws IOException {
        // platform threads, as the native handler's pool (virtual threads are the launcher's default on Java 21+)
        server = ReferenceServer.builder(BenchApp.fromSystemProperty()).host(host).port(port).threads(WORKER_THREADS)
                .virtualThreads(false).start();
        return server.port();
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(Duration.ZERO);
        }
    }
}

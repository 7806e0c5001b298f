package dev.jgi.bench.server.undertow;

import dev.jgi.bench.server.BenchServer;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import java.net.InetSocketAddress;

/**
 * The one Undertow 2.4 assembly every Undertow variant uses: {@code Undertow.builder()} with one IO
 * thread (the server JVM has one CPU), {@link BenchServer#WORKER_THREADS} worker threads,
 * Undertow's default buffers, no {@code Connection: keep-alive} header on every response (as the
 * TechEmpower entry sets it), URL decoding off and no entity size cap (what the JGI adapter's
 * launcher sets, so both sides run the same server). Only the root handler differs.
 */
public abstract class UndertowBase implements BenchServer {

    private Undertow server;

    /** Creates the variant. */
    protected UndertowBase() {
    }

    /**
     * @return the root handler of this variant
     */
    protected abstract HttpHandler handler();

    @Override
    public int start(String host, int port) {
        server = Undertow.builder()
                .setIoThreads(1)
                .setWorkerThreads(WORKER_THREADS)
                .setServerOption(UndertowOptions.ALWAYS_SET_KEEP_ALIVE, false)
                .setServerOption(UndertowOptions.DECODE_URL, false)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, 0L)
                .addHttpListener(port, host)
                .setHandler(handler())
                .build();
        server.start();
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop();
        }
    }
}

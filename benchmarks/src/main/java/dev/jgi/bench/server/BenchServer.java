package dev.jgi.bench.server;

/**
 * One server variant of the benchmark: a server with either its native handler or a JGI adapter
 * serving the five workloads of {@link dev.jgi.bench.app.Payloads}. Every variant of one server
 * assembles the server with exactly the same settings (threads, connector, options); only the
 * handler differs.
 */
public interface BenchServer extends AutoCloseable {

    /** Worker threads of every blocking variant (platform threads; the server JVM has one CPU). */
    int WORKER_THREADS = 16;

    /**
     * Starts serving.
     *
     * @param host the address to bind
     * @param port the port, 0 for any
     * @return the bound port
     * @throws Exception if the server cannot start
     */
    int start(String host, int port) throws Exception;

    /**
     * Stops the server at once.
     *
     * @throws Exception if stopping failed
     */
    @Override
    void close() throws Exception;
}

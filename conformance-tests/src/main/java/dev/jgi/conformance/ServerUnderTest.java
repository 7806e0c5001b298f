package dev.jgi.conformance;

import dev.jgi.Application;
import java.io.IOException;
import java.net.URI;
import java.util.Objects;

/**
 * The one thing a server author implements to run the conformance suite in-process: start the
 * server hosting a given application at a given mount prefix, say where it listens, stop it.
 *
 * <pre>{@code
 * public final class MyServerUnderTest implements ServerUnderTest {
 *     public String name() { return "my-server"; }
 *     public Declaration declaration() {
 *         return Declaration.builder().capability(Capability.REASON_PHRASE).build();
 *     }
 *     public Running start(Application app, String mount) throws Exception {
 *         MyServer s = MyServer.builder(app).port(0).mount(mount).start();
 *         return Running.of(s.uri(), s::close);
 *     }
 * }
 * }</pre>
 *
 * <p>Then one test class: {@code class MyServerConformanceTest extends ConformanceSuite { protected
 * ServerUnderTest server() { return new MyServerUnderTest(); } }}.
 */
public interface ServerUnderTest {

    /**
     * @return a short readable name, unique among the servers that share a report directory, for
     *     example {@code "jetty-core"} or {@code "jetty-core (virtual threads)"}; the result files
     *     are named after it with every character other than letters, digits and {@code -._}
     *     replaced by {@code _}
     */
    String name();

    /** @return the capabilities and server properties this server declares */
    Declaration declaration();

    /**
     * Starts the server on a free loopback port, hosting {@code app} at {@code mount}. The suite
     * calls it once per mount and closes the result when done.
     *
     * @param app the application to host, unchanged
     * @param mount the mount prefix: {@code ""} for the root, else starting with {@code /} and not
     *     ending with one, for example {@code "/mnt/app"}
     * @return the running server
     * @throws Exception if the server did not start
     */
    Running start(Application app, String mount) throws Exception;

    /** A started server; closing it stops the server and releases its port and threads. */
    interface Running extends AutoCloseable {

        /**
         * @return the base URI of the application: scheme, host, port and the mount prefix
         *     (percent-encoded), without a trailing slash, for example {@code http://127.0.0.1:41234/mnt/app}
         */
        URI baseUri();

        /**
         * Stops the server.
         *
         * @throws IOException if stopping failed
         */
        @Override
        void close() throws IOException;

        /**
         * Returns the server's log so far: what it wrote on {@code jgi.errors} and its own
         * records. Optional; the case for SPEC.md [server.log] needs it and is reported as not
         * declared without it.
         *
         * @return the log text, or {@code null} if the server does not make it available
         */
        default String log() {
            return null;
        }

        /**
         * Returns a running server that also makes its log available.
         *
         * @param log supplies the log text so far
         * @return the running server
         */
        default Running withLog(java.util.function.Supplier<String> log) {
            Running self = this;
            return new Running() {
                @Override
                public URI baseUri() {
                    return self.baseUri();
                }

                @Override
                public void close() throws IOException {
                    self.close();
                }

                @Override
                public String log() {
                    return log.get();
                }
            };
        }

        /**
         * Wraps a base URI and a stop action.
         *
         * @param baseUri the base URI, as {@link #baseUri()} describes
         * @param stop what stops the server
         * @return the running server
         */
        static Running of(URI baseUri, AutoCloseable stop) {
            Objects.requireNonNull(baseUri, "baseUri");
            Objects.requireNonNull(stop, "stop");
            return new Running() {
                @Override
                public URI baseUri() {
                    return baseUri;
                }

                @Override
                public void close() throws IOException {
                    try {
                        stop.close();
                    } catch (IOException | RuntimeException e) {
                        throw e;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while stopping the server", e);
                    } catch (Exception e) {
                        throw new IOException("stopping the server failed: " + e, e);
                    }
                }
            };
        }
    }

    /**
     * Functional form of {@link #start}, for {@link #of}.
     */
    @FunctionalInterface
    interface Starter {
        /**
         * Starts the server.
         *
         * @param app the application
         * @param mount the mount prefix
         * @return the running server
         * @throws Exception if the server did not start
         */
        Running start(Application app, String mount) throws Exception;
    }

    /**
     * Builds a server under test from its parts.
     *
     * @param name the server name
     * @param declaration its declaration
     * @param starter how to start it
     * @return the server under test
     */
    static ServerUnderTest of(String name, Declaration declaration, Starter starter) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(declaration, "declaration");
        Objects.requireNonNull(starter, "starter");
        return new ServerUnderTest() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Declaration declaration() {
                return declaration;
            }

            @Override
            public Running start(Application app, String mount) throws Exception {
                return starter.start(app, mount);
            }
        };
    }
}

package dev.jgi.conformance;

import dev.jgi.server.ReferenceServer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Hosts the conformance application on the reference server until the process is stopped: the
 * {@code --command} for trying the black-box runner, and the one its tests use.
 *
 * <pre>
 * java -cp jgi-conformance-tests-VERSION-cli.jar dev.jgi.conformance.ServeReference --port 8080 --mount /mnt/app
 * </pre>
 *
 * <p>Options: {@code --port N} (default 8080, 0 for any), {@code --mount PREFIX} (default the root),
 * {@code --host ADDRESS} (default 127.0.0.1), {@code --virtual-threads}; {@code --option=value} works
 * too, which keeps an empty mount ({@code --mount=}) intact through a shell. It prints the base URI
 * on standard output once it listens, and stops gracefully on SIGTERM or Ctrl-C.
 * The server runs with the request-body limit of {@link ReferenceServerUnderTest#BODY_LIMIT} (8 MiB), as
 * in-process. {@code --print-declaration} prints the reference server's declaration (with
 * {@code --virtual-threads}: as run on virtual threads) in the properties format of
 * {@code --declarations}, deviations included, and exits.
 */
public final class ServeReference {

    private ServeReference() {
    }

    /**
     * Starts the server and waits until the JVM is told to stop.
     *
     * @param args the options above
     * @throws Exception if the server cannot start
     */
    public static void main(String[] args) throws Exception {
        int port = 8080;
        String mount = "";
        String host = "127.0.0.1";
        boolean virtual = false;
        boolean print = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = null;
            int eq = a.indexOf('=');
            if (eq > 0) {
                v = a.substring(eq + 1);
                a = a.substring(0, eq);
            } else if (!a.equals("--virtual-threads") && !a.equals("--print-declaration")) {
                // a shell drops an empty argument, so "--mount" last means the root
                v = i + 1 < args.length && !args[i + 1].startsWith("--") ? args[++i] : "";
            }
            switch (a) {
                case "--port": port = Integer.parseInt(v); break;
                case "--mount": mount = v; break;
                case "--host": host = v; break;
                case "--virtual-threads": virtual = true; break;
                case "--print-declaration": print = true; break;
                default:
                    System.err.println("usage: ServeReference [--port N] [--mount PREFIX] [--host ADDRESS] [--virtual-threads]"
                            + " [--print-declaration] (also --option=value)");
                    System.exit(2);
            }
        }
        if (print) {
            boolean vt = virtual && dev.jgi.gateway.Threads.virtualThreadsAvailable();
            ReferenceServerUnderTest.declaration(vt).toProperties().store(System.out, "the JGI reference server");
            System.out.flush();
            return;
        }
        ReferenceServer server = ReferenceServerUnderTest.start(ConformanceApp.create(), host, port, mount, virtual);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(Duration.ofSeconds(2));
            stopped.countDown();
        }, "jgi-serve-reference-stop"));
        System.out.println("JGI conformance application on the reference server: " + server.uri());
        System.out.flush();
        stopped.await();
    }
}

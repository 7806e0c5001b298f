package dev.jgi.samples;

import dev.jgi.server.ReferenceServer;
import dev.jgi.validate.Validator;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the demo on the zero-dependency reference server: {@code /} says hello, {@code /environ}
 * dumps the environ as JSON. The application is wrapped in the validator, so any protocol
 * mistake shows up at once.
 *
 * <p>System properties: {@code demo.port} (default 8080, 0 for any free port),
 * {@code demo.host} (default 127.0.0.1), {@code demo.mount} (default none).
 */
public final class Demo {

    private Demo() {
    }

    /**
     * Starts the demo and serves until the JVM is stopped (Ctrl-C).
     *
     * @param args ignored
     * @throws Exception if the server cannot start
     */
    public static void main(String[] args) throws Exception {
        int port = Integer.getInteger("demo.port", 8080);
        String host = System.getProperty("demo.host", "127.0.0.1");
        String mount = System.getProperty("demo.mount", "");
        ReferenceServer server = ReferenceServer.builder(Validator.wrap(new DemoApp()))
                .host(host).port(port).mount(mount).start();
        System.out.println("JGI demo on the reference server:");
        System.out.println("  " + server.uri() + "/          hello");
        System.out.println("  " + server.uri() + "/environ   the environ as JSON");
        System.out.println("Press Ctrl-C to stop.");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "jgi-demo-stop"));
        stopped.await();
    }
}

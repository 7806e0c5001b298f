package dev.jgi.samples.war;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real standalone Tomcat 11 from the distribution tarball, run as its own process: a private
 * CATALINA_BASE under {@code target/}, a free loopback port, the shutdown port disabled,
 * started in the foreground with {@code catalina.sh run} and stopped with SIGTERM.
 *
 * <p>Only the connector's port and address are changed in the shipped {@code server.xml}: what a
 * WAR brings (its {@code web.xml}, {@code META-INF/context.xml}) is all the configuration the JGI
 * deployment gets, as for a user dropping the WAR into an existing Tomcat.
 */
final class StandaloneTomcat implements AutoCloseable {

    private final Process process;
    private final Path base;
    private final int port;

    private StandaloneTomcat(Process process, Path base, int port) {
        this.process = process;
        this.base = base;
        this.port = port;
    }

    /**
     * Creates a CATALINA_BASE, lets {@code deploy} put web applications into its {@code webapps/},
     * starts Tomcat and waits until {@code readyPath} answers.
     *
     * @param home CATALINA_HOME, the unpacked distribution
     * @param base the CATALINA_BASE to create (deleted first if it exists)
     * @param deploy fills the webapps directory
     * @param readyPath a path that answers (any status but 404) once the deployment is done
     * @return the running server
     * @throws Exception if it does not start within two minutes
     */
    static StandaloneTomcat start(Path home, Path base, IoConsumer<Path> deploy, String readyPath) throws Exception {
        if (!Files.isExecutable(home.resolve("bin/catalina.sh"))) {
            throw new IllegalStateException("no Tomcat distribution at " + home + " (run the build through mvn verify)");
        }
        deleteTree(base);
        for (String d : new String[] {"conf", "webapps", "logs", "temp", "work"}) {
            Files.createDirectories(base.resolve(d));
        }
        try (Stream<Path> conf = Files.list(home.resolve("conf"))) {
            for (Path f : (Iterable<Path>) conf::iterator) {
                if (Files.isRegularFile(f)) {
                    Files.copy(f, base.resolve("conf").resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        int port = freePort();
        Path serverXml = base.resolve("conf/server.xml");
        String xml = Files.readString(serverXml, StandardCharsets.UTF_8);
        String edited = xml.replace("<Server port=\"8005\"", "<Server port=\"-1\"")
                .replace("<Connector port=\"8080\"", "<Connector port=\"" + port + "\" address=\"127.0.0.1\"");
        if (edited.equals(xml) || !edited.contains("port=\"" + port + "\"")) {
            throw new IllegalStateException("server.xml of " + home + " does not have the expected shipped connector");
        }
        Files.writeString(serverXml, edited, StandardCharsets.UTF_8);
        deploy.accept(base.resolve("webapps"));

        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/catalina.sh").toString(), "run")
                .redirectErrorStream(true)
                .redirectOutput(base.resolve("logs/catalina.out").toFile());
        Map<String, String> env = pb.environment();
        env.put("CATALINA_HOME", home.toString());
        env.put("CATALINA_BASE", base.toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.remove("JAVA_OPTS");
        env.remove("CATALINA_OPTS");
        Process p = pb.start();
        StandaloneTomcat t = new StandaloneTomcat(p, base, port);
        try {
            t.awaitReady(readyPath, Duration.ofMinutes(2));
        } catch (Exception e) {
            t.close();
            throw new IllegalStateException(e.getMessage() + "\n--- catalina.out ---\n" + t.log(), e);
        }
        return t;
    }

    private void awaitReady(String path, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI uri = URI.create("http://127.0.0.1:" + port + path);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Tomcat exited with " + process.exitValue() + " before it was ready");
            }
            try {
                HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
                c.setConnectTimeout(1000);
                c.setReadTimeout(5000);
                int status = c.getResponseCode();
                c.disconnect();
                if (status != 404) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Tomcat did not answer " + uri + " within " + timeout);
            }
            Thread.sleep(200);
        }
    }

    int port() {
        return port;
    }

    /** @return the console log file (catalina.out) */
    Path logFile() {
        return base.resolve("logs/catalina.out");
    }

    /** @return the process's console log so far */
    String log() {
        try {
            return Files.readString(base.resolve("logs/catalina.out"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops Tomcat with SIGTERM (its shutdown hook stops it cleanly) and waits for the process. */
    @Override
    public void close() throws Exception {
        process.destroy(); // SIGTERM to the JVM: catalina.sh run execs java, so this is Tomcat itself
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("Tomcat did not stop within 60 s of SIGTERM");
        }
    }

    /** @return the exit code, once stopped */
    int exitValue() {
        return process.exitValue();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(q);
            }
        }
    }

    /** A step that may throw I/O exceptions. */
    @FunctionalInterface
    interface IoConsumer<T> {
        void accept(T t) throws IOException;
    }
}

package dev.jgi.servlet;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.Environ;
import dev.jgi.Header;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;

/**
 * The server side of the mode measurement in the README (not a test): embedded Tomcat or Jetty
 * hosting {@code /hello} (14 bytes, one chunk) and {@code /stream} (10 MiB as 160 chunks of
 * 64 KiB, unknown length, so chunked), in blocking or async mode, until the process is killed.
 *
 * <pre>
 * java -cp ... dev.jgi.servlet.BenchServer tomcat|jetty blocking|async
 * </pre>
 */
public final class BenchServer {

    private BenchServer() {
    }

    static final byte[] HELLO = "Hello, world!\n".getBytes(StandardCharsets.UTF_8);
    static final byte[] CHUNK = new byte[64 * 1024];
    static final List<Header> TEXT = List.of(Header.of("Content-Type", "text/plain"));
    static final List<Header> BINARY = List.of(Header.of("Content-Type", "application/octet-stream"));

    /** hello and a 10 MiB stream. */
    static final Application APP = (env, sr) -> {
        if (Environ.of(env).pathInfo().equals("/stream")) {
            sr.start("200 OK", BINARY);
            return Body.from(Collections.nCopies(160, CHUNK), null);
        }
        sr.start("200 OK", TEXT);
        return Body.of(HELLO);
    };

    /**
     * Starts the server and prints its port.
     *
     * @param args container ({@code tomcat} or {@code jetty}) and mode ({@code blocking} or {@code async})
     * @throws Exception if it does not start
     */
    public static void main(String[] args) throws Exception {
        Container.Kind kind = Container.Kind.valueOf(args[0].toUpperCase());
        JgiServlet.Mode mode = JgiServlet.Mode.valueOf(args[1].toUpperCase());
        Container c = Container.start(kind, new JgiServlet(APP).mode(mode), "", "/*");
        System.out.println("PORT " + c.port() + " " + kind + " " + mode + " java " + Runtime.version());
        System.out.flush();
        Thread.currentThread().join();
    }
}

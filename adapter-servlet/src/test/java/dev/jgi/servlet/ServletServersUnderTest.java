package dev.jgi.servlet;

import dev.jgi.Application;
import dev.jgi.conformance.Capability;
import dev.jgi.conformance.Declaration;
import dev.jgi.conformance.ServerUnderTest;
import dev.jgi.gateway.ErrorStream;
import dev.jgi.gateway.Threads;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The servlet adapter on embedded Tomcat and Jetty, as the conformance suite's servers under test:
 * the mount is the context path, the servlet is mapped at {@code /*}, and the containers are
 * configured as the README recommends.
 */
final class ServletServersUnderTest {

    private ServletServersUnderTest() {
    }

    /**
     * What both containers declare as the tests configure them: 100-continue on read (Tomcat's
     * connector setting), the container answers OPTIONS * and an encoded slash itself, the mount
     * point reaches the application. Async mode runs the application on virtual threads when the
     * JVM has them.
     */
    static Declaration declaration(JgiServlet.Mode mode) {
        Declaration.Builder b = Declaration.builder()
                .expectContinue(Declaration.ExpectContinue.ON_READ)
                .optionsAsterisk(Declaration.OptionsAsterisk.SERVER)
                .mountPointWithoutSlash(Declaration.MountPointWithoutSlash.APP)
                .rejectsBeforeApp(Declaration.EarlyReject.ENCODED_SLASH);
        if (mode == JgiServlet.Mode.ASYNC && Threads.virtualThreadsAvailable()) {
            b.capability(Capability.VIRTUAL_THREADS);
        }
        return b.build();
    }

    /**
     * Cases the containers fail for reasons the adapter cannot reach through the Servlet API,
     * reported as failed in every report (see the module README).
     */
    static Map<String, String> knownDeviations(Container.Kind kind) {
        Map<String, String> m = new LinkedHashMap<>();
        String absolute = kind == Container.Kind.TOMCAT
                ? "Tomcat 11 answers 400 to an absolute-form target whose authority differs from Host (no setting allows it)"
                : "Jetty answers 400 \"Authority!=Host\" to an absolute-form target whose authority differs from Host"
                        + " (HttpCompliance MISMATCHED_AUTHORITY), and the Servlet API does not tell the adapter the target's authority";
        m.put("request.absolute-form", absolute);
        m.put("request.absolute-form-empty-path", absolute);
        m.put("environ-diff.absolute-form", absolute);
        if (kind == Container.Kind.TOMCAT) {
            m.put("response.304", "Tomcat removes the application's Content-Length from a 304 response");
        } else {
            m.put("protocol.expect-http10", "Jetty sends 100 Continue to an HTTP/1.0 request with Expect: 100-continue when the application reads");
        }
        return m;
    }

    static ServerUnderTest server(Container.Kind kind, JgiServlet.Mode mode) {
        String name = "servlet-" + (kind == Container.Kind.TOMCAT ? "tomcat" : "jetty") + "-embedded"
                + (mode == JgiServlet.Mode.ASYNC ? "-async" : "");
        return ServerUnderTest.of(name, declaration(mode), (app, mount) -> start(kind, mode, app, mount));
    }

    static ServerUnderTest.Running start(Container.Kind kind, JgiServlet.Mode mode, Application app, String mount) throws Exception {
        StringWriter log = new StringWriter();
        PrintWriter errors = new PrintWriter(new Tee(log, ErrorStream.toDefaultLogger()), true);
        Container c = Container.start(kind, new JgiServlet(app).mode(mode).errors(errors), mount, "/*");
        URI base = URI.create("http://127.0.0.1:" + c.port() + mount);
        return ServerUnderTest.Running.of(base, c::close).withLog(() -> {
            synchronized (log) {
                return log.toString();
            }
        });
    }

    /** Writes to a buffer (the suite reads it as the server log) and to the standard jgi.errors. */
    private static final class Tee extends Writer {
        private final StringWriter buffer;
        private final PrintWriter next;

        Tee(StringWriter buffer, PrintWriter next) {
            this.buffer = buffer;
            this.next = next;
        }

        @Override
        public void write(char[] cbuf, int off, int len) {
            synchronized (buffer) {
                buffer.write(cbuf, off, len);
            }
            next.write(cbuf, off, len);
        }

        @Override
        public void flush() {
            next.flush();
        }

        @Override
        public void close() {
            next.flush();
        }
    }
}

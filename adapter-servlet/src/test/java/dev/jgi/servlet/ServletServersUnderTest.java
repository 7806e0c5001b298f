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

/**
 * The servlet adapter on embedded Tomcat and Jetty, as the conformance suite's servers under test:
 * the mount is the context path, the servlet is mapped at {@code /*}, and the containers are
 * configured as the README recommends.
 */
final class ServletServersUnderTest {

    private ServletServersUnderTest() {
    }

    /**
     * Why Jetty's servlet layer fails {@code protocol.expect-http10}: found in Jetty 12.1's
     * {@code org.eclipse.jetty.ee11.servlet.ServletApiRequest.getInputStream()}.
     */
    static final String JETTY_CONTINUE_HTTP10 = "Jetty 12.1's ee11 ServletApiRequest.getInputStream() sends 100 Continue"
            + " (Response.writeInterim) on its first call whenever the request carries Expect: 100-continue, without"
            + " looking at the protocol version, so an HTTP/1.0 request gets a 100 when the application first reads jgi.input;"
            + " the Servlet API has no other way to read the request body, and SPEC.md [response.expect-continue] forbids"
            + " a 100 to HTTP/1.0";

    /**
     * What a container declares as the tests configure it: 100-continue on read (Tomcat's
     * connector setting), the container answers OPTIONS * and an encoded slash itself, the mount
     * point reaches the application, and the container answers 400 itself to an absolute-form
     * target whose authority differs from Host (Tomcat 11 with no setting to allow it; Jetty with
     * "Authority!=Host", HttpCompliance MISMATCHED_AUTHORITY, and even if that were allowed, the
     * Servlet API does not give the adapter the target's authority). Async mode runs the
     * application on virtual threads when the JVM has them. Jetty has one deviation,
     * {@link #JETTY_CONTINUE_HTTP10}; Tomcat none.
     */
    static Declaration declaration(Container.Kind kind, JgiServlet.Mode mode) {
        Declaration.Builder b = Declaration.builder()
                .expectContinue(Declaration.ExpectContinue.ON_READ)
                .optionsAsterisk(Declaration.OptionsAsterisk.SERVER)
                .mountPointWithoutSlash(Declaration.MountPointWithoutSlash.APP)
                .rejectsBeforeApp(Declaration.EarlyReject.ENCODED_SLASH, Declaration.EarlyReject.ABSOLUTE_FORM_HOST_MISMATCH)
            // file bodies go out as mapped windows (FileWrapperOnContainersTest proves it)
            .capability(Capability.FILE_WRAPPER_ZERO_COPY);
        if (mode == JgiServlet.Mode.ASYNC && Threads.virtualThreadsAvailable()) {
            b.capability(Capability.VIRTUAL_THREADS);
        }
        if (kind == Container.Kind.JETTY) {
            b.deviation("protocol.expect-http10", JETTY_CONTINUE_HTTP10);
        }
        return b.build();
    }

    /** @return the report name, for example {@code tomcat-embedded (servlet, async)} */
    static String name(Container.Kind kind, JgiServlet.Mode mode) {
        return (kind == Container.Kind.TOMCAT ? "tomcat" : "jetty") + "-embedded (servlet"
                + (mode == JgiServlet.Mode.ASYNC ? ", async" : "") + ")";
    }

    static ServerUnderTest server(Container.Kind kind, JgiServlet.Mode mode) {
        return ServerUnderTest.of(name(kind, mode), declaration(kind, mode), (app, mount) -> start(kind, mode, app, mount));
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

package dev.jgi.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.Body;
import dev.jgi.Header;
import dev.jgi.conformance.http.HttpConnection;
import dev.jgi.conformance.http.Response;
import dev.jgi.gateway.Threads;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three ways to mount an application, on real containers: a {@code web.xml} servlet
 * declaration, the {@link JgiInitializer} (context parameter or service entry), and
 * {@link JgiServlet#register}. Tomcat deploys exploded web applications through its full
 * deployment path (web.xml parsing, ServletContainerInitializer discovery); Jetty's plain servlet
 * context runs the initializer when it is added.
 */
class RegistrationTest {

    @TempDir
    Path tmp;
    Tomcat tomcat;

    @BeforeEach
    void startTomcat() throws Exception {
        tomcat = new Tomcat();
        tomcat.setBaseDir(tmp.resolve("base").toString());
        Files.createDirectories(tmp.resolve("base/webapps"));
        tomcat.getConnector().setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        tomcat.setAddDefaultWebXmlToWebapp(false);
    }

    @AfterEach
    void stopTomcat() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }

    static final String HEAD = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"6.1\">\n";

    /** Writes an exploded web application: WEB-INF/web.xml, and optional extra files. */
    Path webapp(String name, String webXmlBody, String... extraFiles) throws Exception {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir.resolve("WEB-INF"));
        Files.writeString(dir.resolve("WEB-INF/web.xml"), HEAD + webXmlBody + "</web-app>\n");
        for (int i = 0; i < extraFiles.length; i += 2) {
            Path f = dir.resolve(extraFiles[i]);
            Files.createDirectories(f.getParent());
            Files.writeString(f, extraFiles[i + 1]);
        }
        return dir;
    }

    Context deploy(String path, Path dir) throws Exception {
        Context c = tomcat.addWebapp(path, dir.toString());
        tomcat.start();
        return c;
    }

    String get(int port, String target) throws Exception {
        try (HttpConnection http = Container.connect(port)) {
            Response r = http.sendRaw("GET " + target + " HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n").readResponse("GET");
            return r.status() + " " + r.text();
        }
    }

    int port() {
        return tomcat.getConnector().getLocalPort();
    }

    @Test
    void webXmlServletDeclarationWithInitParam() throws Exception {
        deploy("/reg", webapp("a", "<servlet><servlet-name>app</servlet-name>"
                + "<servlet-class>dev.jgi.servlet.JgiServlet</servlet-class>"
                + "<init-param><param-name>dev.jgi.application</param-name><param-value>" + SampleApps.Hello.class.getName() + "</param-value></init-param>"
                + "<load-on-startup>1</load-on-startup><async-supported>true</async-supported></servlet>"
                + "<servlet-mapping><servlet-name>app</servlet-name><url-pattern>/api/*</url-pattern></servlet-mapping>"
                // a context-param too: the initializer must not mount a second copy next to the declared servlet
                + "<context-param><param-name>dev.jgi.application</param-name><param-value>" + SampleApps.Factory.class.getName() + "</param-value></context-param>"));
        assertEquals("200 hello /reg/api|/x/y", get(port(), "/reg/api/x/y"));
        assertEquals(404, Integer.parseInt(get(port(), "/reg/other").substring(0, 3)), "nothing mounted at /* next to the declared servlet");
    }

    @Test
    void initializerWithContextParam() throws Exception {
        deploy("/reg", webapp("b", "<context-param><param-name>dev.jgi.application</param-name><param-value>"
                + SampleApps.TwoFactories.class.getName() + "#first</param-value></context-param>"));
        assertEquals("200 first /reg|/x", get(port(), "/reg/x"));
        assertEquals("200 first /reg|", get(port(), "/reg"), "the context root reaches the application, no redirect");
    }

    @Test
    void initializerWithMappingAndModeParams() throws Exception {
        deploy("/reg", webapp("c", "<context-param><param-name>dev.jgi.application</param-name><param-value>"
                + ThreadReporter.class.getName() + "</param-value></context-param>"
                + "<context-param><param-name>dev.jgi.mapping</param-name><param-value>/api/*</param-value></context-param>"
                + "<context-param><param-name>dev.jgi.mode</param-name><param-value>async</param-value></context-param>"));
        String r = get(port(), "/reg/api/t");
        assertTrue(r.startsWith("200 /reg/api|/t "), r);
        String thread = r.substring(r.lastIndexOf(' ') + 1);
        assertTrue(thread.startsWith("jgi-servlet-") || thread.equals("virtual"), "async mode runs the app on the servlet's executor: " + thread);
    }

    @Test
    void initializerWithServiceEntry() throws Exception {
        deploy("/reg", webapp("d", "", "WEB-INF/classes/META-INF/services/dev.jgi.Application", SampleApps.Hello.class.getName() + "\n"));
        assertEquals("200 hello /reg|/z", get(port(), "/reg/z"));
    }

    @Test
    void nothingNamedNothingMounted() throws Exception {
        Context c = deploy("/reg", webapp("e", ""));
        assertEquals(LifecycleState.STARTED, c.getState());
        assertEquals(404, Integer.parseInt(get(port(), "/reg/z").substring(0, 3)));
    }

    @Test
    void aMissingClassFailsTheDeployment() throws Exception {
        Context c = deploy("/reg", webapp("f", "<context-param><param-name>dev.jgi.application</param-name>"
                + "<param-value>com.example.DoesNotExist</param-value></context-param>"));
        assertNotEquals(LifecycleState.STARTED, c.getState(), "a deployment naming a missing class must not start");
    }

    @Test
    void programmaticRegisterOnTomcat() throws Exception {
        Context ctx = tomcat.addContext("/prog", tmp.toString());
        ctx.addServletContainerInitializer((classes, sc) -> JgiServlet.register(sc, "hello", new SampleApps.Hello(), "/h/*"), null);
        tomcat.start();
        assertEquals("200 hello /prog/h|/1", get(port(), "/prog/h/1"));
    }

    @Test
    void initializerAndRegisterOnJetty() throws Exception {
        Server server = JettyContainer.newServer();
        ServletContextHandler viaParam = new ServletContextHandler("/param");
        viaParam.setInitParameter(JgiServlet.APPLICATION_PARAM, SampleApps.Hello.class.getName());
        viaParam.addServletContainerInitializer(new JgiInitializer());
        ServletContextHandler viaCode = new ServletContextHandler("/code");
        viaCode.addServletContainerInitializer((classes, sc) -> JgiServlet.register(sc, "f", SampleApps.Factory.create(), "/f/*"));
        server.setHandler(new org.eclipse.jetty.server.handler.ContextHandlerCollection(viaParam, viaCode));
        server.start();
        try {
            int port = ((org.eclipse.jetty.server.ServerConnector) server.getConnectors()[0]).getLocalPort();
            assertEquals("200 hello /param|/a", get(port, "/param/a"));
            assertEquals("200 factory /code/f|/b", get(port, "/code/f/b"));
        } finally {
            server.stop();
        }
    }

    /** Reports SCRIPT_NAME, PATH_INFO and what kind of thread runs it. */
    public static final class ThreadReporter implements dev.jgi.Application {
        /** Creates it. */
        public ThreadReporter() {
        }

        @Override
        public Body call(java.util.Map<String, Object> env, dev.jgi.StartResponse sr) {
            Thread t = Thread.currentThread();
            String kind = Threads.isVirtual(t) ? "virtual" : t.getName();
            sr.start("200 OK", List.of(Header.of("Content-Type", "text/plain")));
            return Body.of((env.get("SCRIPT_NAME") + "|" + env.get("PATH_INFO") + " " + kind).getBytes(StandardCharsets.UTF_8));
        }
    }
}

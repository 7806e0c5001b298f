package dev.jgi.samples.war;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sample WAR in a real standalone Tomcat 11 (the distribution from Maven Central), plus a
 * second web application that has no servlet declaration at all: only a context parameter naming
 * the application, mounted by the adapter's ServletContainerInitializer from its jar in
 * {@code WEB-INF/lib}.
 */
class StandaloneTomcatIT extends WarChecks {

    static StandaloneTomcat tomcat;

    @BeforeAll
    static void start() throws Exception {
        Path home = Path.of(System.getProperty("jgi.tomcat.home", "target/tomcat/apache-tomcat"));
        tomcat = StandaloneTomcat.start(home, work().resolve("tomcat-base"), webapps -> {
            Files.copy(war(), webapps.resolve("jgi-samples.war"), StandardCopyOption.REPLACE_EXISTING);
            initializerOnlyWebapp(webapps.resolve("sci"));
        }, CTX + "/hello");
    }

    /** An exploded web application: the WAR's jars, and a web.xml with only a context parameter. */
    static void initializerOnlyWebapp(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("WEB-INF/lib"));
        Files.writeString(dir.resolve("WEB-INF/web.xml"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"6.1\">\n"
                + "  <context-param><param-name>dev.jgi.application</param-name>"
                + "<param-value>dev.jgi.samples.HelloApp</param-value></context-param>\n"
                + "</web-app>\n");
        try (ZipFile zip = new ZipFile(war().toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                if (e.getName().startsWith("WEB-INF/lib/") && e.getName().endsWith(".jar")) {
                    try (InputStream in = zip.getInputStream(e)) {
                        Files.copy(in, dir.resolve(e.getName()), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (tomcat == null) {
            return;
        }
        tomcat.close();
        String log = tomcat.log();
        assertTrue(log.contains("Destroying ProtocolHandler"), "Tomcat stopped cleanly on SIGTERM:\n" + log);
        assertEquals(143, tomcat.exitValue(), "the JVM ended through SIGTERM");
    }

    @Override
    int port() {
        return tomcat.port();
    }

    @Test
    void initializerMountsAnApplicationNamedByAContextParameter() throws Exception {
        Http r = Http.exchange(port(), "GET /sci/anything HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertEquals(200, r.status, () -> tomcat.log());
        assertEquals("Hello, world!\n", r.body);
    }

    /**
     * The black-box conformance run against the WAR on the stock Tomcat. Declared: 100-continue is
     * sent before the application runs (the shipped connector's continueResponseTiming), Tomcat
     * answers OPTIONS * and an encoded slash itself. The failures are Tomcat's and listed exactly.
     */
    @Test
    void conformanceSuiteBlackBox() throws Exception {
        Set<String> failed = runConformance(port(), "servlet-tomcat-standalone-war",
                "--property", "expect-continue=eager", "--property", "options-asterisk=server",
                "--property", "mount-point-without-slash=app", "--property", "rejects-before-app=encoded-slash",
                "--server-log", tomcat.logFile().toString());
        assertEquals(KNOWN_FAILURES, failed, "the stock Tomcat's failures (README, \"Differences\")");
    }

    /**
     * Tomcat-only failures with the shipped server.xml: absolute-form targets with another host are
     * refused, the application's Content-Length on a 304 is removed, and request headers over 8 KiB
     * (the suite sends response bodies in headers) are refused unless maxHttpRequestHeaderSize is raised.
     */
    static final Set<String> KNOWN_FAILURES = new java.util.TreeSet<>(java.util.List.of(
            "request.absolute-form", "request.absolute-form-empty-path", "environ-diff.absolute-form", "response.304",
            "response.content-length-declared"));

    @Test
    void statusLineHasNoReasonPhrase() throws Exception {
        Http r = Http.exchange(port(), "GET " + CTX + "/hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertEquals("HTTP/1.1 200 ", r.statusLine, "Tomcat sends no reason phrase: a declared difference");
    }
}

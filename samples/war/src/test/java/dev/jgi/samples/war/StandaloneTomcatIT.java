package dev.jgi.samples.war;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.conformance.Capability;
import dev.jgi.conformance.Declaration;
import dev.jgi.conformance.http.Response;
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
        Response r = exchange(port(), "GET /sci/anything HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertEquals(200, r.status(), () -> tomcat.log());
        assertEquals("Hello, world!\n", r.text());
    }

    /**
     * What the stock Tomcat declares with the shipped server.xml: 100-continue is sent before the
     * application runs (the connector's default continueResponseTiming), Tomcat answers OPTIONS *
     * and an encoded slash itself, and it answers 400 to an absolute-form target whose authority
     * differs from Host (Tomcat 11 has no setting to allow it). No deviation: the default 8 KiB
     * request-header limit is enough for the suite, and a 304 without the application's
     * Content-Length is allowed.
     */
    static final Declaration DECLARATION = Declaration.builder()
            .expectContinue(Declaration.ExpectContinue.EAGER)
            .optionsAsterisk(Declaration.OptionsAsterisk.SERVER)
            .mountPointWithoutSlash(Declaration.MountPointWithoutSlash.APP)
            .rejectsBeforeApp(Declaration.EarlyReject.ENCODED_SLASH, Declaration.EarlyReject.ABSOLUTE_FORM_HOST_MISMATCH)
            // file bodies go out as mapped windows (FileWrapperOnContainersTest proves it)
            .capability(Capability.FILE_WRAPPER_ZERO_COPY)
            .build();

    /** The black-box conformance run against the WAR on the stock Tomcat: no failure, no deviation. */
    @Test
    void conformanceSuiteBlackBox() throws Exception {
        Set<String> deviations = runConformance(port(), "tomcat-standalone (WAR)", DECLARATION,
                "--server-log", tomcat.logFile().toString());
        assertEquals(Set.of(), deviations);
    }

    @Test
    void statusLineHasNoReasonPhrase() throws Exception {
        Response r = exchange(port(), "GET " + CTX + "/hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertEquals("HTTP/1.1 200 ", r.head().statusLine(), "Tomcat sends no reason phrase: a declared difference");
    }
}

package dev.jgi.samples.war;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.conformance.Capability;
import dev.jgi.conformance.Declaration;
import dev.jgi.conformance.http.Response;
import java.nio.file.Files;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The same WAR file in Jetty 12's ee11 WebAppContext: one WAR, two containers. */
class JettyWebAppIT extends WarChecks {

    static JettyWebApp jetty;

    @BeforeAll
    static void start() throws Exception {
        java.nio.file.Path tmp = work().resolve("jetty-tmp");
        StandaloneTomcat.deleteTree(tmp);
        Files.createDirectories(tmp);
        jetty = JettyWebApp.start(war(), CTX, tmp);
    }

    @AfterAll
    static void stop() throws Exception {
        if (jetty != null) {
            jetty.close();
        }
    }

    @Override
    int port() {
        return jetty.port();
    }

    @Test
    void theWarsJettyDescriptorSwitchedOffInferredCharsets() {
        for (String type : new String[] {"text/plain", "text/html", "text/xml", "application/xhtml+xml"}) {
            assertNull(jetty.context().getMimeTypes().getInferredCharsetName(type), type);
        }
        assertTrue(jetty.context().getAllowNullPathInContext());
    }

    /**
     * What Jetty's WebAppContext declares, configured as {@link JettyWebApp} does: 100-continue on
     * read, Jetty answers OPTIONS * and an encoded slash itself, and it answers 400
     * "Authority!=Host" to an absolute-form target whose authority differs from Host (HttpCompliance
     * MISMATCHED_AUTHORITY). One deviation, the servlet layer's 100 Continue to HTTP/1.0, with the
     * reason found in Jetty's code.
     */
    static final Declaration DECLARATION = Declaration.builder()
            .expectContinue(Declaration.ExpectContinue.ON_READ)
            .optionsAsterisk(Declaration.OptionsAsterisk.SERVER)
            .mountPointWithoutSlash(Declaration.MountPointWithoutSlash.APP)
            .rejectsBeforeApp(Declaration.EarlyReject.ENCODED_SLASH, Declaration.EarlyReject.ABSOLUTE_FORM_HOST_MISMATCH)
            // file bodies go out as mapped windows (FileWrapperOnContainersTest proves it)
            .capability(Capability.FILE_WRAPPER_ZERO_COPY)
            .deviation("protocol.expect-http10", "Jetty 12.1's ee11 ServletApiRequest.getInputStream() sends 100 Continue"
                    + " (Response.writeInterim) on its first call whenever the request carries Expect: 100-continue, without"
                    + " looking at the protocol version, so an HTTP/1.0 request gets a 100 when the application first reads"
                    + " jgi.input; the Servlet API has no other way to read the request body, and SPEC.md"
                    + " [response.expect-continue] forbids a 100 to HTTP/1.0")
            .build();

    /** The black-box conformance run against the same WAR on Jetty: no failure, the one declared deviation. */
    @Test
    void conformanceSuiteBlackBox() throws Exception {
        Set<String> deviations = runConformance(port(), "jetty-webapp (WAR)", DECLARATION);
        assertEquals(Set.of("protocol.expect-http10"), deviations);
    }

    @Test
    void statusLineHasTheReasonPhrase() throws Exception {
        Response r = exchange(port(), "GET " + CTX + "/hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertEquals("HTTP/1.1 200 OK", r.head().statusLine());
    }
}

package dev.jgi.samples.war;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
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

    /** The black-box conformance run against the same WAR on Jetty. */
    @Test
    void conformanceSuiteBlackBox() throws Exception {
        Set<String> failed = runConformance(port(), "servlet-jetty-webapp-war",
                "--property", "expect-continue=on-read", "--property", "options-asterisk=server",
                "--property", "mount-point-without-slash=app", "--property", "rejects-before-app=encoded-slash");
        assertEquals(new TreeSet<>(List.of("request.absolute-form", "request.absolute-form-empty-path",
                "environ-diff.absolute-form", "protocol.expect-http10")), failed, "Jetty's failures (README, \"Differences\")");
    }

    @Test
    void statusLineHasTheReasonPhrase() throws Exception {
        Http r = Http.exchange(port(), "GET " + CTX + "/hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertEquals("HTTP/1.1 200 OK", r.statusLine);
    }
}

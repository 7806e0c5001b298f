package dev.jgi.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.Application;
import dev.jgi.Body;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The launcher itself: ports, base URI, failure to bind, validation of its options. */
class JettyServerTest {

    static final Application HELLO = (environ, start) -> {
        start.start("200 OK", List.of());
        return Body.ofUtf8("hello " + environ.get("SCRIPT_NAME") + "|" + environ.get("PATH_INFO"));
    };

    @Test
    void portZeroIsReportedAndUriIncludesTheMount() throws Exception {
        try (JettyServer server = TestSupport.server(HELLO).port(0).mount("/m").start()) {
            assertTrue(server.port() > 0);
            assertEquals(URI.create("http://127.0.0.1:" + server.port() + "/m"), server.uri());
            assertEquals("hello /m|", TestSupport.get(server.uri()).body());
            assertEquals("hello /m|/x", TestSupport.get(URI.create(server.uri() + "/x")).body());
        }
    }

    @Test
    void rootMountUriHasNoTrailingSlash() throws Exception {
        try (JettyServer server = TestSupport.server(HELLO).mount("/").start()) {
            assertEquals(URI.create("http://127.0.0.1:" + server.port()), server.uri());
            assertEquals("hello |/", TestSupport.get(URI.create(server.uri() + "/")).body());
        }
    }

    @Test
    void busyPortFailsWithIOExceptionAndReleasesEverything() throws Exception {
        try (JettyServer first = TestSupport.server(HELLO).start()) {
            IOException e = assertThrows(IOException.class, () -> TestSupport.server(HELLO).port(first.port()).start());
            assertTrue(String.valueOf(e.getMessage()).length() > 0);
            // the first server is unaffected
            assertEquals(200, TestSupport.get(first.uri()).statusCode());
        }
    }

    @Test
    void invalidOptionsAreRefusedEarly() {
        assertThrows(IllegalArgumentException.class, () -> JettyServer.builder(HELLO).port(70000));
        assertThrows(IllegalArgumentException.class, () -> JettyServer.builder(HELLO).mount("no-slash"));
        assertThrows(IllegalArgumentException.class, () -> JettyServer.builder(HELLO).threads(1));
        assertThrows(NullPointerException.class, () -> JettyServer.builder(null));
    }
}

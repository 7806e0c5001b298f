package dev.jgi.testing;

import static org.junit.jupiter.api.Assertions.*;

import dev.jgi.*;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The example of TestClient's class javadoc, verbatim, so that the documentation stays true. */
class TestClientExampleTest {
    // echoes the request body, and says hello on GET
    static final Application APP = (environ, startResponse) -> {
        Environ env = Environ.of(environ);
        if (env.method().equals("GET")) {
            startResponse.start("200 OK", List.of(Header.of("Content-Type", "text/plain")));
            return Body.ofUtf8("hello " + env.pathInfo());
        }
        byte[] in = env.input().readAllBytes();
        startResponse.start("201 Created", List.of(Header.of("Content-Type", "application/octet-stream")));
        return Body.of(in);
    };

    final TestClient client = TestClient.builder(APP).mount("/api").build();

    @Test
    void get() {
        TestResponse r = client.get("/api/caf%C3%A9?x=1");
        assertEquals(200, r.status());
        assertEquals("text/plain", r.header("content-type"));
        assertEquals("hello /café", r.text());
        assertEquals(12, r.contentLength());             // computed: one-chunk body
        assertEquals("/api", r.environ().get("SCRIPT_NAME"));
        assertEquals("x=1", r.environ().get("QUERY_STRING"));
    }

    @Test
    void chunkedUploadWithExpectContinue() {
        TestResponse r = client.request("PUT", "/api/echo")
                .header("Content-Type", "application/octet-stream")
                .body(new byte[] {1, 2, 3}).chunked().expectContinue()
                .send();
        assertEquals(201, r.status());
        assertTrue(r.continueSent());                     // the app read jgi.input
        assertArrayEquals(new byte[] {1, 2, 3}, r.body());
        assertEquals(List.of("continue", "headers", "chunk:3", "close", "finish"), r.events());
    }

    @Test
    void encodedSlashIsRejectedBeforeTheApp() {
        TestResponse r = client.get("/api/a%2Fb");
        assertEquals(400, r.status());
        assertNull(r.environ());
    }
}

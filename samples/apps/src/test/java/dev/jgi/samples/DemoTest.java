package dev.jgi.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.server.ReferenceServer;
import dev.jgi.validate.Validator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The demo apps, served the way the README's demo command serves them, over real HTTP. */
class DemoTest {

    private static ReferenceServer server;
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() throws Exception {
        server = ReferenceServer.builder(Validator.wrap(new DemoApp())).port(0).mount("/demo").start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(server.uri() + path)).header("X-Sample", "a, b").build();
        return CLIENT.send(req, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void helloAtTheRoot() throws Exception {
        HttpResponse<String> r = get("/");
        assertEquals(200, r.statusCode());
        assertEquals("Hello, world!\n", r.body());
        assertEquals("text/plain; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
        assertEquals("14", r.headers().firstValue("Content-Length").orElse(""), "one-chunk body gets a computed Content-Length");
    }

    @Test
    void environDumpShowsTheDecodedPathAndTheRawTarget() throws Exception {
        HttpResponse<String> r = get("/environ/caf%C3%A9?x=1+2");
        assertEquals(200, r.statusCode());
        String json = r.body();
        assertTrue(json.contains("\"PATH_INFO\": \"/environ/caf\u00e9\""), json);
        assertTrue(json.contains("\"SCRIPT_NAME\": \"/demo\""), json);
        assertTrue(json.contains("\"QUERY_STRING\": \"x=1+2\""), json);
        assertTrue(json.contains("\"REQUEST_URI\": \"/demo/environ/caf%C3%A9?x=1+2\""), json);
        assertTrue(json.contains("\"HTTP_X_SAMPLE\": \"a, b\""), json);
        assertTrue(json.contains("\"jgi.version\": \"1.0\""), json);
        assertTrue(!json.contains("jgi.input"), "non-String values are left out: " + json);
    }

    @Test
    void jsonEscapesControlAndQuoteCharacters() {
        String json = EnvironDumpApp.toJson(new java.util.TreeMap<>(java.util.Map.of("k\"", "a\\b\n\u0001")));
        assertEquals("{\n  \"k\\\"\": \"a\\\\b\\n\\u0001\"\n}\n", json);
    }
}

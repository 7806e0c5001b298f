package dev.jgi.server;

import static dev.jgi.server.ServerFixture.DUMP;
import static dev.jgi.server.ServerFixture.parseDump;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.Application;
import dev.jgi.Covers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The environ this server builds, over real HTTP: keys, values, headers, targets, mount point. */
class ReferenceServerEnvironTest {

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(20))
            .build();

    private static Map<String, String> dump(RawHttp.Response r) {
        assertEquals(200, r.status, r::toString);
        return parseDump(r.text());
    }

    @Test
    @Covers({"environ.type", "environ.required", "environ.cgi-string", "environ.method", "environ.script-name",
        "environ.path-info", "environ.query-string", "environ.server", "environ.protocol", "environ.remote-addr",
        "environ.request-uri", "environ.url-scheme", "environ.version", "environ.jgi-types", "environ.header-key",
        "input.terminated", "thread.multithread"})
    void everyRequiredKeyWithItsValueOverHttpClient() throws Exception {
        ReferenceServer server = fixture.start(DUMP);
        HttpResponse<String> resp = CLIENT.send(HttpRequest.newBuilder(URI.create(server.uri() + "/a/b?x=1+2&y=%2F"))
                .header("X-Custom", "v1").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, resp.statusCode());
        Map<String, String> env = parseDump(resp.body());
        assertEquals("java.util.HashMap", env.get("environ.class"));
        assertEquals("GET", env.get("REQUEST_METHOD"));
        assertEquals("", env.get("SCRIPT_NAME"));
        assertEquals("/a/b", env.get("PATH_INFO"));
        assertEquals("x=1+2&y=%2F", env.get("QUERY_STRING"));
        assertEquals("/a/b?x=1+2&y=%2F", env.get("REQUEST_URI"));
        assertEquals("127.0.0.1", env.get("SERVER_NAME"));
        assertEquals(Integer.toString(server.port()), env.get("SERVER_PORT"));
        assertEquals("HTTP/1.1", env.get("SERVER_PROTOCOL"));
        assertEquals("127.0.0.1", env.get("REMOTE_ADDR"));
        assertTrue(env.get("REMOTE_PORT").matches("[1-9][0-9]*"), env.get("REMOTE_PORT"));
        assertEquals(ReferenceServer.SERVER_SOFTWARE, env.get("SERVER_SOFTWARE"));
        assertEquals("v1", env.get("HTTP_X_CUSTOM"));
        assertEquals("127.0.0.1:" + server.port(), env.get("HTTP_HOST"));
        assertEquals("1.0", env.get("jgi.version"));
        assertEquals("http", env.get("jgi.url_scheme"));
        assertEquals("#InputStream", env.get("jgi.input"));
        assertEquals("#PrintWriter", env.get("jgi.errors"));
        assertEquals("#FileWrapper", env.get("jgi.file_wrapper"));
        assertEquals("true", env.get("jgi.multithread"));
        assertEquals("false", env.get("jgi.multiprocess"));
        assertEquals("false", env.get("jgi.run_once"));
        assertEquals("true", env.get("jgi.input_terminated"));
        assertFalse(env.containsKey("CONTENT_TYPE"), "no Content-Type header, no CONTENT_TYPE");
        // (no CONTENT_LENGTH check here: JDK 17's HttpClient sends "Content-Length: 0" on a GET, JDK-8283544)
        for (String key : env.keySet()) {
            if (!key.contains(".")) {
                assertFalse(env.get(key).startsWith("#"), key + " must be a String");
            }
            if (key.startsWith("HTTP_")) {
                assertTrue(key.matches("HTTP_[A-Z0-9_]+"), key);
            }
        }
    }

    @Test
    @Covers({"environ.no-http-content", "environ.content-length"})
    void contentTypeAndLengthAreCgiKeysNotHttpKeys() throws Exception {
        ReferenceServer server = fixture.start(DUMP);
        Map<String, String> env = dump(RawHttp.exchange(server.port(), "POST /p HTTP/1.1\r\nHost: h\r\n"
                + "Content-Type: text/plain\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"));
        assertEquals("POST", env.get("REQUEST_METHOD"));
        assertEquals("text/plain", env.get("CONTENT_TYPE"));
        assertEquals("5", env.get("CONTENT_LENGTH"));
        assertFalse(env.containsKey("HTTP_CONTENT_TYPE"));
        assertFalse(env.containsKey("HTTP_CONTENT_LENGTH"));

        Map<String, String> get = dump(RawHttp.get(server.port(), "/g"));
        assertFalse(get.containsKey("CONTENT_TYPE"), "no Content-Type header, no CONTENT_TYPE");
        assertFalse(get.containsKey("CONTENT_LENGTH"), "no Content-Length header, no CONTENT_LENGTH");
    }

    @Test
    @Covers("headers.transfer-encoding")
    void chunkedRequestHasNoContentLengthAndNoTransferEncoding() throws Exception {
        ReferenceServer server = fixture.start(DUMP);
        Map<String, String> env = dump(RawHttp.exchange(server.port(), "POST /p HTTP/1.1\r\nHost: h\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n"));
        assertFalse(env.containsKey("CONTENT_LENGTH"));
        assertFalse(env.containsKey("HTTP_TRANSFER_ENCODING"));
    }

    @Test
    @Covers({"headers.join", "headers.cookie-join"})
    void repeatedHeadersAreJoinedInArrivalOrderAndCookiesWithSemicolons() throws Exception {
        ReferenceServer server = fixture.start(DUMP);
        Map<String, String> env = dump(RawHttp.exchange(server.port(), "GET / HTTP/1.1\r\nHost: h\r\n"
                + "X-Multi: first\r\nCookie: a=1\r\nX-Multi: second, third\r\nCookie: b=2\r\nX-Multi: fourth\r\n"
                + "Connection: close\r\n\r\n"));
        assertEquals("first, second, third, fourth", env.get("HTTP_X_MULTI"));
        assertEquals("a=1; b=2", env.get("HTTP_COOKIE"));
    }

    @Test
    @Covers({"headers.underscore", "environ.header-key"})
    void headerNamesWithUnderscoreAreDroppedNotMerged() throws Exception {
        ReferenceServer server = fixture.start(DUMP);
        Map<String, String> env = dump(RawHttp.exchange(server.port(), "GET / HTTP/1.1\r\nHost: h\r\n"
                + "X_Forwarded_For: 6.6.6.6\r\nX-Forwarded-For: 10.0.0.1\r\nX_Only_Underscore: x\r\n"
                + "Connection: close\r\n\r\n"));
        assertEquals("10.0.0.1", env.get("HTTP_X_FORWARDED_FOR"));
        assertFalse(env.containsKey("HTTP_X_ONLY_UNDERSCORE"));
        assertFalse(env.values().stream().anyMatch(v -> v.contains("6.6.6.6")), env::toString);
    }

    @Test
    @Covers({"request.absolute-form", "environ.request-uri"})
    void absoluteFormTargetWinsOverHostAndIsReducedToOriginForm() throws Exception {
        ReferenceServer server = fixture.start(DUMP);
        Map<String, String> env = dump(RawHttp.exchange(server.port(),
                "GET http://example.com:8081/p/q?x=1 HTTP/1.1\r\nHost: other.example\r\nConnection: close\r\n\r\n"));
        assertEquals("example.com:8081", env.get("HTTP_HOST"));
        assertEquals("example.com", env.get("SERVER_NAME"));
        assertEquals("8081", env.get("SERVER_PORT"));
        assertEquals("/p/q?x=1", env.get("REQUEST_URI"));
        assertEquals("/p/q", env.get("PATH_INFO"));
        assertEquals("x=1", env.get("QUERY_STRING"));
    }

    @Test
    @Covers("environ.server")
    void hostWithoutPortGivesTheSchemeDefaultPort() throws Exception {
        ReferenceServer server = fixture.start(DUMP);
        Map<String, String> env = dump(RawHttp.exchange(server.port(),
                "GET / HTTP/1.1\r\nHost: Example.ORG\r\nConnection: close\r\n\r\n"));
        assertEquals("Example.ORG", env.get("SERVER_NAME"));
        assertEquals("80", env.get("SERVER_PORT"));
    }

    @Test
    @Covers({"request.no-host", "environ.protocol"})
    void http10WithoutHostFallsBackToTheLocalAddress() throws Exception {
        ReferenceServer server = fixture.start(DUMP);
        try (RawHttp c = RawHttp.connect(server.port())) {
            c.send("GET /old HTTP/1.0\r\n\r\n");
            RawHttp.Response r = c.read();
            Map<String, String> env = dump(r);
            assertEquals("HTTP/1.0", env.get("SERVER_PROTOCOL"));
            assertEquals("127.0.0.1", env.get("SERVER_NAME"));
            assertEquals(Integer.toString(server.port()), env.get("SERVER_PORT"));
            assertFalse(env.containsKey("HTTP_HOST"));
            assertEquals("/old", env.get("PATH_INFO"));
            assertTrue(r.complete);
        }
    }

    @Test
    @Covers({"request.query-empty", "environ.query-string", "environ.request-uri"})
    void emptyQueryAndNoQueryAreTheSame() throws Exception {
        ReferenceServer server = fixture.start(DUMP);
        Map<String, String> none = dump(RawHttp.get(server.port(), "/q"));
        Map<String, String> empty = dump(RawHttp.get(server.port(), "/q?"));
        assertEquals("", none.get("QUERY_STRING"));
        assertEquals("", empty.get("QUERY_STRING"));
        assertEquals("/q", none.get("REQUEST_URI"));
        assertEquals("/q", empty.get("REQUEST_URI"));
    }

    @Test
    @Covers("environ.method")
    void anyMethodTokenIsPassedVerbatim() throws Exception {
        ReferenceServer server = fixture.start(DUMP);
        Map<String, String> env = dump(RawHttp.exchange(server.port(),
                "BREW-Coffee /pot HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"));
        assertEquals("BREW-Coffee", env.get("REQUEST_METHOD"));
    }

    @Test
    @Covers("request.options-asterisk")
    void optionsAsteriskIsAnsweredByTheServerWithout5xxAndWithoutTheApp() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Application app = (environ, start) -> {
            calls.incrementAndGet();
            return DUMP.call(environ, start);
        };
        ReferenceServer server = fixture.start(app);
        RawHttp.Response r = RawHttp.exchange(server.port(), "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n");
        // declared property options-asterisk=server: the JDK finds no context for "*"
        assertEquals(404, r.status, r::toString);
        assertEquals(0, calls.get());
    }

    @Test
    @Covers({"path.mount", "environ.script-name", "environ.script-or-path"})
    void mountPointGivesScriptNameAndPathInfo() throws Exception {
        ReferenceServer server = fixture.start(DUMP, b -> b.mount("/app/"));
        assertEquals(URI.create("http://127.0.0.1:" + server.port() + "/app"), server.uri());
        Map<String, String> env = dump(RawHttp.get(server.port(), "/app/x/y?z"));
        assertEquals("/app", env.get("SCRIPT_NAME"));
        assertEquals("/x/y", env.get("PATH_INFO"));
        assertEquals("/app/x/y?z", env.get("REQUEST_URI"));
        // mount-point-without-slash = app
        Map<String, String> bare = dump(RawHttp.get(server.port(), "/app"));
        assertEquals("/app", bare.get("SCRIPT_NAME"));
        assertEquals("", bare.get("PATH_INFO"));
        Map<String, String> slash = dump(RawHttp.get(server.port(), "/app/"));
        assertEquals("/", slash.get("PATH_INFO"));
    }

    @Test
    @Covers({"path.mount", "server.call"})
    void pathsOutsideTheMountAre404WithoutCallingTheApp() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Application app = (environ, start) -> {
            calls.incrementAndGet();
            return DUMP.call(environ, start);
        };
        ReferenceServer server = fixture.start(app, b -> b.mount("/app"));
        assertEquals(404, RawHttp.get(server.port(), "/apple").status, "string prefix is not a segment prefix");
        assertEquals(404, RawHttp.get(server.port(), "/").status);
        assertEquals(404, RawHttp.get(server.port(), "/other/app").status);
        assertEquals(404, RawHttp.get(server.port(), "/app/../etc").status, "dot-segments resolve out of the mount");
        assertEquals(0, calls.get());
    }

    @Test
    @Covers({"path.mount", "path.decode"})
    void encodedMountMatchesItsDecodedPrefix() throws Exception {
        ReferenceServer server = fixture.start(DUMP, b -> b.mount("/my app"));
        assertEquals("/my%20app", server.uri().getRawPath());
        Map<String, String> env = dump(RawHttp.get(server.port(), "/my%20app/caf%C3%A9"));
        assertEquals("/my app", env.get("SCRIPT_NAME"));
        assertEquals("/café", env.get("PATH_INFO"));
    }

    @Test
    @Covers({"path.mount", "environ.script-name", "environ.script-or-path"})
    void rootMountHasEmptyScriptName() throws Exception {
        ReferenceServer server = fixture.start(DUMP, b -> b.mount("/"));
        assertEquals(URI.create("http://127.0.0.1:" + server.port()), server.uri());
        Map<String, String> env = dump(RawHttp.get(server.port(), "/"));
        assertEquals("", env.get("SCRIPT_NAME"));
        assertEquals("/", env.get("PATH_INFO"));
    }

    @Test
    @Covers({"environ.query-string", "server.call"})
    void targetWithFragmentOrUnknownVersionIsRefused() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Application app = (environ, start) -> {
            calls.incrementAndGet();
            return DUMP.call(environ, start);
        };
        ReferenceServer server = fixture.start(app);
        assertEquals(400, RawHttp.get(server.port(), "/a#frag").status);
        assertEquals(505, RawHttp.exchange(server.port(), "GET / HTTP/1.2\r\nHost: h\r\nConnection: close\r\n\r\n").status);
        assertEquals(0, calls.get());
    }
}

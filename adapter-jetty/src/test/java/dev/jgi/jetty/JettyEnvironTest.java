package dev.jgi.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.conformance.http.Response;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The environ a real Jetty request produces, through core's shared translation. */
class JettyEnvironTest {

    static JettyServer mounted;
    static JettyServer root;

    @BeforeAll
    static void start() throws Exception {
        mounted = TestSupport.server(TestSupport.ENVIRON_DUMP).mount("/ctx").start();
        root = TestSupport.server(TestSupport.ENVIRON_DUMP).start();
    }

    @AfterAll
    static void stop() {
        mounted.close();
        root.close();
    }

    private static Map<String, String> environ(JettyServer server, String request) throws Exception {
        Response r = TestSupport.exchange(server.port(), request);
        assertEquals(200, r.status(), () -> r + ": " + r.text());
        return TestSupport.parseDump(r.text());
    }

    private static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: example.com:8080\r\nConnection: close\r\n\r\n";
    }

    @Test
    void basicKeysUnderAMount() throws Exception {
        Map<String, String> e = environ(mounted, "GET /ctx/a%20b/c?x=1+2&y=%2F HTTP/1.1\r\nHost: example.com:8080\r\n"
                + "User-Agent: t\r\nConnection: close\r\n\r\n");
        assertEquals("GET", e.get("REQUEST_METHOD"));
        assertEquals("/ctx", e.get("SCRIPT_NAME"));
        assertEquals("/a b/c", e.get("PATH_INFO"));
        assertEquals("x=1+2&y=%2F", e.get("QUERY_STRING"));
        assertEquals("/ctx/a%20b/c?x=1+2&y=%2F", e.get("REQUEST_URI"));
        assertEquals("example.com", e.get("SERVER_NAME"));
        assertEquals("8080", e.get("SERVER_PORT"));
        assertEquals("HTTP/1.1", e.get("SERVER_PROTOCOL"));
        assertEquals("127.0.0.1", e.get("REMOTE_ADDR"));
        assertTrue(Integer.parseInt(e.get("REMOTE_PORT")) > 0);
        assertEquals("t", e.get("HTTP_USER_AGENT"));
        assertEquals("1.0", e.get("jgi.version"));
        assertEquals("http", e.get("jgi.url_scheme"));
        assertEquals("true", e.get("jgi.multithread"));
        assertEquals("false", e.get("jgi.multiprocess"));
        assertEquals("false", e.get("jgi.run_once"));
        assertEquals("true", e.get("jgi.input_terminated"));
        assertEquals("PrintWriter", e.get("jgi.errors"));
        assertEquals("InputStream", e.get("jgi.input"));
        assertEquals("", e.get("<input>"));
        assertEquals("FileWrapper", e.get("jgi.file_wrapper"));
        assertTrue(e.get("SERVER_SOFTWARE").startsWith("Jetty/12."), e.get("SERVER_SOFTWARE"));
        assertFalse(e.containsKey("CONTENT_LENGTH"));
        assertFalse(e.containsKey("CONTENT_TYPE"));
    }

    @Test
    void rootContextGivesEmptyScriptName() throws Exception {
        Map<String, String> e = environ(root, get("/a/b"));
        assertEquals("", e.get("SCRIPT_NAME"));
        assertEquals("/a/b", e.get("PATH_INFO"));
        Map<String, String> slash = environ(root, get("/"));
        assertEquals("", slash.get("SCRIPT_NAME"));
        assertEquals("/", slash.get("PATH_INFO"));
        Map<String, String> empty = environ(root, get("//x"));
        assertEquals("//x", empty.get("PATH_INFO"));
        assertEquals("//x", empty.get("REQUEST_URI"));
    }

    @Test
    void mountPointWithoutSlashReachesTheApplication() throws Exception {
        Map<String, String> e = environ(mounted, get("/ctx"));
        assertEquals("/ctx", e.get("SCRIPT_NAME"));
        assertEquals("", e.get("PATH_INFO"));
        assertEquals("/ctx", e.get("REQUEST_URI"));
        Map<String, String> slash = environ(mounted, get("/ctx/"));
        assertEquals("/", slash.get("PATH_INFO"));
    }

    @Test
    void mountWithCharactersThatNeedEncoding() throws Exception {
        try (JettyServer s = TestSupport.server(TestSupport.ENVIRON_DUMP).mount("/my app/").start()) {
            assertTrue(s.uri().toString().endsWith("/my%20app"), s.uri().toString());
            Map<String, String> e = environ(s, get("/my%20app/x%20y"));
            assertEquals("/my app", e.get("SCRIPT_NAME"));
            assertEquals("/x y", e.get("PATH_INFO"));
            Map<String, String> bare = environ(s, get("/my%20app"));
            assertEquals("", bare.get("PATH_INFO"));
            assertEquals(404, TestSupport.exchange(s.port(), get("/my%20apple")).status());
        }
    }

    @Test
    void headersRepeatedJoinedAndSpoofableNamesDropped() throws Exception {
        Map<String, String> e = environ(mounted, "POST /ctx/h HTTP/1.1\r\nHost: h\r\nX-Multi: a\r\nX-Multi: b\r\n"
                + "Cookie: c=1\r\nCookie: d=2\r\nX_Forwarded_For: evil\r\nX-Forwarded-For: good\r\n"
                + "Content-Type: text/plain\r\nContent-Length: 0\r\nX-Mixed-CASE: v\r\nConnection: close\r\n\r\n");
        assertEquals("a, b", e.get("HTTP_X_MULTI"));
        assertEquals("c=1; d=2", e.get("HTTP_COOKIE"));
        assertEquals("good", e.get("HTTP_X_FORWARDED_FOR"));
        assertEquals("text/plain", e.get("CONTENT_TYPE"));
        assertEquals("0", e.get("CONTENT_LENGTH"));
        assertEquals("v", e.get("HTTP_X_MIXED_CASE"));
        assertNull(e.get("HTTP_CONTENT_TYPE"));
        assertNull(e.get("HTTP_CONTENT_LENGTH"));
        assertEquals("h", e.get("SERVER_NAME"));
        assertEquals("80", e.get("SERVER_PORT"));
    }

    @Test
    void chunkedRequestHasNoContentLengthAndNoTransferEncoding() throws Exception {
        Map<String, String> e = environ(mounted, "POST /ctx/c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
        assertFalse(e.containsKey("CONTENT_LENGTH"));
        assertFalse(e.containsKey("HTTP_TRANSFER_ENCODING"));
        assertEquals("abc", e.get("<input>"));
    }

    @Test
    void absoluteFormTargetIsReducedToOriginForm() throws Exception {
        Map<String, String> e = environ(mounted, "GET http://other.example:81/ctx/x?q=1 HTTP/1.1\r\nHost: other.example:81\r\n"
                + "Connection: close\r\n\r\n");
        assertEquals("/ctx/x?q=1", e.get("REQUEST_URI"));
        assertEquals("other.example", e.get("SERVER_NAME"));
        assertEquals("81", e.get("SERVER_PORT"));
        assertEquals("other.example:81", e.get("HTTP_HOST"));
        assertEquals("/x", e.get("PATH_INFO"));
    }

    @Test
    void absoluteFormTargetWinsOverADifferentHost() throws Exception {
        Map<String, String> e = environ(mounted, "GET http://example.com:8081/ctx/abs?q=1 HTTP/1.1\r\nHost: ignored.example:1\r\n"
                + "Connection: close\r\n\r\n");
        assertEquals("example.com", e.get("SERVER_NAME"));
        assertEquals("8081", e.get("SERVER_PORT"));
        assertEquals("example.com:8081", e.get("HTTP_HOST"));
        assertEquals("/ctx/abs?q=1", e.get("REQUEST_URI"));
        // an origin-form target keeps the Host field as sent, also when it names the default port
        Map<String, String> o = environ(mounted, "GET /ctx/o HTTP/1.1\r\nHost: Example.COM:80\r\nConnection: close\r\n\r\n");
        assertEquals("Example.COM:80", o.get("HTTP_HOST"));
        assertEquals("Example.COM", o.get("SERVER_NAME"));
        assertEquals("80", o.get("SERVER_PORT"));
        Map<String, String> v6 = environ(mounted, "GET /ctx/o HTTP/1.1\r\nHost: [::1]\r\nConnection: close\r\n\r\n");
        assertEquals("[::1]", v6.get("HTTP_HOST"));
        assertEquals("[::1]", v6.get("SERVER_NAME"));
    }

    @Test
    void absoluteFormWithoutHostOnHttp10() throws Exception {
        Map<String, String> e = environ(mounted, "GET http://other.example:81/ctx/x HTTP/1.0\r\n\r\n");
        assertEquals("other.example", e.get("SERVER_NAME"));
        assertEquals("81", e.get("SERVER_PORT"));
        assertEquals("other.example:81", e.get("HTTP_HOST"));
        assertEquals("HTTP/1.0", e.get("SERVER_PROTOCOL"));
    }

    @Test
    void http10WithoutHostFallsBackToTheLocalAddress() throws Exception {
        Map<String, String> e = environ(mounted, "GET /ctx/x HTTP/1.0\r\n\r\n");
        assertEquals("127.0.0.1", e.get("SERVER_NAME"));
        assertEquals(Integer.toString(mounted.port()), e.get("SERVER_PORT"));
        assertFalse(e.containsKey("HTTP_HOST"));
    }

    @Test
    void http11WithoutHostIs400() throws Exception {
        // RFC 9112 3.2; Jetty answers it itself, as core would
        assertEquals(400, TestSupport.exchange(mounted.port(), "GET /ctx/x HTTP/1.1\r\nConnection: close\r\n\r\n").status());
    }

    @Test
    void optionsAsteriskReachesTheApplication() throws Exception {
        Map<String, String> e = environ(mounted, "OPTIONS * HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        assertEquals("*", e.get("REQUEST_URI"));
        assertEquals("/ctx", e.get("SCRIPT_NAME"));
        assertEquals("", e.get("PATH_INFO"));
        assertEquals("OPTIONS", e.get("REQUEST_METHOD"));
    }

    @Test
    void anyMethodTokenIsPassedVerbatim() throws Exception {
        Map<String, String> e = environ(mounted, "PROPFIND /ctx/d HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        assertEquals("PROPFIND", e.get("REQUEST_METHOD"));
    }

    @Test
    void emptyQueryIsLikeNoQuery() throws Exception {
        Map<String, String> e = environ(mounted, get("/ctx/q?"));
        assertEquals("", e.get("QUERY_STRING"));
        assertEquals("/ctx/q", e.get("REQUEST_URI"));
    }

    /**
     * The path policy of SPEC.md, decided by core from Jetty's raw path: Jetty's URI compliance lets
     * the ambiguous forms through instead of answering 400 itself.
     */
    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', value = {
        "/ctx/a%2Fb        | 400 | encoded slash",
        "/ctx%2Fa          | 400 | encoded slash",
        "/ctx/a%25b        | 200 | /a%b",
        "/ctx/a%2525b      | 200 | /a%25b",
        "/ctx/a//b         | 200 | /a//b",
        "/ctx//            | 200 | //",
        "/ctx/%2e%2e/b     | 400 | encoded dot-segment",
        "/ctx/a/%2E/b      | 400 | encoded dot-segment",
        "/ctx/a/..;x/b     | 400 | dot-segment must not carry",
        "/ctx/a/../b       | 200 | /b",
        "/ctx/a/./b        | 200 | /a/b",
        "/ctx/a;p=1/b;q    | 200 | /a/b",
        "/ctx/caf%C3%A9+x  | 200 | /café+x",
        "/ctx/a%C3%28      | 400 | valid UTF-8",
        "/ctx/a%u0041      | 400 | malformed percent-escape",
        "/ctx/a%5Cb        | 200 | /a\\b",
        "/ctx/../b         | 404 | not under the mount",
        "/other            | 404 | not under the mount",
        "/ctxother         | 404 | not under the mount",
    })
    void pathPolicy(String target, int status, String expected) throws Exception {
        Response r = TestSupport.exchange(mounted.port(), get(target));
        assertEquals(status, r.status(), () -> target + " -> " + r + ": " + r.text());
        if (status == 200) {
            assertEquals(expected, TestSupport.parseDump(r.text()).get("PATH_INFO"));
        } else {
            // core's own answer (plain text with the reason), not Jetty's HTML error page
            assertTrue(r.text().contains(expected), r.text());
            assertTrue(r.header("Content-Type").startsWith("text/plain"), r.header("Content-Type"));
        }
    }

    /** Forms Jetty's parser refuses whatever the compliance mode: the outcome is still SPEC.md's 400. */
    @ParameterizedTest
    @CsvSource({"/../b", "/ctx/a%zz", "/ctx/a%00b", "/ctx/a#f"})
    void jettyRejectsSomeMalformedTargetsItself(String target) throws Exception {
        Response r = TestSupport.exchange(mounted.port(), get(target));
        assertEquals(400, r.status(), r::toString);
    }

    @Test
    void httpClientRoundTrip() throws Exception {
        HttpResponse<String> r = TestSupport.CLIENT.send(HttpRequest.newBuilder(mounted.uri().resolve("/ctx/x%20y?z"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        Map<String, String> e = TestSupport.parseDump(r.body());
        assertEquals("/x y", e.get("PATH_INFO"));
        assertEquals("z", e.get("QUERY_STRING"));
    }
}

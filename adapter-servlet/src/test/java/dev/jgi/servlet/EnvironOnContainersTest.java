package dev.jgi.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.Header;
import dev.jgi.conformance.http.HttpConnection;
import dev.jgi.conformance.http.Response;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The environ the servlet adapter builds on real Tomcat and Jetty: mount split, raw query, headers,
 * addresses, the path policy, and the jgi.* keys.
 */
class EnvironOnContainersTest {

    static Targets targets;

    @BeforeAll
    static void start() throws Exception {
        targets = Targets.start();
    }

    @AfterAll
    static void stop() throws Exception {
        targets.close();
    }

    static Stream<Arguments> targets() {
        return targets.arguments();
    }

    /** Dumps the String-valued environ as a properties text, and the types of the jgi.* keys. */
    static final Application DUMP = (env, sr) -> {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, Object> e : env.entrySet()) {
            Object v = e.getValue();
            out.put(e.getKey(), v instanceof String ? (String) v : "<" + (v == null ? "null" : typeOf(v)) + ">");
        }
        out.put("<environ-class>", env.getClass().getName());
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : out.entrySet()) {
            sb.append(escape(e.getKey())).append('=').append(escape(e.getValue())).append('\n');
        }
        sr.start("200 OK", List.of(Header.of("Content-Type", "text/plain; charset=utf-8")));
        return Body.ofUtf8(sb.toString());
    };

    static String typeOf(Object v) {
        if (v instanceof Boolean) {
            return "Boolean:" + v;
        }
        if (v instanceof InputStream) {
            return "InputStream";
        }
        if (v instanceof PrintWriter) {
            return "PrintWriter";
        }
        return v.getClass().getSimpleName();
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '\\' || c == '=' || c == ':' || c == '\n' || c == '#' || c == '!' || c == ' ' || c > 126) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    static Properties environ(Targets.Target t, String request) throws Exception {
        t.with(DUMP);
        try (HttpConnection http = Container.connect(t.port())) {
            Response r = http.sendRaw(request).readResponse("GET");
            assertEquals(200, r.status(), () -> "status for\n" + request + "\n" + r.text());
            Properties p = new Properties();
            p.load(new java.io.StringReader(r.text()));
            return p;
        }
    }

    static int status(Targets.Target t, String request) throws Exception {
        t.with(DUMP);
        try (HttpConnection http = Container.connect(t.port())) {
            return http.sendRaw(request).readResponse("GET").status();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void mountSplitAndRawQuery(Targets.Target t) throws Exception {
        Properties e = environ(t, "GET /ctx/app/a%20b/caf%C3%A9+x?q=1+2&r=%2F HTTP/1.1\r\nHost: example.test:8080\r\n\r\n");
        assertEquals("/ctx/app", e.getProperty("SCRIPT_NAME"));
        assertEquals("/a b/café+x", e.getProperty("PATH_INFO"));
        assertEquals("q=1+2&r=%2F", e.getProperty("QUERY_STRING"));
        assertEquals("/ctx/app/a%20b/caf%C3%A9+x?q=1+2&r=%2F", e.getProperty("REQUEST_URI"));
        assertEquals("example.test", e.getProperty("SERVER_NAME"));
        assertEquals("8080", e.getProperty("SERVER_PORT"));
        assertEquals("HTTP/1.1", e.getProperty("SERVER_PROTOCOL"));
        assertEquals("GET", e.getProperty("REQUEST_METHOD"));
        assertEquals("127.0.0.1", e.getProperty("REMOTE_ADDR"));
        assertTrue(Integer.parseInt(e.getProperty("REMOTE_PORT")) > 0);
        assertEquals("http", e.getProperty("jgi.url_scheme"));
        assertEquals("1.0", e.getProperty("jgi.version"));
        assertEquals("<InputStream>", e.getProperty("jgi.input"));
        assertEquals("<PrintWriter>", e.getProperty("jgi.errors"));
        assertEquals("<Boolean:true>", e.getProperty("jgi.multithread"));
        assertEquals("<Boolean:false>", e.getProperty("jgi.multiprocess"));
        assertEquals("<Boolean:false>", e.getProperty("jgi.run_once"));
        assertEquals("<Boolean:true>", e.getProperty("jgi.input_terminated"));
        assertEquals("java.util.HashMap", e.getProperty("<environ-class>"));
        assertNull(e.getProperty("CONTENT_LENGTH"));
        assertNull(e.getProperty("CONTENT_TYPE"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void mountPointItselfAndTrailingSlash(Targets.Target t) throws Exception {
        Properties e = environ(t, "GET /ctx/app HTTP/1.1\r\nHost: h\r\n\r\n");
        assertEquals("/ctx/app", e.getProperty("SCRIPT_NAME"));
        assertEquals("", e.getProperty("PATH_INFO"));
        assertEquals("80", e.getProperty("SERVER_PORT"));
        e = environ(t, "GET /ctx/app/ HTTP/1.1\r\nHost: h\r\n\r\n");
        assertEquals("/", e.getProperty("PATH_INFO"));
        e = environ(t, "GET /ctx/app? HTTP/1.1\r\nHost: h\r\n\r\n");
        assertEquals("", e.getProperty("QUERY_STRING"));
        assertEquals("/ctx/app", e.getProperty("REQUEST_URI"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void headersInArrivalOrderJoinedAndFiltered(Targets.Target t) throws Exception {
        Properties e = environ(t, "POST /ctx/app/h HTTP/1.1\r\nHost: h\r\nX-Multi: one\r\nAccept: a\r\nx-multi: two\r\n"
                + "Cookie: a=1\r\nCookie: b=2\r\nX_Spoofed: evil\r\nX-Mixed-CASE: v\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 3\r\n\r\nabc");
        assertEquals("one, two", e.getProperty("HTTP_X_MULTI"));
        assertEquals("a=1; b=2", e.getProperty("HTTP_COOKIE"));
        assertEquals("v", e.getProperty("HTTP_X_MIXED_CASE"));
        assertFalse(e.containsKey("HTTP_X_SPOOFED"), "a header name with '_' must be dropped");
        assertEquals("text/plain", e.getProperty("CONTENT_TYPE"));
        assertEquals("3", e.getProperty("CONTENT_LENGTH"));
        assertFalse(e.containsKey("HTTP_CONTENT_TYPE"));
        assertFalse(e.containsKey("HTTP_CONTENT_LENGTH"));
        assertEquals("POST", e.getProperty("REQUEST_METHOD"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void chunkedRequestHasNoContentLengthAndNoTransferEncoding(Targets.Target t) throws Exception {
        Properties e = environ(t, "PUT /ctx/app/c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
        assertNull(e.getProperty("CONTENT_LENGTH"));
        assertNull(e.getProperty("HTTP_TRANSFER_ENCODING"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void unusualMethodPassesVerbatim(Targets.Target t) throws Exception {
        Properties e = environ(t, "PROPFIND /ctx/app/x HTTP/1.1\r\nHost: h\r\n\r\n");
        assertEquals("PROPFIND", e.getProperty("REQUEST_METHOD"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void http10WithoutHostFallsBackToLocalAddress(Targets.Target t) throws Exception {
        Properties e = environ(t, "GET /ctx/app/x HTTP/1.0\r\n\r\n");
        assertEquals("HTTP/1.0", e.getProperty("SERVER_PROTOCOL"));
        assertEquals("127.0.0.1", e.getProperty("SERVER_NAME"));
        assertEquals(Integer.toString(t.port()), e.getProperty("SERVER_PORT"));
        assertFalse(e.containsKey("HTTP_HOST"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void pathPolicyFromTheRawPath(Targets.Target t) throws Exception {
        // dot-segments resolved by JGI's policy, params stripped, empty segments kept
        assertEquals("/b", environ(t, "GET /ctx/app/a/../b HTTP/1.1\r\nHost: h\r\n\r\n").getProperty("PATH_INFO"));
        assertEquals("/a/b", environ(t, "GET /ctx/app/a;p=1/b HTTP/1.1\r\nHost: h\r\n\r\n").getProperty("PATH_INFO"));
        assertEquals("/a//b", environ(t, "GET /ctx/app/a//b HTTP/1.1\r\nHost: h\r\n\r\n").getProperty("PATH_INFO"));
        assertEquals("/a%b", environ(t, "GET /ctx/app/a%25b HTTP/1.1\r\nHost: h\r\n\r\n").getProperty("PATH_INFO"));
        // ambiguous: 400 whoever says it
        assertEquals(400, status(t, "GET /ctx/app/a%2Fb HTTP/1.1\r\nHost: h\r\n\r\n"));
        // Tomcat resolves %2e%2e before mapping; inside the servlet's mapping the raw path still reaches JGI
        assertEquals(400, status(t, "GET /ctx/app/x/%2e%2e/b HTTP/1.1\r\nHost: h\r\n\r\n"));
        assertEquals(400, status(t, "GET /ctx/app/a%C3 HTTP/1.1\r\nHost: h\r\n\r\n"));
        assertEquals(400, status(t, "GET /ctx/app/a%00b HTTP/1.1\r\nHost: h\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void inputIsTheRequestBody(Targets.Target t) throws Exception {
        t.with((env, sr) -> {
            byte[] body = ((InputStream) env.get("jgi.input")).readAllBytes();
            int again = ((InputStream) env.get("jgi.input")).read();
            sr.start("200 OK", List.of(Header.of("Content-Type", "text/plain")));
            return Body.of((new String(body, StandardCharsets.UTF_8) + "|" + again).getBytes(StandardCharsets.UTF_8));
        });
        try (HttpConnection http = Container.connect(t.port())) {
            Response r = http.sendRaw("POST /ctx/app/in HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello").readResponse("POST");
            assertEquals("hello|-1", r.text());
            r = http.sendRaw("POST /ctx/app/in HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhe\r\n3\r\nllo\r\n0\r\n\r\n").readResponse("POST");
            assertEquals("hello|-1", r.text());
            r = http.sendRaw("GET /ctx/app/in HTTP/1.1\r\nHost: h\r\n\r\n").readResponse("GET");
            assertEquals("|-1", r.text());
        }
    }
}

package dev.jgi.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jgi.conformance.http.Response;
import dev.jgi.server.ReferenceServer;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same raw requests sent to this adapter and to core's reference server give the same environ
 * (and the same status), apart from the keys that differ by nature: the client's port, and the
 * server's name for itself.
 *
 * <p>Left out are the requests where the reference server declares a variant of its own:
 * {@code OPTIONS *} (options-asterisk = server there, app here) and a target starting with
 * {@code //} but without a further slash (the JDK reads it as an authority). {@link JettyEnvironTest}
 * checks this adapter's outcome for those.
 */
class JettyDifferentialEnvironTest {

    /** Keys that legitimately differ: REMOTE_PORT (two connections), SERVER_SOFTWARE (two servers). */
    static final Set<String> DECLARED = Set.of("REMOTE_PORT", "SERVER_SOFTWARE");

    static JettyServer jetty;
    static ReferenceServer reference;
    static JettyServer jettyRoot;
    static ReferenceServer referenceRoot;

    @BeforeAll
    static void start() throws Exception {
        jetty = TestSupport.server(TestSupport.ENVIRON_DUMP).mount("/ctx").start();
        reference = ReferenceServer.builder(TestSupport.ENVIRON_DUMP).mount("/ctx").start();
        jettyRoot = TestSupport.server(TestSupport.ENVIRON_DUMP).start();
        referenceRoot = ReferenceServer.builder(TestSupport.ENVIRON_DUMP).start();
    }

    @AfterAll
    static void stop() {
        jetty.close();
        reference.close();
        jettyRoot.close();
        referenceRoot.close();
    }

    private static Map<String, String> comparable(Response r, int port) {
        Map<String, String> m = new TreeMap<>(r.status() == 200 ? TestSupport.parseDump(r.text()) : Map.of());
        m.keySet().removeAll(DECLARED);
        // without a Host field SERVER_PORT is the local port, which differs between the two servers
        m.replaceAll((k, v) -> k.equals("SERVER_PORT") && v.equals(Integer.toString(port)) ? "<local port>" : v);
        m.put("<status>", Integer.toString(r.status()));
        return m;
    }

    private static void compare(JettyServer j, ReferenceServer ref, String request) throws Exception {
        Response a = TestSupport.exchange(j.port(), request);
        Response b = TestSupport.exchange(ref.port(), request);
        assertEquals(comparable(b, ref.port()), comparable(a, j.port()), () -> "request: " + request.replace("\r\n", "\\r\\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET /ctx/a%20b?x=1+2&y=%2F HTTP/1.1|Host: example.com:8080|User-Agent: t|Accept: */*",
        "GET /ctx HTTP/1.1|Host: h",
        "GET /ctx/ HTTP/1.1|Host: h",
        "GET /ctx/a//b HTTP/1.1|Host: h",
        "GET /ctx/a%25b HTTP/1.1|Host: h",
        "GET /ctx/a/../b/./c HTTP/1.1|Host: h",
        "GET /ctx/a;p=1/b;q HTTP/1.1|Host: h",
        "GET /ctx/caf%C3%A9+x HTTP/1.1|Host: h",
        "GET /ctx/a%2Fb HTTP/1.1|Host: h",
        "GET /ctx/%2e%2e/b HTTP/1.1|Host: h",
        "GET /ctx/a/..;x/b HTTP/1.1|Host: h",
        "GET /ctx/a%C3%28 HTTP/1.1|Host: h",
        "GET /ctx/../x HTTP/1.1|Host: h",
        "GET /other HTTP/1.1|Host: h",
        "GET /ctx/q? HTTP/1.1|Host: h",
        "PROPFIND /ctx/dav HTTP/1.1|Host: h|Depth: 1",
        "GET http://other.example:81/ctx/abs?q HTTP/1.1|Host: other.example:81",
        "GET http://example.com:8081/ctx/abs?q=1 HTTP/1.1|Host: ignored.example:1",
        "GET /ctx/h HTTP/1.1|Host: h|X-Multi: a|X-Multi: b|Cookie: c=1|Cookie: d=2|X_Forwarded_For: evil|X-Forwarded-For: good",
        "GET /ctx/h HTTP/1.1|Host: [::1]:8080|If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT",
        "GET /ctx/h HTTP/1.1|Host: h.example",
        "GET /ctx/h HTTP/1.1|Host: h|X-Latin: caf\u00e9|X-Empty:|X-Spaces:   v  ",
        "GET /ctx/old HTTP/1.0|Host: h",
        "GET /ctx/old HTTP/1.0",
        "POST /ctx/form HTTP/1.1|Host: h|Content-Type: application/x-www-form-urlencoded; charset=UTF-8|Content-Length: 3||a=b",
        "POST /ctx/chunked HTTP/1.1|Host: h|Transfer-Encoding: chunked||3\r\nabc\r\n0\r\n",
    })
    void sameEnvironAsTheReferenceServer(String spec) throws Exception {
        String[] parts = spec.split("\\|\\|", 2);
        String head = String.join("\r\n", parts[0].split("\\|")) + "\r\nConnection: close\r\n\r\n";
        String body = parts.length > 1 ? parts[1] + (spec.contains("chunked") ? "\r\n" : "") : "";
        compare(jetty, reference, head + body);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/a/b", "/a%20b?x", "/a//x", "//x/y", "/%2e/x"})
    void sameEnvironAtTheRoot(String target) throws Exception {
        compare(jettyRoot, referenceRoot, "GET " + target + " HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
    }
}

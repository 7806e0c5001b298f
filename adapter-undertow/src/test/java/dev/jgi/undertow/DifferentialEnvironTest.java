package dev.jgi.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jgi.conformance.http.HttpConnection;
import dev.jgi.conformance.http.Response;
import dev.jgi.server.ReferenceServer;
import dev.jgi.validate.Validator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same raw requests to the reference server and to this adapter give the same environ, apart
 * from the keys that are allowed to differ: REMOTE_PORT (another connection) and SERVER_SOFTWARE.
 * Both run the application inside the Validator, both mounted at {@code /app}.
 */
class DifferentialEnvironTest {

    static final Set<String> ALLOWED_TO_DIFFER = Set.of("REMOTE_PORT", "SERVER_SOFTWARE");
    static UndertowServer undertow;
    static ReferenceServer reference;

    @BeforeAll
    static void start() throws Exception {
        boolean virtual = TestServers.virtual();
        undertow = UndertowServer.builder(Validator.wrap(EchoApp.APP)).mount("/app").virtualThreads(virtual).start();
        reference = ReferenceServer.builder(Validator.wrap(EchoApp.APP)).mount("/app").virtualThreads(virtual).start();
    }

    @AfterAll
    static void stop() {
        if (undertow != null) {
            undertow.close();
        }
        if (reference != null) {
            reference.close();
        }
    }

    static Map<String, String> environ(int port, String request) throws Exception {
        try (HttpConnection r = TestServers.connect(port)) {
            Response resp = r.sendRaw(request).readResponse("GET");
            assertEquals(200, resp.status(), () -> "port " + port + ": " + resp.head().statusLine() + "\n" + resp.text());
            Map<String, String> env = new TreeMap<>(EchoApp.parse(resp.text()));
            env.keySet().removeAll(ALLOWED_TO_DIFFER);
            return env;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET /app HTTP/1.1\r\nHost: example.org:8080\r\n",
        "GET /app/ HTTP/1.1\r\nHost: example.org\r\n",
        "GET /app/a%20b/c%25d/caf%C3%A9+x?q=1+2&r=%2F&s HTTP/1.1\r\nHost: example.org:8080\r\n",
        "GET /app/a//b/./c/../d;p=1/e? HTTP/1.1\r\nHost: [::1]:9\r\n",
        "GET /app/x HTTP/1.1\r\nHost: h\r\nX-Rep: 1\r\nCookie: a=1\r\nX-Rep: 2\r\nCookie: b=2\r\nX_Under: no\r\nAccept: */*\r\n",
        "PROPFIND /app/dav HTTP/1.1\r\nHost: h\r\nDepth: 1\r\n",
        "GET http://example.org:81/app/abs?z HTTP/1.1\r\nHost: example.org:81\r\n",
        "GET /app/ten HTTP/1.0\r\n",
        "POST /app/form HTTP/1.1\r\nHost: h\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 3\r\n",
        "POST /app/chunked HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n",
    })
    void sameEnvironAsTheReferenceServer(String head) throws Exception {
        String body = head.contains("chunked") ? "3\r\nabc\r\n0\r\n\r\n" : head.contains("Content-Length: 3") ? "a=b" : "";
        String request = head + (head.contains("HTTP/1.0") ? "" : "Connection: close\r\n") + "\r\n" + body;
        Map<String, String> ref = environ(reference.port(), request);
        Map<String, String> ut = environ(undertow.port(), request);
        if (head.startsWith("GET /app/ten HTTP/1.0")) {
            // no Host: both fall back to their own local address and port
            ref.remove("SERVER_PORT");
            ut.remove("SERVER_PORT");
        }
        assertEquals(ref, ut);
    }
}

package dev.jgi.server;

import static dev.jgi.server.ServerFixture.parseDump;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jgi.Application;
import dev.jgi.Covers;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The path policy of decisions.md on this server, over raw sockets (HttpClient would normalise or
 * refuse many of these targets). A 400 or 404 must come without calling the application.
 */
class ReferenceServerPathTest {

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    private final AtomicInteger calls = new AtomicInteger();
    private final Application counting = (environ, start) -> {
        calls.incrementAndGet();
        return ServerFixture.DUMP.call(environ, start);
    };

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        // raw target          | status | PATH_INFO (for 200)
        "/plain/path           | 200    | /plain/path",
        "/a%2Fb                | 400    | ",
        "/a%2fb                | 400    | ",
        "/a%25b                | 200    | /a%b",
        "/a%252F               | 200    | /a%2F",
        "/a%00b                | 400    | ",
        "/a%0Ab                | 400    | ",
        "/a%0d%0aX-Evil:%201   | 400    | ",
        "/a%7F                 | 400    | ",
        "/caf%C3%A9            | 200    | /café",
        "/a%C3%28              | 400    | ",
        "/a%C3                 | 400    | ",
        "/a%FF                 | 400    | ",
        "/a;p=1/b;q            | 200    | /a/b",
        "/a/b;x=%2F            | 200    | /a/b",
        "/a/./b/../c           | 200    | /a/c",
        "/a/b/..               | 200    | /a/",
        "/a/%2e%2e/b           | 400    | ",
        "/a/%2E/b              | 400    | ",
        "/a/.%2e/b             | 400    | ",
        "/a/..;p/b             | 400    | ",
        "/a/.;p/b              | 400    | ",
        "/..                   | 400    | ",
        "/a/../../b            | 400    | ",
        "/a//b                 | 200    | /a//b",
        "//a/b                 | 200    | //a/b",
        "///                   | 200    | ///",
        "/a+b                  | 200    | /a+b",
        "/%7Euser/x%20y        | 200    | /~user/x y",
        "/a%zz                 | 400    | ",
        "/a<b                  | 400    | ",
    })
    @Covers({"path.decode", "path.chars", "path.params", "path.invalid-utf8", "path.encoded-slash",
        "path.encoded-percent", "path.nul", "path.encoded-dot", "path.dot-segments", "path.empty-segments",
        "environ.path-info", "environ.request-uri", "server.call"})
    void pathPolicy(String target, int status, String pathInfo) throws Exception {
        ReferenceServer server = fixture.start(counting);
        RawHttp.Response r = RawHttp.get(server.port(), target);
        assertEquals(status, r.status, r::toString);
        if (status == 200) {
            Map<String, String> env = parseDump(r.text());
            assertEquals(pathInfo, env.get("PATH_INFO"));
            assertEquals("", env.get("SCRIPT_NAME"));
            assertEquals(target, env.get("REQUEST_URI"), "REQUEST_URI stays raw");
            assertEquals(1, calls.get());
        } else {
            assertEquals(0, calls.get(), "the application must not see a refused path");
        }
    }

    @Test
    @Covers("path.chars")
    void rawNonAsciiByteInThePathIs400() throws Exception {
        ReferenceServer server = fixture.start(counting);
        byte[] request = "GET /caf\u00e9 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        try (RawHttp c = RawHttp.connect(server.port())) {
            RawHttp.Response r = c.send(request).read();
            assertEquals(400, r.status, r::toString);
        }
        assertEquals(0, calls.get());
    }

    /**
     * Declared (rejects-before-app): the JDK looks up its context with {@code java.net.URI}, which
     * reads a target that starts with {@code //} as an authority. With at least one more slash the
     * target reaches the application intact (see {@code //a/b} above); otherwise the JDK answers.
     */
    @ParameterizedTest(name = "{0} -> {1} from the JDK")
    @CsvSource(delimiter = '|', value = {
        "//          | 400",
        "//a         | 404",
        "//a?x=1     | 404",
        "http://h    | 404",
        "http://h?x  | 404",
    })
    @Covers("path.empty-segments")
    void targetsTheJdkAnswersItself(String target, int status) throws Exception {
        ReferenceServer server = fixture.start(counting);
        RawHttp.Response r = RawHttp.get(server.port(), target);
        assertEquals(status, r.status, r::toString);
        assertEquals(0, calls.get());
    }

    @ParameterizedTest(name = "{0} under /app -> {1} {2}")
    @CsvSource(delimiter = '|', value = {
        "/app/x               | 200 | /x",
        "/app;v=1/x           | 200 | /x",
        "/app/./x             | 200 | /x",
        "/app/%2e%2e/x        | 400 | ",
        "/app/../x            | 404 | ",
        "/x/../app/y          | 200 | /y",
        "/ap%70/y             | 200 | /y",
        "/app%2Fx             | 400 | ",
        "/application         | 404 | ",
    })
    @Covers({"path.mount", "path.params", "path.encoded-dot", "path.dot-segments", "path.encoded-slash"})
    void pathPolicyUnderAMount(String target, int status, String pathInfo) throws Exception {
        ReferenceServer server = fixture.start(counting, b -> b.mount("/app"));
        RawHttp.Response r = RawHttp.get(server.port(), target);
        assertEquals(status, r.status, r::toString);
        if (status == 200) {
            Map<String, String> env = parseDump(r.text());
            assertEquals("/app", env.get("SCRIPT_NAME"));
            assertEquals(pathInfo, env.get("PATH_INFO"));
        } else {
            assertEquals(0, calls.get());
        }
    }
}

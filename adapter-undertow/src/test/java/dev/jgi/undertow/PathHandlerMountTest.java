package dev.jgi.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jgi.Body;
import dev.jgi.Environ;
import dev.jgi.Header;
import dev.jgi.conformance.http.HttpConnection;
import dev.jgi.conformance.http.Response;
import dev.jgi.validate.Validator;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.handlers.PathHandler;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The handler inside a server assembled the usual way, {@code Undertow.builder()} with Undertow's
 * defaults (URL decoding on), mounted under a {@code PathHandler} prefix:
 * SCRIPT_NAME comes from Undertow's resolved path, PATH_INFO still from the raw target.
 */
class PathHandlerMountTest {

    static Undertow undertow;
    static JgiHandler echo;
    static JgiHandler digest;
    static int port;

    @BeforeAll
    static void start() {
        echo = JgiHandler.builder(Validator.wrap(EchoApp.APP)).virtualThreads(TestServers.virtual()).build();
        digest = JgiHandler.builder(Validator.wrap((environ, start) -> {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            long n = 0;
            byte[] buf = new byte[8192];
            InputStream in = Environ.of(environ).input();
            for (int r; (r = in.read(buf)) >= 0; ) {
                md.update(buf, 0, r);
                n += r;
            }
            start.start("200 OK", List.of(Header.of("Content-Type", "text/plain")));
            return Body.ofUtf8(n + " " + HexFormat.of().formatHex(md.digest()));
        })).virtualThreads(TestServers.virtual()).build();
        PathHandler paths = Handlers.path().addPrefixPath("/ctx", echo).addPrefixPath("/caf\u00e9", echo).addPrefixPath("/upload", digest);
        // MAX_ENTITY_SIZE=0: Undertow 2.4 fixes a chunked body's cap from this option at parse time,
        // before any handler can lift it (JgiHandler lifts it for Content-Length bodies).
        undertow = Undertow.builder().addHttpListener(0, "127.0.0.1").setServerOption(UndertowOptions.MAX_ENTITY_SIZE, 0L)
                .setHandler(paths).build();
        undertow.start();
        port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    @AfterAll
    static void stop() {
        if (undertow != null) {
            undertow.stop();
        }
        if (echo != null) {
            echo.close();
        }
        if (digest != null) {
            digest.close();
        }
    }

    static Response get(String target) throws Exception {
        try (HttpConnection r = TestServers.connect(port)) {
            return r.sendRaw("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").readResponse("GET");
        }
    }

    @ParameterizedTest
    @CsvSource({
        "/ctx/a%20b,       /ctx,   /a b",
        "/ctx/a%25b,       /ctx,   /a%b",
        "/ctx/a%252Fb,     /ctx,   /a%2Fb",
        "/ctx/a//b,        /ctx,   /a//b",
        "/ctx/a/../b,      /ctx,   /b",
        "/ctx/a;p=1/b,     /ctx,   /a/b",
        "/ctx,             /ctx,   ''",
        "/ctx/,            /ctx,   /",
        "/c%74x/y,         /ctx,   /y",
        "/caf%C3%A9/menu,  /café, /menu",
    })
    void scriptNameIsTheResolvedPrefixAndPathInfoComesFromTheRawPath(String target, String scriptName, String pathInfo)
            throws Exception {
        Response resp = get(target);
        assertEquals(200, resp.status(), resp::text);
        Map<String, String> env = EchoApp.parse(resp.text());
        assertEquals(scriptName, env.get("SCRIPT_NAME"));
        assertEquals(pathInfo, env.get("PATH_INFO"));
        assertEquals(target, env.get("REQUEST_URI"));
    }

    @ParameterizedTest
    @CsvSource({
        "/ctx/a%2Fb,     400",
        "/ctx/%2e%2e/x,  400",
        "/ctx/../x,      404",
        "/nowhere,       404",
    })
    void undertowsDecodingDoesNotHideWhatCoreRejects(String target, int status) throws Exception {
        assertEquals(status, get(target).status());
    }

    /** Undertow's default MAX_ENTITY_SIZE (2 MiB, connection cut) does not apply: the handler has no limit. */
    @Test
    void bodiesOverUndertowsTwoMebibyteDefaultGetThrough() throws Exception {
        byte[] body = new byte[3 << 20];
        new Random(7).nextBytes(body);
        String expected = body.length + " " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> fixed = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/upload"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, fixed.statusCode());
        assertEquals(expected, fixed.body());
        HttpResponse<String> chunked = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/upload"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, chunked.statusCode());
        assertEquals(expected, chunked.body());
    }

    /**
     * With Undertow's defaults untouched (MAX_ENTITY_SIZE 2 MiB), a Content-Length body over 2 MiB
     * still reaches the application (the handler lifts the per-exchange cap), and the first chunked
     * request logs why chunked bodies need the server option.
     */
    @Test
    void withUndertowDefaultsContentLengthBodiesAreUncappedAndChunkedOnesWarn() throws Exception {
        TestServers.Log log = new TestServers.Log();
        JgiHandler h = JgiHandler.builder((environ, start) -> {
            long n = Environ.of(environ).input().transferTo(java.io.OutputStream.nullOutputStream());
            start.start("200 OK", List.of());
            return Body.ofUtf8(Long.toString(n));
        }).errors(log.writer).virtualThreads(TestServers.virtual()).build();
        Undertow u = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(h).build();
        u.start();
        try {
            int p = ((InetSocketAddress) u.getListenerInfo().get(0).getAddress()).getPort();
            HttpResponse<String> fixed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p + "/"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[3 << 20])).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, fixed.statusCode());
            assertEquals(Integer.toString(3 << 20), fixed.body());
            try (HttpConnection r = TestServers.connect(p)) {
                Response resp = r.sendRaw("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                        + "3\r\nabc\r\n0\r\n\r\n").readResponse("POST");
                assertEquals("3", resp.text());
            }
            org.junit.jupiter.api.Assertions.assertTrue(log.text().contains("MAX_ENTITY_SIZE"), log.text());
        } finally {
            u.stop();
            h.close();
        }
    }
}

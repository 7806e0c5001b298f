package dev.jgi.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jgi.Body;
import dev.jgi.Environ;
import dev.jgi.Header;
import dev.jgi.testing.TestClient;
import dev.jgi.testing.TestResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** PEP 3333 URL reconstruction. */
class UrlsTest {

    /** Answers with the reconstructed URLs, one per line. */
    private static final TestClient URLS = TestClient.builder((env, sr) -> {
        sr.start("200 OK", List.of(Header.of("Content-Type", "text/plain")));
        return Body.ofUtf8(Urls.applicationUri(env) + "\n" + Urls.requestUri(env, true) + "\n" + Urls.requestUri(env, false));
    }).build();

    private static Map<String, Object> environ(String scheme, String host, String name, String port, String script, String path, String query) {
        Map<String, Object> env = new HashMap<>();
        env.put(Environ.JGI_URL_SCHEME, scheme);
        if (host != null) {
            env.put("HTTP_HOST", host);
        }
        env.put(Environ.SERVER_NAME, name);
        env.put(Environ.SERVER_PORT, port);
        env.put(Environ.SCRIPT_NAME, script);
        env.put(Environ.PATH_INFO, path);
        env.put(Environ.QUERY_STRING, query);
        return env;
    }

    @Test
    void rootApplication() {
        String[] lines = URLS.get("/a/b?x=1").text().split("\n");
        assertEquals("http://localhost/", lines[0]);
        assertEquals("http://localhost/a/b?x=1", lines[1]);
        assertEquals("http://localhost/a/b", lines[2]);
    }

    @Test
    void rootRequestAndEmptyQuery() {
        String[] lines = URLS.get("/?").text().split("\n");
        assertEquals("http://localhost/", lines[0]);
        assertEquals("http://localhost/", lines[1]);
    }

    @ParameterizedTest(name = "{0}://{1} {2}:{3} -> {4}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "http|NULL|example.com|80|http://example.com/",
        "http|NULL|example.com|8080|http://example.com:8080/",
        "http|NULL|example.com|443|http://example.com:443/",
        "https|NULL|example.com|443|https://example.com/",
        "https|NULL|example.com|80|https://example.com:80/",
        "https|NULL|[::1]|8443|https://[::1]:8443/",
        "http|''|example.com|81|http://example.com:81/",
        "http|h.example:9|example.com|81|http://h.example:9/",
        "https|h.example|example.com|81|https://h.example/",
    })
    void authority(String scheme, String host, String name, String port, String expected) {
        assertEquals(expected, Urls.applicationUri(environ(scheme, host, name, port, "", "/x", "")));
    }

    @Test
    void mountedApplication() {
        Map<String, Object> env = environ("http", "h", "h", "80", "/app", "", "");
        assertEquals("http://h/app", Urls.applicationUri(env));
        assertEquals("http://h/app", Urls.requestUri(env, true));
        env.put(Environ.PATH_INFO, "/");
        assertEquals("http://h/app/", Urls.requestUri(env, true));
        env.put(Environ.PATH_INFO, "/x/y");
        env.put(Environ.QUERY_STRING, "q=a+b%20c");
        assertEquals("http://h/app/x/y?q=a+b%20c", Urls.requestUri(env, true), "the query is appended as received");
        assertEquals("http://h/app/x/y", Urls.requestUri(env, false));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "/plain/path-_.~|/plain/path-_.~",
        "/sub!$&'()*+,=:@|/sub!$&'()*+,=:@",
        "/café|/caf%C3%A9",
        "/€ 😀|/%E2%82%AC%20%F0%9F%98%80",
        "/a;b|/a%3Bb",
        "/100%|/100%25",
        "/%41|/%2541",
        "/a?b#c|/a%3Fb%23c",
        "/[x]{y}|/%5Bx%5D%7By%7D",
        "/a\"b<c>|/a%22b%3Cc%3E",
        "//a//|//a//",
    })
    void decodedPathsAreEncodedAgain(String decoded, String encoded) {
        assertEquals(encoded, Urls.encodePath(decoded));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "/app/caf%C3%A9/x", "/app/a%3Bb", "/app/100%25", "/app/a%20b/", "/app//x", "/app/%E2%82%AC%F0%9F%98%80",
        "/app/a;v=1/b", "/app/x/./y/../z", "/app/%5B%5D%3F%23", "/app", "/app/", "/app/a+b", "/app/%2541",
    })
    void reconstructedUrlGivesTheSameScriptNameAndPathInfo(String target) {
        Map<String, Object> first = mountedClient().get(target).environ();
        String url = Urls.requestUri(first, false);
        String path = url.substring("http://localhost".length());
        TestResponse again = mountedClient().get(path);
        assertEquals(200, again.status(), url);
        assertEquals(first.get(Environ.SCRIPT_NAME), again.environ().get(Environ.SCRIPT_NAME), url);
        assertEquals(first.get(Environ.PATH_INFO), again.environ().get(Environ.PATH_INFO), url);
    }

    private static TestClient mountedClient() {
        return TestClient.builder((env, sr) -> {
            sr.start("200 OK", List.of());
            return Body.empty();
        }).mount("/app").build();
    }

    @Test
    void missingKeysAreTreatedAsEmpty() {
        Map<String, Object> env = new HashMap<>();
        env.put(Environ.SERVER_NAME, "h");
        assertEquals("http://h/", Urls.applicationUri(env));
        assertEquals("http://h/", Urls.requestUri(env, true));
    }
}

package dev.jgi.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.Covers;
import dev.jgi.Environ;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The request-side translation: EnvironBuilder and HeaderKeys. */
class EnvironBuilderTest {

    private static EnvironBuilder get(String target) {
        // no protocol() call: the builder's default protocol does not demand a Host, which keeps
        // these cases about one thing each; http11WithoutHostIs400 covers the Host rule
        return new EnvironBuilder("").method("GET").target(target);
    }

    private static int rejected(EnvironBuilder b) {
        return assertThrows(RequestRejectedException.class, b::build).status();
    }

    @Test
    @Covers({"environ.required", "environ.version", "environ.jgi-types", "environ.url-scheme", "environ.protocol",
        "thread.multithread"})
    void requiredKeysAndDefaults() throws Exception {
        PrintWriter errors = new PrintWriter(new StringWriter());
        HashMap<String, Object> env = get("/a/b?x=1").header("Host", "example.com").errors(errors).build();
        assertEquals("GET", env.get(Environ.REQUEST_METHOD));
        assertEquals("", env.get(Environ.SCRIPT_NAME));
        assertEquals("/a/b", env.get(Environ.PATH_INFO));
        assertEquals("x=1", env.get(Environ.QUERY_STRING));
        assertEquals("/a/b?x=1", env.get(Environ.REQUEST_URI));
        assertEquals("HTTP/1.1", env.get(Environ.SERVER_PROTOCOL));
        assertEquals("example.com", env.get(Environ.SERVER_NAME));
        assertEquals("80", env.get(Environ.SERVER_PORT));
        assertEquals("1.0", env.get(Environ.JGI_VERSION));
        assertEquals("http", env.get(Environ.JGI_URL_SCHEME));
        assertSame(BodyInput.EMPTY, env.get(Environ.JGI_INPUT));
        assertSame(errors, env.get(Environ.JGI_ERRORS));
        assertEquals(Boolean.TRUE, env.get(Environ.JGI_MULTITHREAD));
        assertEquals(Boolean.FALSE, env.get(Environ.JGI_MULTIPROCESS));
        assertEquals(Boolean.FALSE, env.get(Environ.JGI_RUN_ONCE));
        assertEquals(Boolean.TRUE, env.get(Environ.JGI_INPUT_TERMINATED));
        assertFalse(env.containsKey(Environ.CONTENT_LENGTH));
        assertFalse(env.containsKey(Environ.CONTENT_TYPE));
        assertFalse(env.containsKey(Environ.JGI_FILE_WRAPPER));
    }

    @Test
    @Covers({"environ.type", "environ.fresh"})
    void eachBuildGivesANewHashMap() throws Exception {
        Map<String, Object> a = get("/").build();
        Map<String, Object> b = get("/").build();
        assertInstanceOf(HashMap.class, a);
        assertNotSame(a, b);
    }

    @Test
    @Covers("environ.method")
    void methodIsVerbatim() throws Exception {
        assertEquals("propfind", new EnvironBuilder("").method("propfind").target("/").build().get(Environ.REQUEST_METHOD));
    }

    // --- request headers -------------------------------------------------------------------

    @Test
    @Covers("headers.join")
    void repeatedHeadersAreJoinedWithCommaInArrivalOrder() throws Exception {
        Map<String, Object> env = get("/").header("Accept", "text/html").header("X-Trace", "1")
                .header("accept", "application/json").header("X-TRACE", "2").header("x-trace", "3").build();
        assertEquals("text/html, application/json", env.get("HTTP_ACCEPT"));
        assertEquals("1, 2, 3", env.get("HTTP_X_TRACE"));
    }

    @Test
    @Covers("headers.cookie-join")
    void cookieFieldsAreJoinedWithSemicolon() throws Exception {
        Map<String, Object> env = get("/").header("Cookie", "a=1").header("Cookie", "b=2; c=3").build();
        assertEquals("a=1; b=2; c=3", env.get("HTTP_COOKIE"));
        assertFalse(env.containsKey("COOKIE"));
    }

    @Test
    @Covers("headers.join")
    void oneFieldWithCommasStaysOneValue() throws Exception {
        assertEquals("a, b,c", get("/").header("X-List", "a, b,c").build().get("HTTP_X_LIST"));
    }

    @Test
    @Covers({"headers.underscore", "environ.header-key"})
    void namesThatCannotBeMappedSafelyAreDropped() throws Exception {
        Map<String, Object> env = get("/").header("X-Forwarded-For", "10.0.0.1")
                .header("X_Forwarded_For", "6.6.6.6").header("X.Dotted", "1").header("X-Ünï", "1").build();
        assertEquals("10.0.0.1", env.get("HTTP_X_FORWARDED_FOR"), "an underscore name must not spoof or join a dash name");
        long httpKeys = env.keySet().stream().filter(k -> k.startsWith("HTTP_")).count();
        assertEquals(1, httpKeys, "only X-Forwarded-For may reach the environ: " + env.keySet());
    }

    @Test
    @Covers("headers.underscore")
    void underscoreNameAloneIsStillDropped() throws Exception {
        Map<String, Object> env = get("/").header("X_Forwarded_For", "6.6.6.6").build();
        assertFalse(env.containsKey("HTTP_X_FORWARDED_FOR"));
    }

    @Test
    @Covers("headers.transfer-encoding")
    void transferEncodingNeverReachesTheEnviron() throws Exception {
        Map<String, Object> env = get("/").header("Transfer-Encoding", "chunked").header("transfer-encoding", "gzip").build();
        assertFalse(env.containsKey("HTTP_TRANSFER_ENCODING"));
    }

    @Test
    @Covers("headers.transfer-encoding")
    void transferEncodingDropsContentLength() throws Exception {
        // RFC 9112 section 6.3: the chunked framing wins; a CONTENT_LENGTH next to it would smuggle a length
        Map<String, Object> env = get("/").header("Content-Length", "3").header("Transfer-Encoding", "chunked").build();
        assertFalse(env.containsKey(Environ.CONTENT_LENGTH));
        env = get("/").header("Transfer-Encoding", "chunked").header("Content-Length", "not even a number").build();
        assertFalse(env.containsKey(Environ.CONTENT_LENGTH));
    }

    @Test
    @Covers("environ.no-http-content")
    void contentTypeAndLengthHaveNoHttpPrefix() throws Exception {
        Map<String, Object> env = get("/").header("content-type", "text/plain").header("Content-Length", "12").build();
        assertEquals("text/plain", env.get(Environ.CONTENT_TYPE));
        assertEquals("12", env.get(Environ.CONTENT_LENGTH));
        assertFalse(env.containsKey("HTTP_CONTENT_TYPE"));
        assertFalse(env.containsKey("HTTP_CONTENT_LENGTH"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "Accept|HTTP_ACCEPT", "accept|HTTP_ACCEPT", "ACCEPT|HTTP_ACCEPT",
        "X-Forwarded-For|HTTP_X_FORWARDED_FOR", "x-forwarded-for|HTTP_X_FORWARDED_FOR", "X-forwarded-for|HTTP_X_FORWARDED_FOR",
        "Content-Type|CONTENT_TYPE", "Content-type|CONTENT_TYPE", "content-length|CONTENT_LENGTH",
        "TE|HTTP_TE", "Te|HTTP_TE", "DNT|HTTP_DNT", "X-Custom-1|HTTP_X_CUSTOM_1", "x-a-b-c|HTTP_X_A_B_C",
        "X_Forwarded_For|NULL", "X.Y|NULL", "X Y|NULL", "X:Y|NULL", "Ä|NULL", "''|NULL",
    })
    @Covers({"environ.header-key", "headers.underscore"})
    void headerKeys(String name, String key) {
        assertEquals(key, HeaderKeys.environKey(name));
    }

    @Test
    void separators() {
        assertEquals("; ", HeaderKeys.separator("HTTP_COOKIE"));
        assertEquals(", ", HeaderKeys.separator("HTTP_ACCEPT"));
        assertEquals(", ", HeaderKeys.separator("HTTP_SET_COOKIE"));
    }

    // --- target forms, REQUEST_URI, QUERY_STRING -------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "/a/b|/a/b|''",
        "/a/b?|/a/b|''",
        "/a/b?x=1&y=a+b%20c|/a/b?x=1&y=a+b%20c|x=1&y=a+b%20c",
        "/caf%C3%A9?q=%C3%A9|/caf%C3%A9?q=%C3%A9|q=%C3%A9",
        "/a/./b?q|/a/./b?q|q",
        "/?|/|''",
        "/??|/??|?",
    })
    @Covers({"environ.request-uri", "environ.query-string", "request.query-empty"})
    void requestUriIsRawAndHasAQuestionMarkOnlyForANonEmptyQuery(String target, String requestUri, String query) throws Exception {
        Map<String, Object> env = get(target).build();
        assertEquals(requestUri, env.get(Environ.REQUEST_URI));
        assertEquals(query, env.get(Environ.QUERY_STRING));
    }

    @Test
    @Covers("request.query-empty")
    void emptyQueryAndNoQueryAreTheSame() throws Exception {
        Map<String, Object> a = get("/x?").build();
        Map<String, Object> b = get("/x").build();
        assertEquals(b.get(Environ.REQUEST_URI), a.get(Environ.REQUEST_URI));
        assertEquals(b.get(Environ.QUERY_STRING), a.get(Environ.QUERY_STRING));
    }

    @Test
    @Covers("environ.request-uri")
    void pathAndQueryCanBeGivenSeparately() throws Exception {
        Map<String, Object> env = new EnvironBuilder("").method("GET").path("/p", null).build();
        assertEquals("/p", env.get(Environ.REQUEST_URI));
        assertEquals("", env.get(Environ.QUERY_STRING));
        env = new EnvironBuilder("").method("GET").path("", "a=b").build();
        assertEquals("/", env.get(Environ.PATH_INFO));
        assertEquals("/?a=b", env.get(Environ.REQUEST_URI));
    }

    @Test
    @Covers("request.absolute-form")
    void absoluteFormAuthorityWinsOverHost() throws Exception {
        Map<String, Object> env = get("http://api.example:8080/v1/x?y=1").header("Host", "evil.example").build();
        assertEquals("api.example:8080", env.get("HTTP_HOST"));
        assertEquals("api.example", env.get(Environ.SERVER_NAME));
        assertEquals("8080", env.get(Environ.SERVER_PORT));
        assertEquals("/v1/x?y=1", env.get(Environ.REQUEST_URI));
        assertEquals("/v1/x", env.get(Environ.PATH_INFO));
        assertEquals("y=1", env.get(Environ.QUERY_STRING));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "http://h.example|h.example|80|/|''",
        "http://h.example?q=1|h.example|80|/?q=1|q=1",
        "http://user:pw@h.example/x|h.example|80|/x|''",
        "http://h.example?a=/b|h.example|80|/?a=/b|a=/b",
        "http://[::1]:81/x|[::1]|81|/x|''",
    })
    @Covers("request.absolute-form")
    void absoluteFormVariants(String target, String name, String port, String requestUri, String query) throws Exception {
        Map<String, Object> env = get(target).build();
        assertEquals(name, env.get(Environ.SERVER_NAME));
        assertEquals(port, env.get(Environ.SERVER_PORT));
        assertEquals(requestUri, env.get(Environ.REQUEST_URI));
        assertEquals(query, env.get(Environ.QUERY_STRING));
    }

    @Test
    @Covers({"environ.url-scheme", "request.absolute-form"})
    void absoluteFormSchemeDoesNotChangeUrlScheme() throws Exception {
        assertEquals("http", get("https://h.example/").build().get(Environ.JGI_URL_SCHEME));
    }

    @Test
    void targetInNoFormIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> get("example.com:443"));
        assertThrows(IllegalArgumentException.class, () -> get("relative/path"));
    }

    @Test
    @Covers({"request.options-asterisk", "environ.script-or-path"})
    void optionsAsterisk() throws Exception {
        Map<String, Object> env = new EnvironBuilder("/app").method("OPTIONS").target("*").header("Host", "h").build();
        assertEquals("*", env.get(Environ.REQUEST_URI));
        assertEquals("", env.get(Environ.PATH_INFO));
        assertEquals("/app", env.get(Environ.SCRIPT_NAME));
        assertEquals("", env.get(Environ.QUERY_STRING));
    }

    // --- mount, path policy through the builder ---------------------------------------------

    @Test
    @Covers("request.options-asterisk")
    void asteriskFormIsOnlyForOptions() {
        assertEquals(400, rejected(new EnvironBuilder("").method("GET").target("*")));
        assertEquals(400, rejected(new EnvironBuilder("").method("options").target("*")));
    }

    @Test
    @Covers({"path.mount", "environ.script-name", "environ.script-or-path"})
    void mountGivesScriptNameAndPathInfo() throws Exception {
        Map<String, Object> env = new EnvironBuilder("/app").method("GET").target("/app/x/y").build();
        assertEquals("/app", env.get(Environ.SCRIPT_NAME));
        assertEquals("/x/y", env.get(Environ.PATH_INFO));
        assertEquals("/app/x/y", env.get(Environ.REQUEST_URI));
        env = new EnvironBuilder("/app").method("GET").target("/app").build();
        assertEquals("", env.get(Environ.PATH_INFO));
        env = new EnvironBuilder("/café").method("GET").target("/caf%C3%A9/%C3%A9").build();
        assertEquals("/café", env.get(Environ.SCRIPT_NAME));
        assertEquals("/é", env.get(Environ.PATH_INFO));
        assertEquals("/caf%C3%A9/%C3%A9", env.get(Environ.REQUEST_URI));
    }

    @Test
    @Covers("path.mount")
    void pathOutsideTheMountIs404AndABadPathIs400() {
        assertEquals(404, rejected(new EnvironBuilder("/app").method("GET").target("/application")));
        assertEquals(404, rejected(new EnvironBuilder("/app").method("GET").target("/")));
        assertEquals(404, rejected(new EnvironBuilder("/app").method("GET").target("/app/../x")));
        assertEquals(400, rejected(new EnvironBuilder("/app").method("GET").target("/app/a%2Fb")));
        assertEquals(400, rejected(get("/..")));
    }

    // --- SERVER_NAME / SERVER_PORT ----------------------------------------------------------

    @ParameterizedTest(name = "Host {0} ({1}) -> {2} {3}")
    @CsvSource(delimiter = '|', value = {
        "example.com|http|example.com|80",
        "example.com|https|example.com|443",
        "example.com:8080|http|example.com|8080",
        "example.com:443|http|example.com|443",
        "Example.COM|http|Example.COM|80",
        "127.0.0.1:9|http|127.0.0.1|9",
        "[::1]|http|[::1]|80",
        "[::1]|https|[::1]|443",
        "[::1]:8443|https|[::1]|8443",
        "[2001:db8::7]:1|http|[2001:db8::7]|1",
        "example.com:|http|example.com|80",
        "example.com:65535|http|example.com|65535",
        "example.com:0|http|example.com|0",
    })
    @Covers("environ.server")
    void hostGivesServerNameAndPort(String host, String scheme, String name, String port) throws Exception {
        Map<String, Object> env = get("/").scheme(scheme).header("Host", host).build();
        assertEquals(name, env.get(Environ.SERVER_NAME));
        assertEquals(port, env.get(Environ.SERVER_PORT));
        assertEquals(host, env.get("HTTP_HOST"));
    }

    @ParameterizedTest(name = "Host {0} -> 400")
    @ValueSource(strings = {
        "[::1", "[::1]x", "example.com:http", "example.com:123456", "example.com:65536", "example.com:99999", "example.com:-1",
        // RFC 9112 section 3.2: an invalid Host value is answered 400, not turned into a SERVER_NAME
        "h:1:2", "::1", ":80", "a.example, b.example", "ex ample.com", "example.com/x", "user@example.com", "[::1]:80, [::2]",
        "[v1.x]", "[::g]"
    })
    @Covers("request.host")
    void invalidHostIs400(String host) {
        assertEquals(400, rejected(get("/").header("Host", host)));
    }

    @Test
    @Covers("request.host")
    void twoHostFieldsAre400() {
        assertEquals(400, rejected(get("/").header("Host", "a.example").header("Host", "b.example")));
    }

    @Test
    @Covers({"request.no-host", "environ.server"})
    void withoutHostTheLocalAddressIsUsed() throws Exception {
        Map<String, Object> env = new EnvironBuilder("").method("GET").target("/").protocol("HTTP/1.0")
                .local(new InetSocketAddress(InetAddress.getByName("192.0.2.5"), 8081)).build();
        assertEquals("192.0.2.5", env.get(Environ.SERVER_NAME));
        assertEquals("8081", env.get(Environ.SERVER_PORT));
        assertFalse(env.containsKey("HTTP_HOST"));

        env = new EnvironBuilder("").method("GET").target("/")
                .local(new InetSocketAddress(InetAddress.getByName("::1"), 8443)).build();
        assertEquals("[::1]", env.get(Environ.SERVER_NAME), "an IPv6 SERVER_NAME keeps its brackets");
        assertEquals("8443", env.get(Environ.SERVER_PORT));

        env = new EnvironBuilder("").method("GET").target("/").header("Host", "").local(InetSocketAddress.createUnresolved("srv", 7)).build();
        assertEquals("srv", env.get(Environ.SERVER_NAME), "an empty Host is no Host");
        assertEquals("7", env.get(Environ.SERVER_PORT));
    }

    @Test
    @Covers("request.no-host")
    void withoutHostOrLocalAddressTheNameIsLocalhostOnTheSchemesPort() throws Exception {
        Map<String, Object> env = get("/").scheme("https").build();
        assertEquals("localhost", env.get(Environ.SERVER_NAME));
        assertEquals("443", env.get(Environ.SERVER_PORT));
        assertEquals("https", env.get(Environ.JGI_URL_SCHEME));
    }

    // --- REMOTE_ADDR ---------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "10.1.2.3|10.1.2.3",
        "::1|::1",
        "[::1]|::1",
        "0:0:0:0:0:0:0:1|::1",
        "0:0:0:0:0:0:0:0|::",
        "2001:DB8:0:0:0:0:0:1|2001:db8::1",
        "2001:0db8:0000:0000:0000:ff00:0042:8329|2001:db8::ff00:42:8329",
        "2001:db8:0:0:1:0:0:1|2001:db8::1:0:0:1",
        "2001:db8:0:1:1:1:1:1|2001:db8:0:1:1:1:1:1",
        "1:0:0:2:0:0:0:3|1:0:0:2::3",
        "1:0:0:0:0:0:0:0|1::",
        "fe80::1%eth0|fe80::1",
        "[fe80::abcd%25en0]|fe80::abcd",
    })
    @Covers("environ.remote-addr")
    void remoteAddressTextIsRfc5952(String address, String expected) throws Exception {
        Map<String, Object> env = get("/").remote(address, 50000).build();
        assertEquals(expected, env.get(Environ.REMOTE_ADDR));
        assertEquals("50000", env.get(Environ.REMOTE_PORT));
    }

    @Test
    @Covers("environ.remote-addr")
    void remoteSocketAddressIsRfc5952WithoutBracketsOrZone() throws Exception {
        InetAddress v6 = InetAddress.getByName("2001:db8:0:0:0:0:2:1");
        Map<String, Object> env = get("/").remote(new InetSocketAddress(v6, 1234)).build();
        assertEquals("2001:db8::2:1", env.get(Environ.REMOTE_ADDR));
        assertEquals("1234", env.get(Environ.REMOTE_PORT));
        env = get("/").remote(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 1)).build();
        assertEquals("127.0.0.1", env.get(Environ.REMOTE_ADDR));
    }

    // --- CONTENT_LENGTH and the body limit ----------------------------------------------------

    @ParameterizedTest(name = "Content-Length \"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {"0|0", "12|12", "007|7", "' 5 '|5", "999999999999999999|999999999999999999"})
    @Covers({"environ.content-length", "request.content-length"})
    void validContentLengthIsNormalised(String value, String expected) throws Exception {
        assertEquals(expected, get("/").header("Content-Length", value).build().get(Environ.CONTENT_LENGTH));
    }

    @ParameterizedTest(name = "Content-Length \"{0}\" -> 400")
    @ValueSource(strings = {"", "-1", "+5", "1.0", "0x10", "abc", "1 2", "1000000000000000000", "5,5"})
    @Covers("request.content-length")
    void invalidContentLengthIs400(String value) {
        assertEquals(400, rejected(get("/").header("Content-Length", value)));
    }

    @Test
    @Covers("request.content-length")
    void repeatedContentLengthIs400() {
        assertEquals(400, rejected(get("/").header("Content-Length", "5").header("Content-Length", "5")));
        assertEquals(400, rejected(get("/").header("Content-Length", "5").header("Content-Length", "6")));
    }

    @Test
    @Covers("input.limit")
    void declaredBodyOverTheLimitIs413() throws Exception {
        assertEquals(413, rejected(get("/").bodyLimit(10).header("Content-Length", "11")));
        assertEquals("10", get("/").bodyLimit(10).header("Content-Length", "10").build().get(Environ.CONTENT_LENGTH));
        assertEquals("0", get("/").bodyLimit(0).header("Content-Length", "0").build().get(Environ.CONTENT_LENGTH));
        assertNull(get("/").bodyLimit(0).build().get(Environ.CONTENT_LENGTH), "no body declared: nothing to limit");
    }

    // --- extensions --------------------------------------------------------------------------

    @Test
    @Covers("thread.multithread")
    void extensionsAndOverrides() throws Exception {
        Map<String, Object> env = get("/").fileWrapper(FileBody.WRAPPER).concurrency(false, true, true)
                .put(Environ.SERVER_SOFTWARE, "test/1").build();
        assertSame(FileBody.WRAPPER, env.get(Environ.JGI_FILE_WRAPPER));
        assertEquals(Boolean.FALSE, env.get(Environ.JGI_MULTITHREAD));
        assertEquals(Boolean.TRUE, env.get(Environ.JGI_MULTIPROCESS));
        assertEquals(Boolean.TRUE, env.get(Environ.JGI_RUN_ONCE));
        assertEquals("test/1", env.get(Environ.SERVER_SOFTWARE));
    }

    @Test
    @Covers("environ.cgi-string")
    void everyCgiValueIsAString() throws Exception {
        Map<String, Object> env = get("http://h:1/a?b").header("Content-Length", "3").header("X-A", "1")
                .remote("::1", 2).local(InetSocketAddress.createUnresolved("x", 3)).build();
        for (Map.Entry<String, Object> e : env.entrySet()) {
            if (e.getKey().indexOf('.') < 0) {
                assertInstanceOf(String.class, e.getValue(), e.getKey());
            }
        }
    }

    @Test
    @Covers("request.no-host")
    void http11WithoutHostIs400ButHttp10FallsBackToTheLocalAddress() throws Exception {
        EnvironBuilder noHost11 = new EnvironBuilder("").method("GET").target("/").protocol("HTTP/1.1");
        assertEquals(400, rejected(noHost11));
        Map<String, Object> env = new EnvironBuilder("").method("GET").target("/").protocol("HTTP/1.0")
                .local(new java.net.InetSocketAddress("127.0.0.1", 8081)).build();
        assertEquals("127.0.0.1", env.get(Environ.SERVER_NAME));
        assertEquals("8081", env.get(Environ.SERVER_PORT));
        env = new EnvironBuilder("").method("GET").target("/").protocol("HTTP/1.1").header("Host", "h").build();
        assertEquals("h", env.get(Environ.SERVER_NAME));
    }

    @Test
    void bodyFramingIsDecidedOnceFromTheHeaders() throws Exception {
        java.util.concurrent.atomic.AtomicInteger opened = new java.util.concurrent.atomic.AtomicInteger();
        java.util.function.Supplier<java.io.InputStream> stream = () -> {
            opened.incrementAndGet();
            return new java.io.ByteArrayInputStream("hello world".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        };
        // no body: the server's stream is never opened
        Map<String, Object> env = new EnvironBuilder("").method("GET").target("/").body(stream, null).build();
        assertEquals(BodyInput.EMPTY, env.get(Environ.JGI_INPUT));
        assertEquals(0, opened.get());
        // Content-Length: ends there
        env = new EnvironBuilder("").method("POST").target("/").header("Content-Length", "5").body(stream, null).build();
        assertEquals("hello", new String(((java.io.InputStream) env.get(Environ.JGI_INPUT)).readAllBytes(), "US-ASCII"));
        // Transfer-Encoding wins over Content-Length, and the stream is read to its end
        env = new EnvironBuilder("").method("POST").target("/").header("Content-Length", "5")
                .header("Transfer-Encoding", "chunked").body(stream, null).build();
        assertEquals("hello world", new String(((java.io.InputStream) env.get(Environ.JGI_INPUT)).readAllBytes(), "US-ASCII"));
        // HTTP/2 without Content-Length: the body ends with the stream
        env = new EnvironBuilder("").method("POST").target("/").protocol("HTTP/2.0").header("Host", "h").body(stream, null).build();
        assertEquals("hello world", new String(((java.io.InputStream) env.get(Environ.JGI_INPUT)).readAllBytes(), "US-ASCII"));
        // HTTP/1.1 without either: no body
        env = new EnvironBuilder("").method("POST").target("/").protocol("HTTP/1.1").header("Host", "h").body(stream, null).build();
        assertEquals(BodyInput.EMPTY, env.get(Environ.JGI_INPUT));
        assertEquals(3, opened.get());
    }
}

package dev.jgi.validate;

import static dev.jgi.validate.Fixture.bytes;
import static dev.jgi.validate.Fixture.text;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.Covers;
import dev.jgi.Environ;
import dev.jgi.Header;
import dev.jgi.StartResponse;
import dev.jgi.Write;
import dev.jgi.gateway.BodyInput;
import dev.jgi.gateway.FileRegion;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rule the validator checks: a broken server or application must fail with exactly that
 * rule's name, and a well-behaved variant of the same scenario must pass, so each case can fail.
 */
class RuleCasesTest {

    /** The rule names of decisions.md, plus the two this validator adds (input.read, body.chunk-count). */
    static final Set<String> ALL_RULES = Set.of(
            "environ.type", "environ.required", "environ.cgi-string", "environ.method", "environ.script-name",
            "environ.path-info", "environ.script-or-path", "environ.query-string", "environ.content-length",
            "environ.no-http-content", "environ.header-key", "environ.server", "environ.protocol", "environ.request-uri",
            "environ.url-scheme", "environ.version", "environ.jgi-types",
            "input.close", "input.read", "errors.close",
            "start.status", "start.headers", "start.header-name", "start.header-value", "start.hop-by-hop",
            "start.content-length", "start.twice", "start.missing", "start.headers-mutated",
            "body.null", "body.chunk-null", "body.chunk-count", "body.content-length", "body.no-content",
            "write.in-iteration", "write.thread", "thread.request", "extension.key",
            "server.iterate-once", "server.chunk-after-close", "server.close-once", "server.exc-info-rethrow");

    /** One scenario pair: {@code good} must pass, {@code bad} must fail with {@code rule}. */
    record Case(String rule, String name, Executable good, Executable bad) {
        @Override
        public String toString() {
            return rule + ": " + name;
        }
    }

    private static Path tempFile;

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void wellBehavedVariantPasses(Case c) {
        assertDoesNotThrow(c.good(), c.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @Covers({
        "environ.type", "environ.required", "environ.cgi-string", "environ.method", "environ.script-name",
        "environ.path-info", "environ.script-or-path", "environ.query-string", "environ.content-length",
        "environ.no-http-content", "environ.header-key", "environ.server", "environ.protocol", "environ.request-uri",
        "environ.url-scheme", "environ.version", "environ.jgi-types",
        "input.close", "input.read", "errors.close",
        "start.status", "start.headers", "start.header-name", "start.header-value", "start.hop-by-hop",
        "start.content-length", "start.twice", "start.missing", "start.headers-mutated",
        "body.null", "body.chunk-null", "body.chunk-count", "body.content-length", "body.no-content",
        "write.in-iteration", "write.thread", "thread.request", "extension.key",
        "server.iterate-once", "server.chunk-after-close", "server.close-once", "server.exc-info-rethrow"})
    void brokenVariantFailsWithItsRule(Case c) {
        ValidationError e = assertThrows(ValidationError.class, c.bad(), c.toString());
        assertEquals(c.rule(), e.rule(), () -> "wrong rule; message: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("[" + c.rule() + "] "), e.getMessage());
        boolean serverFault = c.rule().startsWith("environ.") || c.rule().startsWith("server.") || c.rule().equals("input.read")
                || c.rule().equals("extension.key");
        String party = serverFault ? "server broke rule: " : "application broke rule: ";
        assertTrue(e.getMessage().startsWith("[" + c.rule() + "] " + party), e.getMessage());
    }

    @Test
    void everyRuleHasCasesAndIsListedInTheJavadoc() throws IOException {
        Set<String> covered = cases().map(Case::rule).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(ALL_RULES), covered);
        String source = Files.readString(Path.of("src/main/java/dev/jgi/validate/Validator.java"));
        Matcher m = Pattern.compile("<li>\\{@code ([a-z.-]+)\\}").matcher(source);
        Set<String> listed = new TreeSet<>();
        while (m.find()) {
            listed.add(m.group(1));
        }
        assertEquals(new TreeSet<>(ALL_RULES), listed);
    }

    @AfterAll
    static void deleteTempFile() throws IOException {
        if (tempFile != null) {
            Files.deleteIfExists(tempFile);
        }
    }

    static Stream<Case> cases() {
        List<Case> all = new ArrayList<>();
        environCases(all);
        streamCases(all);
        startCases(all);
        bodyCases(all);
        threadCases(all);
        serverCases(all);
        return all.stream();
    }

    // ---------------------------------------------------------------- environ

    private static Map<String, Object> base() {
        return Fixture.get().environ;
    }

    private static Map<String, Object> with(Object... keyValues) {
        Map<String, Object> m = base();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    private static Map<String, Object> without(String... keys) {
        Map<String, Object> m = base();
        for (String k : keys) {
            m.remove(k);
        }
        return m;
    }

    private static Map<String, Object> options() {
        return Fixture.request("OPTIONS", "*").environ;
    }

    private static Executable serveWith(Supplier<Map<String, Object>> environ) {
        return () -> new Fixture.Direct().serve(Validator.wrap(Fixture.hello("hi")), environ.get());
    }

    private static void env(List<Case> all, String rule, String name, Supplier<Map<String, Object>> good,
                            Supplier<Map<String, Object>> bad) {
        all.add(new Case(rule, name, serveWith(good), serveWith(bad)));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void environCases(List<Case> all) {
        env(all, "environ.type", "a TreeMap", () -> new HashMap<>(base()), () -> new TreeMap<>(base()));
        env(all, "environ.type", "a non-String key", RuleCasesTest::base, () -> {
            Map m = base();
            m.put(42, "x");
            return m;
        });
        for (String key : EnvironChecks.required()) {
            env(all, "environ.required", key + " missing",
                    () -> without(Environ.REMOTE_ADDR, Environ.REMOTE_PORT, Environ.JGI_FILE_WRAPPER, "HTTP_ACCEPT"),
                    () -> without(key));
        }
        env(all, "environ.required", "PATH_INFO null", RuleCasesTest::base, () -> with(Environ.PATH_INFO, null));
        env(all, "environ.cgi-string", "SERVER_PORT an Integer", () -> with("my.extension", 80), () -> with(Environ.SERVER_PORT, 80));
        env(all, "environ.cgi-string", "a header as a List", () -> with("my.list", List.of("a")), () -> with("HTTP_ACCEPT", List.of("a")));
        env(all, "environ.jgi-types", "jgi.input a String", () -> with(Environ.JGI_INPUT, BodyInput.EMPTY), () -> with(Environ.JGI_INPUT, "body"));
        env(all, "environ.jgi-types", "jgi.errors a plain Writer", RuleCasesTest::base, () -> with(Environ.JGI_ERRORS, new StringWriter()));
        env(all, "environ.jgi-types", "jgi.multithread a String", () -> with(Environ.JGI_MULTITHREAD, false),
                () -> with(Environ.JGI_MULTITHREAD, "true"));
        env(all, "environ.jgi-types", "jgi.run_once an Integer", () -> with(Environ.JGI_RUN_ONCE, true), () -> with(Environ.JGI_RUN_ONCE, 1));
        env(all, "environ.jgi-types", "jgi.input_terminated FALSE", RuleCasesTest::base, () -> with(Environ.JGI_INPUT_TERMINATED, false));
        env(all, "environ.jgi-types", "jgi.file_wrapper a String", () -> without(Environ.JGI_FILE_WRAPPER),
                () -> with(Environ.JGI_FILE_WRAPPER, "sendfile"));
        Consumer<List<Header>> hints = h -> { };
        Supplier<Map<String, String>> trailers = Map::of;
        env(all, "environ.jgi-types", "jgi.early_hints not a Consumer", () -> with("jgi.early_hints", hints),
                () -> with("jgi.early_hints", "103"));
        env(all, "environ.jgi-types", "jgi.input_trailers a Map instead of a Supplier", () -> with("jgi.input_trailers", trailers),
                () -> with("jgi.input_trailers", Map.of()));
        env(all, "extension.key", "an unknown jgi. key", () -> with("jetty.request", new Object()),
                () -> with("jgi.native_request", new Object()));
        env(all, "extension.key", "upper case", () -> with("my_server.tls_session", "x"), () -> with("MyServer.TlsSession", "x"));
        env(all, "extension.key", "a dash", () -> with("undertow.exchange", new Object()), () -> with("my-server.x", "x"));
        env(all, "extension.key", "no prefix before the dot", () -> with("a1.b.c", 1), () -> with(".request", 1));
        env(all, "environ.version", "1.1", RuleCasesTest::base, () -> with(Environ.JGI_VERSION, "1.1"));
        env(all, "environ.version", "an Integer", RuleCasesTest::base, () -> with(Environ.JGI_VERSION, 1));
        env(all, "environ.url-scheme", "upper case", () -> with(Environ.JGI_URL_SCHEME, "https"), () -> with(Environ.JGI_URL_SCHEME, "HTTP"));
        env(all, "environ.url-scheme", "ftp", () -> with(Environ.JGI_URL_SCHEME, "http"), () -> with(Environ.JGI_URL_SCHEME, "ftp"));
        env(all, "environ.method", "empty", () -> with(Environ.REQUEST_METHOD, "PROPFIND"), () -> with(Environ.REQUEST_METHOD, ""));
        env(all, "environ.method", "with a space", () -> with(Environ.REQUEST_METHOD, "M-SEARCH"), () -> with(Environ.REQUEST_METHOD, "GET /"));
        env(all, "environ.method", "non-ASCII", RuleCasesTest::base, () -> with(Environ.REQUEST_METHOD, "G\u00c9T"));
        env(all, "environ.protocol", "no minor version", () -> with(Environ.SERVER_PROTOCOL, "HTTP/1.0"),
                () -> with(Environ.SERVER_PROTOCOL, "HTTP/1"));
        env(all, "environ.protocol", "lower case", () -> with(Environ.SERVER_PROTOCOL, "HTTP/2.0"),
                () -> with(Environ.SERVER_PROTOCOL, "http/1.1"));
        env(all, "environ.protocol", "trailing space", RuleCasesTest::base, () -> with(Environ.SERVER_PROTOCOL, "HTTP/1.1 "));
        env(all, "environ.server", "empty SERVER_NAME", () -> with(Environ.SERVER_NAME, "[::1]"), () -> with(Environ.SERVER_NAME, ""));
        env(all, "environ.server", "SERVER_PORT a word", () -> with(Environ.SERVER_PORT, "8080"), () -> with(Environ.SERVER_PORT, "eighty"));
        env(all, "environ.server", "SERVER_PORT too long", () -> with(Environ.SERVER_PORT, "65535"), () -> with(Environ.SERVER_PORT, "123456"));
        env(all, "environ.server", "SERVER_PORT empty", RuleCasesTest::base, () -> with(Environ.SERVER_PORT, ""));
        env(all, "environ.script-name", "a lone slash", () -> with(Environ.SCRIPT_NAME, "/app"), () -> with(Environ.SCRIPT_NAME, "/"));
        env(all, "environ.script-name", "no leading slash", () -> with(Environ.SCRIPT_NAME, "/a b"), () -> with(Environ.SCRIPT_NAME, "app"));
        env(all, "environ.script-name", "trailing slash", () -> with(Environ.SCRIPT_NAME, "/a//b"), () -> with(Environ.SCRIPT_NAME, "/app/"));
        env(all, "environ.script-name", "a dot-dot segment", () -> with(Environ.SCRIPT_NAME, "/a..b"), () -> with(Environ.SCRIPT_NAME, "/a/../b"));
        env(all, "environ.script-name", "NUL", RuleCasesTest::base, () -> with(Environ.SCRIPT_NAME, "/a\0"));
        env(all, "environ.path-info", "no leading slash", () -> with(Environ.PATH_INFO, "/a/b/"), () -> with(Environ.PATH_INFO, "hello"));
        env(all, "environ.path-info", "a dot segment", () -> with(Environ.PATH_INFO, "/a.b/.c"), () -> with(Environ.PATH_INFO, "/a/./b"));
        env(all, "environ.path-info", "a trailing dot-dot", () -> with(Environ.PATH_INFO, "/..a"), () -> with(Environ.PATH_INFO, "/a/.."));
        env(all, "environ.path-info", "a lone dot-dot", () -> with(Environ.PATH_INFO, "//a"), () -> with(Environ.PATH_INFO, "/.."));
        env(all, "environ.path-info", "NUL", () -> with(Environ.PATH_INFO, "/100%"), () -> with(Environ.PATH_INFO, "/a\0b"));
        env(all, "environ.script-or-path", "both empty for a normal target",
                () -> with(Environ.SCRIPT_NAME, "/hello", Environ.PATH_INFO, ""),
                () -> with(Environ.SCRIPT_NAME, "", Environ.PATH_INFO, ""));
        env(all, "environ.script-or-path", "both empty with REQUEST_URI /", RuleCasesTest::options, () -> {
            Map<String, Object> m = options();
            m.put(Environ.REQUEST_URI, "/");
            return m;
        });
        env(all, "environ.query-string", "a fragment",
                () -> with(Environ.QUERY_STRING, "q=a+b%20c", Environ.REQUEST_URI, "/hello?q=a+b%20c"),
                () -> with(Environ.QUERY_STRING, "x=1#top", Environ.REQUEST_URI, "/hello?x=1#top"));
        env(all, "environ.query-string", "a space",
                () -> with(Environ.QUERY_STRING, "caf\u00e9", Environ.REQUEST_URI, "/hello?caf\u00e9"),
                () -> with(Environ.QUERY_STRING, "a b", Environ.REQUEST_URI, "/hello?a b"));
        env(all, "environ.query-string", "a newline", RuleCasesTest::base,
                () -> with(Environ.QUERY_STRING, "a\nb", Environ.REQUEST_URI, "/hello?a\nb"));
        env(all, "environ.request-uri", "no leading slash", () -> with(Environ.REQUEST_URI, "/hel%20lo?x=1"),
                () -> with(Environ.REQUEST_URI, "hello?x=1"));
        env(all, "environ.request-uri", "absolute form not reduced", RuleCasesTest::base,
                () -> with(Environ.REQUEST_URI, "http://example.com/hello?x=1"));
        env(all, "environ.request-uri", "query missing", RuleCasesTest::base, () -> with(Environ.REQUEST_URI, "/hello"));
        env(all, "environ.request-uri", "another query", RuleCasesTest::base, () -> with(Environ.REQUEST_URI, "/hello?y=2"));
        env(all, "environ.request-uri", "'?' with an empty query",
                () -> with(Environ.REQUEST_URI, "/hello", Environ.QUERY_STRING, ""),
                () -> with(Environ.REQUEST_URI, "/hello?", Environ.QUERY_STRING, ""));
        env(all, "environ.request-uri", "* for GET", RuleCasesTest::options, () -> with(Environ.REQUEST_URI, "*", Environ.QUERY_STRING, ""));
        env(all, "environ.request-uri", "a space", RuleCasesTest::base, () -> with(Environ.REQUEST_URI, "/he llo?x=1"));
        env(all, "environ.content-length", "empty", () -> with(Environ.CONTENT_LENGTH, "0"), () -> with(Environ.CONTENT_LENGTH, ""));
        env(all, "environ.content-length", "negative", () -> with(Environ.CONTENT_LENGTH, "1234"), () -> with(Environ.CONTENT_LENGTH, "-1"));
        env(all, "environ.content-length", "not a number", RuleCasesTest::base, () -> with(Environ.CONTENT_LENGTH, "12a"));
        env(all, "environ.content-length", "padded", RuleCasesTest::base, () -> with(Environ.CONTENT_LENGTH, " 5"));
        env(all, "environ.no-http-content", "HTTP_CONTENT_TYPE", () -> with(Environ.CONTENT_TYPE, "text/plain"),
                () -> with("HTTP_CONTENT_TYPE", "text/plain"));
        env(all, "environ.no-http-content", "HTTP_CONTENT_LENGTH", () -> with(Environ.CONTENT_LENGTH, "0"),
                () -> with("HTTP_CONTENT_LENGTH", "0"));
        env(all, "environ.header-key", "lower case", () -> with("HTTP_X_FORWARDED_FOR", "10.0.0.1"),
                () -> with("HTTP_x_forwarded_for", "10.0.0.1"));
        env(all, "environ.header-key", "a dash", () -> with("HTTP_X_1", "v"), () -> with("HTTP_X-FORWARDED-FOR", "10.0.0.1"));
        env(all, "environ.header-key", "no name", RuleCasesTest::base, () -> with("HTTP_", "v"));
        env(all, "environ.header-key", "a dot", RuleCasesTest::base, () -> with("HTTP_X.Y", "v"));
        env(all, "environ.header-key", "Transfer-Encoding", RuleCasesTest::base, () -> with("HTTP_TRANSFER_ENCODING", "chunked"));
    }

    // ---------------------------------------------------------------- jgi.input, jgi.errors

    /** An app that reads its whole request body, by bulk reads or byte by byte. */
    private static Application reader(boolean byteByByte) {
        return (env, start) -> {
            InputStream in = Environ.of(env).input();
            int n = 0;
            if (byteByByte) {
                while (in.read() >= 0) {
                    n++;
                }
            } else {
                n = in.readAllBytes().length;
            }
            // an application may ask again after the end; the stream must keep saying so
            assertEquals(-1, in.read(), "a read after end-of-stream");
            start.start("200 OK", text());
            return Body.ofUtf8("read " + n);
        };
    }

    /** Serves {@code reader} on a POST whose jgi.input is {@code input} and CONTENT_LENGTH {@code length} (or none). */
    private static Executable read(Application reader, Supplier<InputStream> input, String length) {
        return () -> {
            Map<String, Object> env = Fixture.post(new byte[0]).environ;
            env.put(Environ.JGI_INPUT, input.get());
            if (length == null) {
                env.remove(Environ.CONTENT_LENGTH);
            } else {
                env.put(Environ.CONTENT_LENGTH, length);
            }
            new Fixture.Direct().serve(Validator.wrap(reader), env);
        };
    }

    /** A stream whose read(b, off, len) returns what {@code result} says (-1 ends it). */
    private static InputStream stream(java.util.function.IntUnaryOperator result) {
        return new InputStream() {
            int calls;

            @Override
            public int read() {
                return result.applyAsInt(calls++);
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return len == 0 ? 0 : Math.min(len, result.applyAsInt(calls++));
            }
        };
    }

    private static void input(List<Case> all, String name, Executable good, Executable bad) {
        all.add(new Case("input.read", name, good, bad));
    }

    private static void streamCases(List<Case> all) {
        Supplier<InputStream> fiveBytes = () -> new ByteArrayInputStream(bytes("hello"));
        Supplier<InputStream> real = () -> BodyInput.of(new ByteArrayInputStream(bytes("hello")), 5, false, -1, null);
        all.add(new Case("input.close", "the application closes jgi.input",
                read(reader(false), real, "5"),
                read((env, start) -> {
                    try (InputStream in = Environ.of(env).input()) {
                        in.readAllBytes();
                    }
                    start.start("200 OK", text());
                    return Body.empty();
                }, real, "5")));
        input(all, "0 from a non-empty read", read(reader(false), real, "5"), read(reader(false), () -> stream(i -> 0), null));
        input(all, "more than asked", read(reader(false), fiveBytes, "5"), read(reader(false), () -> new InputStream() {
            @Override
            public int read() {
                return -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return len + 1;
            }
        }, null));
        input(all, "below -1", read(reader(false), fiveBytes, null), read(reader(false), () -> stream(i -> -2), null));
        input(all, "read() above 255", read(reader(true), fiveBytes, "5"), read(reader(true), () -> stream(i -> i == 0 ? 300 : -1), null));
        input(all, "data after end-of-stream", read(reader(true), real, "5"),
                read(reader(true), () -> stream(i -> i == 0 ? -1 : 65), null));
        input(all, "more than CONTENT_LENGTH", read(reader(false), fiveBytes, "5"), read(reader(false), fiveBytes, "3"));
        input(all, "ends quietly before CONTENT_LENGTH", read(reader(false), fiveBytes, "5"), read(reader(false), fiveBytes, "10"));
        Application zeroRead = (env, start) -> {
            assertEquals(0, Environ.of(env).input().read(new byte[4], 0, 0));
            start.start("200 OK", text());
            return Body.empty();
        };
        input(all, "a zero-length read returns bytes", read(zeroRead, fiveBytes, "5"), read(zeroRead, () -> new InputStream() {
            @Override
            public int read() {
                return -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return 1;
            }
        }, "5"));
        Application skipper = (env, start) -> {
            Environ.of(env).input().skip(3);
            start.start("200 OK", text());
            return Body.empty();
        };
        input(all, "skip negative", read(skipper, fiveBytes, "5"), read(skipper, () -> new InputStream() {
            @Override
            public int read() {
                return -1;
            }

            @Override
            public long skip(long n) {
                return -1;
            }
        }, "5"));
        Application available = (env, start) -> {
            Environ.of(env).input().available();
            start.start("200 OK", text());
            return Body.empty();
        };
        input(all, "available negative", read(available, fiveBytes, "5"), read(available, () -> new InputStream() {
            @Override
            public int read() {
                return -1;
            }

            @Override
            public int available() {
                return -1;
            }
        }, "5"));

        all.add(new Case("errors.close", "the application closes jgi.errors",
                () -> Fixture.get().direct((env, start) -> {
                    PrintWriter errors = Environ.of(env).errors();
                    errors.println("a note");
                    errors.flush();
                    start.start("200 OK", text());
                    return Body.empty();
                }),
                () -> Fixture.get().direct((env, start) -> {
                    try (PrintWriter errors = Environ.of(env).errors()) {
                        errors.println("a note");
                    }
                    start.start("200 OK", text());
                    return Body.empty();
                })));
    }

    // ---------------------------------------------------------------- start_response

    /** Serves an app that calls start_response with {@code status} and {@code headers}, then yields "hello". */
    private static Executable starts(String status, List<Header> headers) {
        return () -> Fixture.get().direct((env, start) -> {
            start.start(status, headers);
            return Body.ofUtf8("hello");
        });
    }

    private static Executable app(Application app) {
        return () -> Fixture.get().direct(app);
    }

    private static void start(List<Case> all, String rule, String name, Executable good, Executable bad) {
        all.add(new Case(rule, name, good, bad));
    }

    private static List<Header> headers(String... nameValues) {
        List<Header> h = new ArrayList<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            h.add(new Header(nameValues[i], nameValues[i + 1]));
        }
        return h;
    }

    private static void startCases(List<Case> all) {
        start(all, "start.status", "no reason", starts("200 OK", text()), starts("200", text()));
        start(all, "start.status", "four digits", starts("599 Whatever", text()), starts("2000 OK", text()));
        start(all, "start.status", "1xx as final status", starts("404 ", text()), starts("100 Continue", text()));
        start(all, "start.status", "null", starts("200 OK", text()), starts(null, text()));
        start(all, "start.status", "control character in reason", starts("200 OK", text()), starts("200 O\nK", text()));
        start(all, "start.headers", "null list", starts("200 OK", List.of()), starts("200 OK", null));
        start(all, "start.headers", "null entry", starts("200 OK", List.of()), starts("200 OK", Arrays.asList(Header.of("A", "b"), null)));
        start(all, "start.header-name", "a space", starts("200 OK", headers("X-Ok_1", "v")), starts("200 OK", headers("Bad Name", "v")));
        start(all, "start.header-name", "empty", starts("200 OK", headers("X", "v")), starts("200 OK", headers("", "v")));
        start(all, "start.header-name", "a colon", starts("200 OK", headers("X", "v")), starts("200 OK", headers("X:Y", "v")));
        start(all, "start.header-value", "CRLF injection", starts("200 OK", headers("X", "a\tb")),
                starts("200 OK", headers("X", "a\r\nInjected: 1")));
        start(all, "start.header-value", "beyond ISO-8859-1", starts("200 OK", headers("X", "caf\u00e9")),
                starts("200 OK", headers("X", "\u20ac")));
        start(all, "start.header-value", "null", starts("200 OK", headers("X", "")), starts("200 OK", headers("X", null)));
        start(all, "start.hop-by-hop", "Connection", starts("200 OK", headers("X-Connection", "close")),
                starts("200 OK", headers("Connection", "close")));
        start(all, "start.hop-by-hop", "Transfer-Encoding", starts("200 OK", headers("Content-Encoding", "identity")),
                starts("200 OK", headers("transfer-encoding", "chunked")));
        start(all, "start.hop-by-hop", "Upgrade", starts("200 OK", text()), starts("200 OK", headers("Upgrade", "h2c")));
        start(all, "start.content-length", "negative", starts("200 OK", headers("Content-Length", "5")),
                starts("200 OK", headers("Content-Length", "-1")));
        start(all, "start.content-length", "not decimal", starts("200 OK", headers("Content-Length", "5")),
                starts("200 OK", headers("Content-Length", "1e3")));
        start(all, "start.content-length", "two values", starts("200 OK", headers("Content-Length", "5", "Content-Length", "5")),
                starts("200 OK", headers("Content-Length", "5", "content-length", "6")));

        start(all, "start.twice", "second call without excInfo",
                app((env, start) -> {
                    start.start("200 OK", text());
                    start.start("500 Internal Server Error", text(), new IllegalStateException("replaced"));
                    return Body.ofUtf8("error");
                }),
                app((env, start) -> {
                    start.start("200 OK", text());
                    start.start("500 Internal Server Error", text());
                    return Body.ofUtf8("error");
                }));
        start(all, "start.twice", "again after a lazy start",
                app((env, start) -> lazy(start, null)),
                app((env, start) -> {
                    start.start("200 OK", text());
                    return lazy(start, null);
                }));

        start(all, "start.missing", "a chunk before start_response",
                app((env, start) -> lazy(start, null)),
                app((env, start) -> Body.ofUtf8("hello")));
        start(all, "start.missing", "the body ends without start_response",
                app((env, start) -> Body.from(() -> new Iterator<>() {
                    boolean started;

                    @Override
                    public boolean hasNext() {
                        if (!started) {
                            started = true;
                            start.start("204 No Content", List.of());
                        }
                        return false;
                    }

                    @Override
                    public byte[] next() {
                        throw new java.util.NoSuchElementException();
                    }
                }, null)),
                app((env, start) -> Body.empty()));
        start(all, "start.missing", "a file body without start_response",
                app((env, start) -> {
                    start.start("200 OK", text());
                    return fileBody(env);
                }),
                app((env, start) -> fileBody(env)));
        start(all, "start.headers-mutated", "a header added after start_response",
                app((env, start) -> {
                    List<Header> h = text();
                    start.start("200 OK", List.copyOf(h));
                    h.add(Header.of("X-Late", "1")); // the application's own copy: harmless
                    return Body.ofUtf8("hello");
                }),
                app((env, start) -> {
                    List<Header> h = text();
                    start.start("200 OK", h);
                    h.add(Header.of("X-Late", "1"));
                    return Body.ofUtf8("hello");
                }));
        start(all, "start.headers-mutated", "a header replaced before write()",
                app((env, start) -> {
                    List<Header> h = text();
                    start.start("200 OK", h).write(bytes("hello"));
                    return Body.empty();
                }),
                app((env, start) -> {
                    List<Header> h = text();
                    Write w = start.start("200 OK", h);
                    h.set(0, Header.of("Content-Type", "text/html\r\nX-Injected: 1"));
                    w.write(bytes("hello"));
                    return Body.empty();
                }));
    }

    /** A body that calls start_response inside its first next(), then yields "hello". */
    private static Body lazy(StartResponse start, Consumer<Write> inIteration) {
        return Body.from(() -> new Iterator<>() {
            boolean done;

            @Override
            public boolean hasNext() {
                return !done;
            }

            @Override
            public byte[] next() {
                done = true;
                Write w = start.start("200 OK", text());
                if (inIteration != null) {
                    inIteration.accept(w);
                }
                return bytes("hello");
            }
        }, null);
    }

    private static synchronized Path tempFile() throws IOException {
        if (tempFile == null) {
            tempFile = Files.createTempFile("jgi-validate", ".txt");
            Files.writeString(tempFile, "hello file");
        }
        return tempFile;
    }

    /** The ten-byte temp file, through the environ's jgi.file_wrapper. */
    private static Body fileBody(Map<String, Object> env) throws IOException {
        return Environ.of(env).fileWrapper().wrap(tempFile());
    }

    // ---------------------------------------------------------------- body

    private static Body chunks(byte[]... chunks) {
        return Body.from(Arrays.asList(chunks), null);
    }

    private static Body claiming(int count, byte[]... chunks) {
        return new Body() {
            @Override
            public Iterator<byte[]> iterator() {
                return Arrays.asList(chunks).iterator();
            }

            @Override
            public int chunkCount() {
                return count;
            }
        };
    }

    private static void bodyCases(List<Case> all) {
        start(all, "body.null", "returns null",
                app((env, start) -> {
                    start.start("200 OK", text());
                    return Body.empty();
                }),
                app((env, start) -> {
                    start.start("200 OK", text());
                    return null;
                }));
        start(all, "body.null", "iterator() returns null",
                app((env, start) -> {
                    start.start("200 OK", text());
                    return Body.from(List.of(), null);
                }),
                app((env, start) -> {
                    start.start("200 OK", text());
                    return Body.from(() -> null, null);
                }));
        start(all, "body.chunk-null", "a null chunk",
                app((env, start) -> {
                    start.start("200 OK", text());
                    return chunks(bytes("a"), new byte[0], bytes("b"));
                }),
                app((env, start) -> {
                    start.start("200 OK", text());
                    return chunks(bytes("a"), null);
                }));
        start(all, "body.chunk-null", "write(null)",
                app((env, start) -> {
                    start.start("200 OK", text()).write(new byte[0]);
                    return Body.empty();
                }),
                app((env, start) -> {
                    start.start("200 OK", text()).write(null);
                    return Body.empty();
                }));
        start(all, "body.chunk-count", "claims one, yields two",
                app((env, start) -> {
                    start.start("200 OK", text());
                    return claiming(2, bytes("a"), bytes("b"));
                }),
                app((env, start) -> {
                    start.start("200 OK", text());
                    return claiming(1, bytes("a"), bytes("b"));
                }));
        start(all, "body.chunk-count", "claims three, yields two",
                app((env, start) -> {
                    start.start("200 OK", text());
                    return claiming(-1, bytes("a"), bytes("b"));
                }),
                app((env, start) -> {
                    start.start("200 OK", text());
                    return claiming(3, bytes("a"), bytes("b"));
                }));
        start(all, "body.chunk-count", "negative but not -1",
                app((env, start) -> {
                    start.start("200 OK", text());
                    return claiming(0);
                }),
                app((env, start) -> {
                    start.start("200 OK", text());
                    return claiming(-2);
                }));
        start(all, "body.content-length", "shorter than declared",
                app((env, start) -> {
                    start.start("200 OK", text(5));
                    return chunks(bytes("hel"), bytes("lo"));
                }),
                app((env, start) -> {
                    start.start("200 OK", text(10));
                    return chunks(bytes("hel"), bytes("lo"));
                }));
        start(all, "body.content-length", "longer than declared",
                app((env, start) -> {
                    start.start("200 OK", text(0));
                    return Body.empty();
                }),
                app((env, start) -> {
                    start.start("200 OK", text(3));
                    return chunks(bytes("hel"), bytes("lo"));
                }));
        start(all, "body.content-length", "write() longer than declared",
                app((env, start) -> {
                    Write w = start.start("200 OK", text(5));
                    w.write(bytes("hel"));
                    return Body.ofUtf8("lo");
                }),
                app((env, start) -> {
                    Write w = start.start("200 OK", text(4));
                    w.write(bytes("hel"));
                    w.write(bytes("lo"));
                    return Body.empty();
                }));
        start(all, "body.content-length", "HEAD may omit the body, GET may not",
                () -> Fixture.request("HEAD", "/").direct((env, start) -> {
                    start.start("200 OK", text(5));
                    return Body.empty();
                }),
                () -> Fixture.request("GET", "/").direct((env, start) -> {
                    start.start("200 OK", text(5));
                    return Body.empty();
                }));
        start(all, "body.content-length", "304 keeps the length without a body, 200 does not",
                app((env, start) -> {
                    start.start("304 Not Modified", text(5));
                    return Body.empty();
                }),
                app((env, start) -> {
                    start.start("200 OK", text(5));
                    return Body.empty();
                }));
        start(all, "body.content-length", "file body of another length",
                app((env, start) -> {
                    start.start("200 OK", text(10));
                    return fileBody(env);
                }),
                app((env, start) -> {
                    start.start("200 OK", text(4));
                    return fileBody(env);
                }));
        start(all, "body.no-content", "a 204 with a chunk",
                app((env, start) -> {
                    start.start("204 No Content", List.of());
                    return chunks(new byte[0]);
                }),
                app((env, start) -> {
                    start.start("204 No Content", List.of());
                    return chunks(bytes("x"));
                }));
        start(all, "body.no-content", "a 304 with write()",
                app((env, start) -> {
                    start.start("304 Not Modified", List.of()).write(new byte[0]);
                    return Body.empty();
                }),
                app((env, start) -> {
                    start.start("304 Not Modified", List.of()).write(bytes("x"));
                    return Body.empty();
                }));
        start(all, "body.no-content", "a 204 with a file body",
                app((env, start) -> {
                    start.start("200 OK", List.of());
                    return fileBody(env);
                }),
                app((env, start) -> {
                    start.start("204 No Content", List.of());
                    return fileBody(env);
                }));
        start(all, "write.in-iteration", "write() inside next()",
                app((env, start) -> {
                    start.start("200 OK", text()).write(bytes("before "));
                    return Body.ofUtf8("body");
                }),
                app((env, start) -> {
                    Write w = start.start("200 OK", text());
                    return Body.from(() -> new Iterator<>() {
                        boolean done;

                        @Override
                        public boolean hasNext() {
                            return !done;
                        }

                        @Override
                        public byte[] next() {
                            done = true;
                            try {
                                w.write(bytes("inside"));
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                            return bytes("body");
                        }
                    }, null);
                }));
        start(all, "write.in-iteration", "write() from a lazy start",
                app((env, start) -> lazy(start, null)),
                app((env, start) -> lazy(start, w -> {
                    try {
                        w.write(bytes("x"));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                })));
    }

    private static Error rethrown(Throwable t) {
        if (t instanceof Error) {
            return (Error) t;
        }
        throw new IllegalStateException(t);
    }

    /** Runs {@code action} on a new thread, waits for it, and rethrows what it threw here. */
    private static void onAnotherThread(Executable action) throws Throwable {
        Throwable[] thrown = {null};
        Thread t = new Thread(() -> {
            try {
                action.execute();
            } catch (Throwable x) {
                thrown[0] = x;
            }
        }, "not-the-request-thread");
        t.start();
        t.join();
        if (thrown[0] != null) {
            throw thrown[0];
        }
    }

    private static void threadCases(List<Case> all) {
        start(all, "write.thread", "write() from another thread during call",
                app((env, start) -> {
                    Write w = start.start("200 OK", text());
                    w.write(bytes("on the request thread"));
                    return Body.empty();
                }),
                app((env, start) -> {
                    Write w = start.start("200 OK", text());
                    try {
                        onAnotherThread(() -> w.write(bytes("elsewhere")));
                    } catch (Throwable t) {
                        throw rethrown(t);
                    }
                    return Body.empty();
                }));
        Write[] kept = {null};
        Application keepsWrite = (env, start) -> {
            kept[0] = start.start("200 OK", text());
            return Body.empty();
        };
        start(all, "write.thread", "write() after call returned",
                () -> {
                    Fixture f = Fixture.get();
                    Body b = Validator.wrap(keepsWrite).call(f.environ, new Fixture.Direct());
                    b.close();
                },
                () -> {
                    Fixture f = Fixture.get();
                    Validator.wrap(keepsWrite).call(f.environ, new Fixture.Direct());
                    kept[0].write(bytes("later"));
                });
        start(all, "write.thread", "write() after the body was closed",
                () -> {
                    Fixture f = Fixture.get();
                    Validator.wrap(keepsWrite).call(f.environ, new Fixture.Direct()).close();
                },
                () -> {
                    Fixture f = Fixture.get();
                    Validator.wrap(keepsWrite).call(f.environ, new Fixture.Direct()).close();
                    kept[0].write(bytes("after close"));
                });
        start(all, "thread.request", "start_response from another thread during call",
                app((env, start) -> {
                    start.start("200 OK", text());
                    return Body.ofUtf8("ok");
                }),
                app((env, start) -> {
                    try {
                        onAnotherThread(() -> start.start("200 OK", text()));
                    } catch (Throwable t) {
                        throw rethrown(t);
                    }
                    return Body.ofUtf8("ok");
                }));
        // a lazy start inside next() runs on whatever thread the server iterates on: not the application's fault
        start(all, "thread.request", "start_response from the application's own thread after call returned",
                () -> {
                    Fixture f = Fixture.get();
                    Fixture.Direct d = new Fixture.Direct();
                    Body b = Validator.wrap((env, start) -> lazy(start, null)).call(f.environ, d);
                    onAnotherThread(() -> {
                        for (Iterator<byte[]> it = b.iterator(); it.hasNext(); ) {
                            d.send(it.next());
                        }
                        b.close();
                    });
                },
                () -> {
                    Fixture f = Fixture.get();
                    StartResponse[] sr = {null};
                    Body b = Validator.wrap((env, start) -> {
                        sr[0] = start;
                        return Body.empty();
                    }).call(f.environ, new Fixture.Direct());
                    onAnotherThread(() -> sr[0].start("200 OK", text()));
                });
    }

    // ---------------------------------------------------------------- server

    /** Calls the validated app the way a server would, then hands its body to {@code server}. */
    private static Executable server(Application app, ServerMove server) {
        return () -> {
            Fixture f = Fixture.get();
            Fixture.Direct d = new Fixture.Direct();
            Body body = Validator.wrap(app).call(f.environ, d);
            server.run(body, d);
        };
    }

    @FunctionalInterface
    interface ServerMove {
        void run(Body body, Fixture.Direct server) throws Throwable;
    }

    private static void drain(Body body, Fixture.Direct d) {
        for (Iterator<byte[]> it = body.iterator(); it.hasNext(); ) {
            d.send(it.next());
        }
    }

    private static void serverCases(List<Case> all) {
        Application hello = Fixture.hello("hello");
        all.add(new Case("server.iterate-once", "iterator() twice",
                server(hello, (b, d) -> {
                    drain(b, d);
                    b.close();
                }),
                server(hello, (b, d) -> {
                    drain(b, d);
                    b.iterator();
                })));
        all.add(new Case("server.chunk-after-close", "iterator() after close()",
                server(hello, (b, d) -> {
                    drain(b, d);
                    b.close();
                }),
                server(hello, (b, d) -> {
                    b.close();
                    b.iterator();
                })));
        all.add(new Case("server.chunk-after-close", "next() after close()",
                server(hello, (b, d) -> {
                    Iterator<byte[]> it = b.iterator();
                    d.send(it.next());
                    b.close();
                }),
                server(hello, (b, d) -> {
                    Iterator<byte[]> it = b.iterator();
                    b.close();
                    it.next();
                })));
        all.add(new Case("server.chunk-after-close", "hasNext() after close()",
                server(hello, (b, d) -> {
                    Iterator<byte[]> it = b.iterator();
                    it.hasNext();
                    b.close();
                }),
                server(hello, (b, d) -> {
                    Iterator<byte[]> it = b.iterator();
                    b.close();
                    it.hasNext();
                })));
        Application file = (env, start) -> {
            start.start("200 OK", text(10));
            return fileBody(env);
        };
        all.add(new Case("server.chunk-after-close", "file region after close()",
                server(file, (b, d) -> {
                    FileRegion r = (FileRegion) b;
                    assertEquals(10, r.count());
                    r.channel();
                    b.close();
                }),
                server(file, (b, d) -> {
                    b.close();
                    ((FileRegion) b).channel();
                })));
        all.add(new Case("server.close-once", "close() twice",
                server(hello, (b, d) -> {
                    drain(b, d);
                    b.close();
                }),
                server(hello, (b, d) -> {
                    drain(b, d);
                    b.close();
                    b.close();
                })));

        IOException boom = new IOException("boom after commit");
        Application failsAfterCommit = (env, start) -> {
            start.start("200 OK", text()).write(bytes("partial"));
            try {
                throw boom;
            } catch (IOException e) {
                start.start("500 Internal Server Error", text(), e);
                return Body.ofUtf8("unreachable: start_response must throw");
            }
        };
        Executable correctServer = () -> {
            Exception seen = assertThrows(IOException.class, () -> Fixture.get().direct(failsAfterCommit));
            assertSame(boom, seen, "the application must see its own excInfo, unchanged");
        };
        all.add(new Case("server.exc-info-rethrow", "start_response returns normally after commit",
                correctServer,
                () -> Validator.wrap(failsAfterCommit).call(Fixture.get().environ, new Fixture.Direct() {
                    @Override
                    public Write start(String status, List<Header> headers, Throwable excInfo) {
                        this.status = status; // forgets the rule: replaces the committed status quietly
                        return this;
                    }
                })));
        all.add(new Case("server.exc-info-rethrow", "start_response throws something else after commit",
                correctServer,
                () -> Validator.wrap(failsAfterCommit).call(Fixture.get().environ, new Fixture.Direct() {
                    @Override
                    public Write start(String status, List<Header> headers, Throwable excInfo) {
                        if (excInfo != null && committed) {
                            throw new IllegalStateException("headers already sent"); // wraps instead of rethrowing
                        }
                        return super.start(status, headers, excInfo);
                    }
                })));
    }
}

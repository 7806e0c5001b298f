package dev.jgi.conformance.cases;

import static dev.jgi.conformance.cases.Support.str;

import dev.jgi.conformance.CaseContext;
import dev.jgi.conformance.Category;
import dev.jgi.conformance.ConformanceCase;
import dev.jgi.conformance.Declaration.OptionsAsterisk;
import dev.jgi.conformance.http.HttpConnection;
import dev.jgi.conformance.http.Request;
import dev.jgi.conformance.http.Response;
import dev.jgi.gateway.EnvironBuilder;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/** Request line, method, target forms, query, server and remote addresses. */
final class RequestLineCases {

    private RequestLineCases() {
    }

    private static final Category C = Category.REQUEST_LINE;

    static List<ConformanceCase> cases() {
        return List.of(
            ConformanceCase.of(C, "request.script-name", "SCRIPT_NAME is the decoded mount (\"\" at the root), PATH_INFO the rest")
                .rules("environ.script-name", "environ.path-info", "path.mount").sources("P1", "P11", "P16", "V")
                .check(ctx -> {
                    Map<String, Object> env = ctx.environOf(ctx.env("/foo/"));
                    ctx.expectEqual(ctx.mount(), str(env, "SCRIPT_NAME"), "SCRIPT_NAME");
                    ctx.expectEqual("/foo/", str(env, "PATH_INFO"), "PATH_INFO");
                }),

            ConformanceCase.of(C, "request.environ-required", "required keys present with their types and values")
                .rules("environ.required", "environ.cgi-string", "environ.server", "environ.protocol", "environ.url-scheme",
                        "environ.version", "environ.jgi-types", "environ.type", "input.terminated", "environ.no-http-content")
                .sources("P5", "P11", "P15", "P16", "P18", "V")
                .check(ctx -> {
                    Map<String, Object> env = ctx.environOf(ctx.env("/foo?x=1"));
                    for (String k : List.of("REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "SERVER_NAME", "SERVER_PORT",
                            "SERVER_PROTOCOL", "REQUEST_URI", "jgi.version", "jgi.url_scheme", "jgi.input", "jgi.errors",
                            "jgi.multithread", "jgi.multiprocess", "jgi.run_once", "jgi.input_terminated")) {
                        ctx.expect(env.containsKey(k), "required key " + k + " is missing");
                    }
                    for (Map.Entry<String, Object> e : env.entrySet()) {
                        if (e.getKey().indexOf('.') < 0) {
                            ctx.expect(e.getValue() instanceof String && !((String) e.getValue()).startsWith("<"),
                                    "key " + e.getKey() + " must have a String value, has " + e.getValue());
                        }
                    }
                    ctx.expectEqual("GET", str(env, "REQUEST_METHOD"), "REQUEST_METHOD");
                    ctx.expectEqual(ctx.host(), str(env, "SERVER_NAME"), "SERVER_NAME (from Host)");
                    ctx.expectEqual(Integer.toString(ctx.port()), str(env, "SERVER_PORT"), "SERVER_PORT (from Host)");
                    ctx.expectEqual("HTTP/1.1", str(env, "SERVER_PROTOCOL"), "SERVER_PROTOCOL");
                    ctx.expectEqual("http", env.get("jgi.url_scheme"), "jgi.url_scheme");
                    ctx.expectEqual("1.0", env.get("jgi.version"), "jgi.version");
                    ctx.expectEqual("<InputStream>", env.get("jgi.input"), "jgi.input type");
                    ctx.expectEqual("<PrintWriter>", env.get("jgi.errors"), "jgi.errors type");
                    for (String b : List.of("jgi.multithread", "jgi.multiprocess", "jgi.run_once")) {
                        ctx.expect(env.get(b) instanceof Boolean, b + " must be a Boolean, is " + env.get(b));
                    }
                    ctx.expectEqual(Boolean.TRUE, env.get("jgi.input_terminated"), "jgi.input_terminated");
                    if (env.containsKey("jgi.file_wrapper")) {
                        ctx.expectEqual("<FileWrapper>", env.get("jgi.file_wrapper"), "jgi.file_wrapper type");
                    }
                    ctx.expect(!env.containsKey("HTTP_CONTENT_LENGTH") && !env.containsKey("HTTP_CONTENT_TYPE"),
                            "HTTP_CONTENT_* keys must not exist");
                }),

            ConformanceCase.of(C, "request.query-raw", "QUERY_STRING is the raw query, + and escapes untouched")
                .rules("environ.query-string", "environ.request-uri").sources("P2", "H14", "S checkUri")
                .check(ctx -> {
                    String q = "name=miyagawa&a=b+c%20d%2F&x=%E3%81%82&y=a/b?c&&z=";
                    Map<String, Object> env = ctx.environOf(ctx.env("/q?" + q));
                    ctx.expectEqual(q, str(env, "QUERY_STRING"), "QUERY_STRING");
                    ctx.expectEqual(ctx.target("/q?" + q), str(env, "REQUEST_URI"), "REQUEST_URI");
                    ctx.expectEqual("/q", str(env, "PATH_INFO"), "PATH_INFO");
                }),

            ConformanceCase.of(C, "request.query-empty", "empty query and no query both give QUERY_STRING \"\" and no ? in REQUEST_URI")
                .rules("request.query-empty", "environ.query-string", "environ.request-uri").sources("gap 6")
                .check(ctx -> {
                    for (String rel : List.of("/q?", "/q")) {
                        Map<String, Object> env = ctx.environOf(ctx.env(rel));
                        ctx.expectEqual("", str(env, "QUERY_STRING"), rel + ": QUERY_STRING");
                        ctx.expectEqual(ctx.target("/q"), str(env, "REQUEST_URI"), rel + ": REQUEST_URI");
                    }
                }),

            ConformanceCase.of(C, "request.request-uri-raw", "REQUEST_URI is the raw target with the mount prefix, undecoded")
                .rules("environ.request-uri", "path.decode").sources("P25")
                .check(ctx -> {
                    String rel = "/foo/bar%20baz%73?x=a%20b";
                    Map<String, Object> env = ctx.environOf(ctx.env(rel));
                    ctx.expectEqual(ctx.target(rel), str(env, "REQUEST_URI"), "REQUEST_URI");
                    ctx.expectEqual("/foo/bar bazs", str(env, "PATH_INFO"), "PATH_INFO (decoded)");
                }),

            ConformanceCase.of(C, "request.remote-address", "REMOTE_ADDR and REMOTE_PORT are the client's address and port")
                .rules("environ.remote-addr").sources("H23", "S checkUri")
                .check(ctx -> {
                    try (HttpConnection c = ctx.connect("remote address")) {
                        Response r = c.exchange(ctx.env("/remote"));
                        Map<String, Object> env = ctx.environ(r);
                        ctx.expectEqual(EnvironBuilder.formatAddress(c.socket().getLocalAddress()), str(env, "REMOTE_ADDR"), "REMOTE_ADDR");
                        ctx.expectEqual(Integer.toString(c.socket().getLocalPort()), str(env, "REMOTE_PORT"), "REMOTE_PORT");
                    }
                }),

            ConformanceCase.of(C, "request.http10", "an HTTP/1.0 request gets SERVER_PROTOCOL HTTP/1.0 and a complete response")
                .rules("environ.protocol").sources("P15", "H4")
                .check(ctx -> {
                    Response r = ctx.send(ctx.env("/old").version("HTTP/1.0"));
                    Map<String, Object> env = ctx.environ(r);
                    ctx.expectEqual("HTTP/1.0", str(env, "SERVER_PROTOCOL"), "SERVER_PROTOCOL");
                    ctx.expect(r.complete(), "the response body is incomplete: " + r.problem());
                    ctx.expect(r.header("Transfer-Encoding") == null, "an HTTP/1.0 response must not be chunked");
                }),

            ConformanceCase.of(C, "request.http10-no-host", "HTTP/1.0 without Host: SERVER_NAME/PORT from the local address, no HTTP_HOST")
                .rules("request.no-host", "environ.server").sources("gap")
                .check(ctx -> {
                    try (HttpConnection c = ctx.connect("HTTP/1.0 without Host")) {
                        Response r = c.exchange(ctx.env("/nohost").version("HTTP/1.0").noHost());
                        Map<String, Object> env = ctx.environ(r);
                        InetAddress server = c.socket().getInetAddress();
                        String literal = EnvironBuilder.formatAddress(server);
                        ctx.expectEqual(server instanceof Inet6Address ? "[" + literal + "]" : literal, str(env, "SERVER_NAME"), "SERVER_NAME");
                        ctx.expectEqual(Integer.toString(c.socket().getPort()), str(env, "SERVER_PORT"), "SERVER_PORT");
                        ctx.expect(!env.containsKey("HTTP_HOST"), "HTTP_HOST must be absent, is " + env.get("HTTP_HOST"));
                    }
                }),

            ConformanceCase.of(C, "request.absolute-form", "an absolute-form target: authority wins over Host, REQUEST_URI in origin form")
                .rules("request.absolute-form", "environ.server", "environ.request-uri").sources("RFC 9112 3.2.2")
                .check(ctx -> {
                    // Host is the connection's (the server's own authority), the target names another
                    Request r = ctx.tag(Request.of("GET", "http://example.com:8081" + ctx.target("/abs?q=1")), "env");
                    Response resp = ctx.send(r);
                    if (Support.hostMismatch(ctx, r, resp)) {
                        return;
                    }
                    Map<String, Object> env = ctx.environ(resp);
                    ctx.expectEqual("example.com:8081", str(env, "HTTP_HOST"), "HTTP_HOST");
                    ctx.expectEqual("example.com", str(env, "SERVER_NAME"), "SERVER_NAME");
                    ctx.expectEqual("8081", str(env, "SERVER_PORT"), "SERVER_PORT");
                    ctx.expectEqual(ctx.target("/abs?q=1"), str(env, "REQUEST_URI"), "REQUEST_URI");
                    ctx.expectEqual("/abs", str(env, "PATH_INFO"), "PATH_INFO");
                    ctx.expectEqual("q=1", str(env, "QUERY_STRING"), "QUERY_STRING");
                }),

            ConformanceCase.of(C, "request.absolute-form-same-host", "an absolute-form target naming the Host: served like origin form")
                .rules("request.absolute-form", "environ.server", "environ.request-uri").sources("RFC 9112 3.2.2")
                .check(ctx -> {
                    // every server passes this one: rejects-before-app=absolute-form-host-mismatch does not cover it
                    Request r = ctx.tag(Request.of("GET", "http://" + ctx.authority() + ctx.target("/abs?q=1")), "env");
                    Response resp = ctx.send(r);
                    ctx.check(resp.status() == 200, r.target() + " with the same Host " + ctx.authority() + ": expected the application"
                            + " to be called, got " + resp.status() + " " + resp.reason() + " (absolute-form-host-mismatch covers only"
                            + " an authority that differs from Host)");
                    Map<String, Object> env = ctx.environ(resp);
                    ctx.expectEqual(ctx.authority(), str(env, "HTTP_HOST"), "HTTP_HOST");
                    ctx.expectEqual(ctx.host(), str(env, "SERVER_NAME"), "SERVER_NAME");
                    ctx.expectEqual(Integer.toString(ctx.port()), str(env, "SERVER_PORT"), "SERVER_PORT");
                    ctx.expectEqual(ctx.target("/abs?q=1"), str(env, "REQUEST_URI"), "REQUEST_URI");
                    ctx.expectEqual(ctx.mount(), str(env, "SCRIPT_NAME"), "SCRIPT_NAME");
                    ctx.expectEqual("/abs", str(env, "PATH_INFO"), "PATH_INFO");
                    ctx.expectEqual("q=1", str(env, "QUERY_STRING"), "QUERY_STRING");
                    ctx.expectEqual("http", str(env, "jgi.url_scheme"), "jgi.url_scheme");
                }),

            ConformanceCase.of(C, "request.absolute-form-empty-path", "an absolute-form target with an empty path means \"/\"")
                .rules("request.absolute-form", "path.mount").sources("RFC 9112 3.2.2", "RFC 9110 4.2.3")
                .check(ctx -> {
                    Request r = ctx.tag(Request.of("GET", "http://example.com?q=2"), "env");
                    Response resp = ctx.send(r);
                    if (Support.hostMismatch(ctx, r, resp)) {
                        return;
                    }
                    if (ctx.atRoot()) {
                        Map<String, Object> env = ctx.environ(resp);
                        ctx.expectEqual("/?q=2", str(env, "REQUEST_URI"), "REQUEST_URI");
                        ctx.expectEqual("/", str(env, "PATH_INFO"), "PATH_INFO");
                        ctx.expectEqual("80", str(env, "SERVER_PORT"), "SERVER_PORT (no port in the authority)");
                    } else {
                        ctx.status(resp, 404, "\"/\" is outside the mount");
                        Support.notCalled(ctx, List.of(CaseContext.idOf(r)), "a path outside the mount");
                    }
                }),

            ConformanceCase.of(C, "request.host-forms", "Host without a port gives SERVER_PORT 80; an IPv6 Host keeps its brackets")
                .rules("environ.server").sources("gap")
                .check(ctx -> {
                    Map<String, Object> env = ctx.environOf(ctx.env("/h").header("Host", "example.org"));
                    ctx.expectEqual("example.org", str(env, "SERVER_NAME"), "Host: example.org -> SERVER_NAME");
                    ctx.expectEqual("80", str(env, "SERVER_PORT"), "Host: example.org -> SERVER_PORT");
                    env = ctx.environOf(ctx.env("/h").header("Host", "[::1]:8080"));
                    ctx.expectEqual("[::1]", str(env, "SERVER_NAME"), "Host: [::1]:8080 -> SERVER_NAME");
                    ctx.expectEqual("8080", str(env, "SERVER_PORT"), "Host: [::1]:8080 -> SERVER_PORT");
                }),

            ConformanceCase.of(C, "request.host-invalid", "a Host with a bad port or an unclosed IPv6 literal gets 400 before the application")
                .rules("request.host", "server.call").sources("RFC 9112 3.2")
                .check(ctx -> {
                    List<String> ids = new java.util.ArrayList<>();
                    for (String host : List.of("example.com:abc", "example.com:123456", "[::1", "example.com:-1")) {
                        Request r = ctx.env("/h").header("Host", host);
                        Response resp = ctx.send(r);
                        ctx.expect(resp.status() == 400, "Host: " + host + ": expected 400, got " + resp.status());
                        ids.add(CaseContext.idOf(r));
                    }
                    Support.notCalled(ctx, ids, "an invalid Host");
                }),

            ConformanceCase.of(C, "request.methods", "standard methods reach the application verbatim")
                .rules("environ.method").sources("H1")
                .check(ctx -> {
                    for (String m : List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS")) {
                        Request r = ctx.to("env", m, "/m");
                        if (!m.equals("GET") && !m.equals("OPTIONS") && !m.equals("DELETE")) {
                            r.body("x");
                        }
                        Response resp = ctx.send(r);
                        if (resp.status() != 200) {
                            ctx.expect(false, m + ": expected 200 from the application, got " + resp.status());
                            continue;
                        }
                        ctx.expectEqual(m, str(ctx.environ(resp), "REQUEST_METHOD"), m + ": REQUEST_METHOD");
                    }
                }),

            ConformanceCase.of(C, "request.methods-custom", "custom and unknown methods reach the application verbatim (case kept)")
                .rules("environ.method").sources("H1", "H2", "H22")
                .check(ctx -> {
                    for (String m : List.of("PROPFIND", "PURGE", "QUERY", "FOO-BAR_1", "fooBar")) {
                        Response resp = ctx.send(ctx.to("env", m, "/m"));
                        if (resp.status() != 200) {
                            ctx.expect(false, m + ": expected 200 from the application, got " + resp.status() + " " + resp.reason());
                            continue;
                        }
                        ctx.expectEqual(m, str(ctx.environ(resp), "REQUEST_METHOD"), m + ": REQUEST_METHOD");
                    }
                }),

            ConformanceCase.of(C, "request.method-not-token", "a method that is not a token is rejected (4xx/501) before the application")
                .rules("environ.method", "server.call").sources("H2", "H22")
                .check(ctx -> {
                    Request r = ctx.to("env", "BAD(METHOD)", "/m");
                    Response resp = ctx.send(r);
                    ctx.expect(resp.status() >= 400 && resp.status() < 500 || resp.status() == 501,
                            "expected a 4xx or 501, got " + resp.status() + " " + resp.reason());
                    Support.notCalled(ctx, List.of(CaseContext.idOf(r)), "a method that is not a token");
                }),

            ConformanceCase.of(C, "request.options-asterisk", "OPTIONS * reaches the application or is answered by the server, as declared")
                .rules("request.options-asterisk", "environ.script-or-path", "environ.request-uri", "server.call").sources("RC")
                .check(ctx -> {
                    Request r = ctx.tag(Request.of("OPTIONS", "*"), "env");
                    Response resp = ctx.send(r);
                    if (ctx.declaration().optionsAsterisk() == OptionsAsterisk.APP) {
                        Map<String, Object> env = ctx.environ(resp);
                        ctx.expectEqual("*", str(env, "REQUEST_URI"), "REQUEST_URI");
                        ctx.expectEqual("", str(env, "PATH_INFO"), "PATH_INFO");
                        ctx.expectEqual(ctx.mount(), str(env, "SCRIPT_NAME"), "SCRIPT_NAME");
                        ctx.expectEqual("OPTIONS", str(env, "REQUEST_METHOD"), "REQUEST_METHOD");
                    } else {
                        ctx.expect((resp.status() >= 200 && resp.status() < 300) || (resp.status() >= 400 && resp.status() < 500),
                                "options-asterisk=server: expected a 2xx or 4xx from the server, got " + resp.status());
                        Support.notCalled(ctx, List.of(CaseContext.idOf(r)), "options-asterisk=server");
                    }
                }),

            ConformanceCase.of(C, "request.options-path", "OPTIONS on a path reaches the application")
                .rules("environ.method").sources("RC")
                .check(ctx -> {
                    Map<String, Object> env = ctx.environOf(ctx.to("env", "OPTIONS", "/x"));
                    ctx.expectEqual("OPTIONS", str(env, "REQUEST_METHOD"), "REQUEST_METHOD");
                    ctx.expectEqual("/x", str(env, "PATH_INFO"), "PATH_INFO");
                }));
    }
}

package dev.jgi.conformance.cases;

import dev.jgi.conformance.CaseContext;
import dev.jgi.conformance.Category;
import dev.jgi.conformance.CheckFailed;
import dev.jgi.conformance.ConformanceCase;
import dev.jgi.conformance.Declaration.EarlyReject;
import dev.jgi.conformance.app.Protocol;
import dev.jgi.conformance.app.TestData;
import dev.jgi.conformance.http.HttpConnection;
import dev.jgi.conformance.http.Request;
import dev.jgi.conformance.http.Response;
import dev.jgi.gateway.EnvironBuilder;
import java.net.Inet6Address;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The differential environ check: each request fixture goes to the server under test and to the
 * reference server (core's {@code ReferenceServer}, started in-process at the same mount), and the
 * two environs must be identical, apart from what SPEC.md lets vary between servers.
 *
 * <p>Left out: {@code REMOTE_PORT} (the client's port differs per connection),
 * {@code SERVER_SOFTWARE} (optional, per server), {@code jgi.multithread}, {@code jgi.multiprocess},
 * {@code jgi.run_once} (deployment facts), the optional extensions {@code jgi.file_wrapper},
 * {@code jgi.early_hints}, {@code jgi.input_trailers}, and server extension keys (a dot, not
 * {@code jgi.}). Normalised, not ignored: the port and host each server was reached at, in
 * SERVER_PORT, SERVER_NAME and HTTP_HOST, and the client address in REMOTE_ADDR, so that a wrong
 * port or a wrong host still shows.
 */
final class EnvironDiffCases {

    private EnvironDiffCases() {
    }

    private static final Category C = Category.ENVIRON_DIFF;

    /**
     * One request fixture: built relative to the mount of whichever server it goes to, and to its
     * authority ({@code host:port}). {@code early} is the declarable up-front rejection that
     * applies to the fixture, if any: a server declaring it must answer 400 without calling the
     * application, and is not compared.
     */
    private record Fixture(String name, String title, List<String> rules, BiFunction<String, String, Request> build, EarlyReject early) {
        Fixture(String name, String title, List<String> rules, Function<String, Request> build) {
            this(name, title, rules, (mount, authority) -> build.apply(mount), null);
        }
    }

    private static List<Fixture> fixtures() {
        return List.of(
            new Fixture("get-query", "GET with a query and common headers", List.of("environ.query-string", "environ.request-uri", "environ.server"), m -> Request.get(m + "/env/plain?x=1&y=a+b%20c&z")
                    .header("User-Agent", "jgi-conformance/1.0 (differential)").header("Accept", "text/html, */*;q=0.1")
                    .header("Accept-Language", "en-US,en;q=0.5")),
            new Fixture("repeated-headers", "repeated, comma, quoted and cookie headers", List.of("headers.join", "headers.cookie-join"), m -> Request.get(m + "/h")
                    .header("X-Multi", "a").header("X-Multi", "b").header("Cookie", "a=1").header("Cookie", "b=2; c=3")
                    .header("X-List", "one,two").header("X-Quote", "\"q\" \\x").header("Authorization", "Bearer abc.def")
                    .header("If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT")),
            new Fixture("post-form", "POST with Content-Type and Content-Length", List.of("environ.content-length", "environ.no-http-content"), m -> Request.of("POST", m + "/form")
                    .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8").header(Protocol.READ, "sha")
                    .body("a=1&b=%C3%A9")),
            new Fixture("post-chunked", "POST with a chunked body", List.of("headers.transfer-encoding", "input.terminated"), m -> Request.of("POST", m + "/chunked")
                    .header("Content-Type", "application/octet-stream").header(Protocol.READ, "sha")
                    .chunked(List.of(TestData.bytes(1, 100), TestData.bytes(2, 5000)))),
            new Fixture("content-length-zero", "POST with Content-Length 0 and leading zeros", List.of("environ.content-length", "request.content-length"), m -> Request.of("POST", m + "/zero")
                    .header("Content-Type", "text/plain").header("Content-Length", "007").header(Protocol.READ, "sha").noAutoLength()
                    .body("1234567")),
            new Fixture("http10-no-host", "HTTP/1.0 without Host", List.of("request.no-host", "environ.protocol"), m -> Request.get(m + "/old?q=1").version("HTTP/1.0").noHost()),
            new Fixture("http10-host", "HTTP/1.0 with Host", List.of("environ.protocol", "environ.server"), m -> Request.get(m + "/old").version("HTTP/1.0")),
            new Fixture("absolute-form", "absolute-form target with a different Host", List.of("request.absolute-form"),
                    (m, authority) -> Request.get("http://example.com:8081" + m + "/abs?q=1").header("Host", "ignored.example:1"),
                    EarlyReject.ABSOLUTE_FORM_HOST_MISMATCH),
            new Fixture("absolute-form-same-host", "absolute-form target naming the Host", List.of("request.absolute-form"),
                    (m, authority) -> Request.get("http://" + authority + m + "/abs?q=1"), null),
            new Fixture("host-no-port", "Host without a port", List.of("environ.server"), m -> Request.get(m + "/h").header("Host", "Example.ORG")),
            new Fixture("host-ipv6", "an IPv6 Host", List.of("environ.server"), m -> Request.get(m + "/h").header("Host", "[2001:db8::1]:8443")),
            new Fixture("encoded-path", "escapes, UTF-8, + and ;params in the path", List.of("path.decode", "path.params", "environ.request-uri"), m -> Request.get(m + "/a%20b/caf%C3%A9+x;p=1/%3B?q=%2F")),
            new Fixture("empty-query", "an empty query", List.of("request.query-empty"), m -> Request.get(m + "/q?")),
            new Fixture("methods", "custom methods with a body", List.of("environ.method"), m -> Request.of("PROPFIND", m + "/dav").header("Depth", "1")
                    .header("Content-Type", "application/xml").body("<propfind/>")),
            new Fixture("options-path", "OPTIONS on a path", List.of("environ.method"), m -> Request.of("OPTIONS", m + "/x")),
            new Fixture("header-names", "header name forms: case, underscore, digits", List.of("headers.underscore", "environ.header-key"), m -> Request.get(m + "/h")
                    .header("x-lower", "1").header("X-MiXeD", "2").header("X_Under_Score", "3").header("X-Forwarded-For", "10.0.0.1")
                    .header("X-2-Digits9", "4")),
            new Fixture("header-values", "long, empty, padded and Latin-1 header values", List.of("environ.header-key"), m -> Request.get(m + "/h")
                    .header("X-Long", "v".repeat(4000)).header("X-Empty", "").header("X-Pad", "  padded value \t")
                    .header("X-Latin", "caf\u00e9")));
    }

    static List<ConformanceCase> cases() {
        List<ConformanceCase> out = new ArrayList<>();
        for (Fixture f : fixtures()) {
            out.add(ConformanceCase.of(C, "environ-diff." + f.name(), "same environ as the reference server: " + f.title())
                    .rules(f.rules().toArray(new String[0]))
                    .sources("gap 13", "P11")
                    .check(ctx -> compare(ctx, f)));
        }
        return out;
    }

    private static void compare(CaseContext ctx, Fixture f) throws Exception {
        if (f.early() != null && ctx.declaration().rejectsBeforeApp(f.early())) {
            Request r = build(ctx, f, ctx.baseUri());
            Response resp;
            try (HttpConnection c = ctx.connect(f.name() + " to this server")) {
                resp = c.exchange(r);
            }
            ctx.check(resp.status() == 400, "fixture " + f.name() + ": expected 400 (the server declares rejects-before-app="
                    + f.early().id() + "), got " + resp.status() + " " + resp.reason());
            Support.notCalled(ctx, List.of(CaseContext.idOf(r)), "a request the server declares it rejects");
            return;
        }
        URI reference = ctx.comparisonUri();
        Map<String, Object> here = dump(ctx, f, ctx.baseUri(), "this server");
        Map<String, Object> there = dump(ctx, f, reference, "the reference server");
        List<String> diffs = new ArrayList<>();
        for (String k : new TreeSet<String>(union(here.keySet(), there.keySet()))) {
            Object a = here.get(k);
            Object b = there.get(k);
            if (a == null ? b != null : !a.equals(b)) {
                diffs.add(k + ": this server " + (here.containsKey(k) ? CaseContext.show(a) : "(absent)")
                        + ", reference " + (there.containsKey(k) ? CaseContext.show(b) : "(absent)"));
            }
        }
        ctx.check(diffs.isEmpty(), "the environ differs from the reference server's (after normalising host, port and client address):\n"
                + String.join("\n", diffs));
    }

    private static TreeSet<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        TreeSet<String> t = new TreeSet<>(a);
        t.addAll(b);
        return t;
    }

    private static Request build(CaseContext ctx, Fixture f, URI base) {
        String raw = base.getRawPath() == null ? "" : base.getRawPath();
        String mount = raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
        return f.build().apply(mount, base.getRawAuthority()).header(Protocol.CASE, Protocol.ENV).header(Protocol.ID, ctx.newId());
    }

    private static Map<String, Object> dump(CaseContext ctx, Fixture f, URI base, String who) throws Exception {
        Request r = build(ctx, f, base);
        int port = base.getPort() < 0 ? 80 : base.getPort();
        Response resp;
        Socket socket;
        try (HttpConnection c = HttpConnection.open(base.getHost(), port, base.getRawAuthority(), f.name() + " to " + who,
                ctx::record, ctx.timeoutMillis())) {
            socket = c.socket();
            resp = c.exchange(r);
        }
        if (resp.status() != 200) {
            throw new CheckFailed(who + " answered " + resp.status() + " " + resp.reason() + " to the fixture " + f.name()
                    + (f.early() != null && resp.status() == 400 ? " (a server that rejects it itself must declare rejects-before-app="
                            + f.early().id() + ")" : ""));
        }
        Map<String, Object> env = ctx.environ(resp);
        return normalise(env, base, socket);
    }

    private static Map<String, Object> normalise(Map<String, Object> env, URI base, Socket socket) {
        Map<String, Object> out = new TreeMap<>();
        String host = base.getHost();
        String port = Integer.toString(socket.getPort());
        String serverAddr = EnvironBuilder.formatAddress(socket.getInetAddress());
        String serverLiteral = socket.getInetAddress() instanceof Inet6Address ? "[" + serverAddr + "]" : serverAddr;
        String client = EnvironBuilder.formatAddress(socket.getLocalAddress());
        for (Map.Entry<String, Object> e : env.entrySet()) {
            String k = e.getKey();
            Object v = e.getValue();
            if (k.equals("REMOTE_PORT") || k.equals("SERVER_SOFTWARE") || k.equals("jgi.multithread") || k.equals("jgi.multiprocess")
                    || k.equals("jgi.run_once") || k.equals("jgi.file_wrapper") || k.equals("jgi.early_hints")
                    || k.equals("jgi.input_trailers") || (k.indexOf('.') >= 0 && !k.startsWith("jgi."))) {
                continue;
            }
            if (k.equals("SERVER_PORT") && port.equals(v)) {
                v = "<port>";
            } else if (k.equals("SERVER_NAME") && (host.equals(v) || serverLiteral.equals(v))) {
                v = "<host>";
            } else if (k.equals("HTTP_HOST") && (base.getRawAuthority().equals(v) || (host + ":" + port).equals(v))) {
                v = "<host>:<port>";
            } else if (k.equals("HTTP_X_JGI_ID")) {
                v = "<request id>";
            } else if (k.equals("REMOTE_ADDR") && client.equals(v)) {
                v = "<client>";
            }
            out.put(k, v);
        }
        return out;
    }
}

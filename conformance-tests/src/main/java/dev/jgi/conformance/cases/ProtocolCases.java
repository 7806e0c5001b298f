package dev.jgi.conformance.cases;

import dev.jgi.conformance.CaseContext;
import dev.jgi.conformance.Capability;
import dev.jgi.conformance.Category;
import dev.jgi.conformance.ConformanceCase;
import dev.jgi.conformance.Exchange;
import dev.jgi.conformance.app.Protocol;
import dev.jgi.conformance.app.TestData;
import dev.jgi.conformance.http.HttpConnection;
import dev.jgi.conformance.http.Request;
import dev.jgi.conformance.http.Response;
import dev.jgi.conformance.report.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Optional features a server declares: each case runs only when its capability is declared. */
final class ProtocolCases {

    private ProtocolCases() {
    }

    private static final Category C = Category.PROTOCOL;

    static List<ConformanceCase> cases() {
        return List.of(
            ConformanceCase.of(C, "protocol.virtual-threads", "with virtual-threads, the application runs on a virtual thread")
                .rules("thread.request").sources("gap 12").requires(Capability.VIRTUAL_THREADS)
                .check(ctx -> {
                    Map<String, Object> j = ctx.json(ctx.send(ctx.env("/vt")));
                    ctx.equal(Boolean.TRUE, j.get("virtualThread"), "call() ran on a virtual thread");
                }),

            ConformanceCase.of(C, "protocol.http2", "with http2, h2c through Upgrade: the second request over HTTP/2 gets SERVER_PROTOCOL"
                    + " HTTP/2.0 and no connection-specific fields")
                .rules("environ.protocol", "start.hop-by-hop").sources("gap 14").requires(Capability.HTTP2)
                .check(ctx -> {
                    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                            .connectTimeout(Duration.ofMillis(ctx.timeoutMillis())).build();
                    HttpResponse<String> last = null;
                    for (int i = 0; i < 2; i++) {
                        String id = ctx.newId();
                        HttpRequest req = HttpRequest.newBuilder(URI.create(ctx.baseUri() + "/h2"))
                                .timeout(Duration.ofMillis(ctx.timeoutMillis()))
                                .header(Protocol.CASE, Protocol.ENV).header(Protocol.ID, id).GET().build();
                        last = client.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                        ctx.record(new Exchange("HTTP/2 (java.net.http, h2c upgrade) GET " + req.uri(), req.headers().map().toString(),
                                last.version() + " " + last.statusCode() + "\n" + last.headers().map() + "\n\n" + last.body(), ""));
                    }
                    ctx.equal(HttpClient.Version.HTTP_2, last.version(), "protocol of the second response");
                    ctx.equal(200, last.statusCode(), "status");
                    Object env = Json.parseObject(last.body()).get("environ");
                    ctx.check(env instanceof Map, "no environ dump");
                    ctx.equal("HTTP/2.0", ((Map<?, ?>) env).get("SERVER_PROTOCOL"), "SERVER_PROTOCOL");
                    for (String h : List.of("connection", "keep-alive", "transfer-encoding", "upgrade")) {
                        ctx.expect(last.headers().firstValue(h).isEmpty(), "HTTP/2 response carries the connection-specific field " + h);
                    }
                }),

            ConformanceCase.of(C, "protocol.request-trailers", "with request-trailers, jgi.input_trailers gives the trailer fields"
                    + " once jgi.input has ended, and throws IllegalStateException before")
                .rules("input.terminated", "environ.jgi-types").sources("gap 9", "SPEC.md jgi.* variables")
                .requires(Capability.REQUEST_TRAILERS)
                .check(ctx -> {
                    byte[] data = "body before trailers".getBytes(StandardCharsets.US_ASCII);
                    Request r = ctx.to("env", "POST", "/trailers").header(Protocol.READ, "sha").header("TE", "trailers")
                            .chunked(List.of(data)).trailer("X-Checksum", "c0ffee").trailer("X-Count", "1");
                    Response resp = ctx.send(r);
                    ctx.check(ctx.environ(resp).containsKey("jgi.input_trailers"), "jgi.input_trailers is not in the environ");
                    Map<String, Object> in = RequestBodyCases.input(ctx, resp);
                    ctx.equal(TestData.sha256(data), in.get("sha256"), "body");
                    ctx.expectEqual("IllegalStateException", in.get("trailersBeforeEnd"),
                            "jgi.input_trailers.get() before jgi.input reached end-of-stream");
                    ctx.expectEqual(Map.of("x-checksum", "c0ffee", "x-count", "1"), in.get("trailers"),
                            "jgi.input_trailers.get() after end-of-stream (lower-case names)");
                }),

            ConformanceCase.of(C, "protocol.early-hints", "with early-hints, jgi.early_hints sends a 103 with the given fields before"
                    + " the final response, throws IllegalStateException after the commit, and sends nothing on HTTP/1.0")
                .rules("start.status", "environ.jgi-types").sources("gap 10", "SPEC.md jgi.* variables")
                .requires(Capability.EARLY_HINTS)
                .check(ctx -> {
                    Request hinted = ctx.to(Protocol.EARLY_HINTS, "GET", "/hints");
                    try (HttpConnection c = ctx.connect("early hints")) {
                        Response r = c.exchange(hinted);
                        ctx.check(r.interim().size() == 1 && r.interim().get(0).status() == 103,
                                "expected one 103 Early Hints before the final response, got interim " + r.interim());
                        ctx.expectEqual("</style.css>; rel=preload; as=style", r.interim().get(0).header("Link"), "Link of the 103");
                        ctx.equal(200, r.status(), "final status");
                        ctx.equal("after hints\n", r.text(), "final body");
                    }
                    Map<String, Object> j = ctx.awaitJournal(CaseContext.idOf(hinted),
                            x -> x != null && CaseContext.hasEvent(x, "early hints after commit"), "the call after the commit");
                    ctx.expect(CaseContext.hasEvent(j, "early hints after commit threw IllegalStateException"),
                            "jgi.early_hints after the commit must throw IllegalStateException: " + CaseContext.events(j));
                    // and never to HTTP/1.0
                    Response old = ctx.send(ctx.to(Protocol.EARLY_HINTS, "GET", "/hints").version("HTTP/1.0"));
                    ctx.check(old.interim().isEmpty(), "a 103 was sent to an HTTP/1.0 client: " + old.interim());
                    ctx.equal(200, old.status(), "final status on HTTP/1.0");
                    ctx.equal("after hints\n", old.text(), "final body on HTTP/1.0");
                }),

            ConformanceCase.of(C, "protocol.expect-http10", "no 100 Continue is sent to an HTTP/1.0 request")
                .rules("response.expect-continue").sources("gap 5")
                .check(ctx -> {
                    byte[] data = TestData.bytes(3, 1000);
                    Request r = ctx.to(Protocol.EXPECT, "POST", "/expect").header(Protocol.ARG, "read").header("Expect", "100-continue")
                            .version("HTTP/1.0").body(data);
                    Response resp = ctx.send(r);
                    ctx.check(resp.interim().isEmpty(), "the server sent " + resp.interim() + " to an HTTP/1.0 request");
                    ctx.equal(200, resp.status(), "status");
                    ctx.equal("read 1000 " + TestData.sha256(data) + "\n", resp.text(), "body");
                }),

            ConformanceCase.of(C, "protocol.multithread", "jgi.multithread is TRUE when two requests are in the application at once")
                .rules("thread.multithread").sources("gap 12")
                .check(ctx -> {
                    Request r = ctx.to(Protocol.STREAM, "GET", "/held").header(Protocol.ARG, "2");
                    String id = CaseContext.idOf(r);
                    try (HttpConnection c = ctx.connect("a request held open")) {
                        c.send(r);
                        Response.Head head = c.readHead();
                        HttpConnection.BodyStream body = c.body(head, "GET");
                        body.readAtLeast(8);
                        // the first request is now inside the application; a second one runs beside it
                        Map<String, Object> env = ctx.environOf(ctx.env("/beside"));
                        ctx.equal(Boolean.TRUE, env.get("jgi.multithread"), "jgi.multithread of a request served concurrently");
                        ctx.release(id, "2");
                        body.readAll();
                    }
                }));
    }
}

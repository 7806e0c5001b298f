package dev.jgi.conformance.cases;

import static dev.jgi.conformance.cases.Support.chunks;
import static dev.jgi.conformance.cases.Support.h;
import static dev.jgi.conformance.cases.Support.respond;

import dev.jgi.conformance.CaseContext;
import dev.jgi.conformance.Category;
import dev.jgi.conformance.Capability;
import dev.jgi.conformance.ConformanceCase;
import dev.jgi.conformance.app.Protocol;
import dev.jgi.conformance.app.TestData;
import dev.jgi.conformance.http.HttpConnection;
import dev.jgi.conformance.http.Request;
import dev.jgi.conformance.http.Response;
import java.io.IOException;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Status line, response headers, framing, bodyless responses, and what start_response rejects. */
final class ResponseHeaderCases {

    private ResponseHeaderCases() {
    }

    private static final Category C = Category.RESPONSE_STATUS_HEADERS;

    static List<ConformanceCase> cases() {
        List<ConformanceCase> l = new ArrayList<>();
        l.add(ConformanceCase.of(C, "response.status-line", "status codes arrive; a 404 keeps its body")
            .rules("start.status").sources("P19", "P32", "H9")
            .check(ctx -> {
                Response r = ctx.send(respond(ctx, "GET", "200 OK", List.of(h("Content-Type", "text/plain")), chunks("ok"), true));
                ctx.expectEqual(200, r.status(), "200 OK: status");
                r = ctx.send(respond(ctx, "GET", "404 Not Found", List.of(h("Content-Type", "text/plain")), chunks("not here\n"), true));
                ctx.expectEqual(404, r.status(), "404: status");
                ctx.expectEqual("not here\n", r.text(), "404: body");
                r = ctx.send(respond(ctx, "GET", "202 Accepted", List.of(h("Content-Type", "text/plain")), chunks("a"), true));
                ctx.expectEqual(202, r.status(), "202: status");
                ctx.expectEqual(List.of("text/plain"), r.headers("Content-Type"), "202: exactly one Content-Type");
            }));
        l.add(ConformanceCase.of(C, "response.unregistered-status", "unregistered codes (299, 599) arrive unchanged")
            .rules("start.status").sources("gap")
            .check(ctx -> {
                for (String s : List.of("299 Whatever", "599 Custom Failure", "451 Unavailable For Legal Reasons")) {
                    Response r = ctx.send(respond(ctx, "GET", s, List.of(h("Content-Type", "text/plain")), chunks("x"), true));
                    ctx.expectEqual(Integer.parseInt(s.substring(0, 3)), r.status(), s + ": status");
                }
            }));
        l.add(ConformanceCase.of(C, "response.reason-phrase", "the application's reason phrase reaches the wire")
            .rules("response.reason-phrase").sources("H reason phrase", "server-apis 0.9")
            .requires(Capability.REASON_PHRASE)
            .check(ctx -> {
                for (String s : List.of("201 FooBar", "299 Custom Thing", "404 Nothing Here")) {
                    Response r = ctx.send(respond(ctx, "GET", s, List.of(h("Content-Type", "text/plain")), chunks("x"), true));
                    ctx.expectEqual(s.substring(4), r.reason(), s + ": reason phrase");
                }
            }));
        l.add(ConformanceCase.of(C, "response.repeated-headers", "a header set twice is sent as separate lines, in order")
            .rules("response.repeated-headers", "start.headers").sources("P22", "H8")
            .check(ctx -> {
                Response r = ctx.send(respond(ctx, "GET", "200 OK", List.of(h("X-Foo", "foo"), h("X-Foo", "bar"), h("Content-Type", "text/plain"),
                        h("X-Foo", "baz")), chunks("x"), true));
                ctx.equal(List.of("foo", "bar", "baz"), r.headers("X-Foo"), "X-Foo lines");
            }));
        l.add(ConformanceCase.of(C, "response.set-cookie", "two Set-Cookie headers with attributes arrive separately and intact")
            .rules("response.repeated-headers").sources("S cookie basicTest", "S partitioned", "RC cookies", "gap 8")
            .check(ctx -> {
                String c1 = "SID=31d4d96e407aad42; Path=/; Secure; HttpOnly";
                String c2 = "lang=en-US; Domain=example.com; Path=/docs; Expires=Wed, 21 Oct 2037 07:28:00 GMT; Partitioned";
                Response r = ctx.send(respond(ctx, "GET", "200 OK", List.of(h("Set-Cookie", c1), h("Set-Cookie", c2),
                        h("Content-Type", "text/plain")), chunks("x"), true));
                ctx.equal(List.of(c1, c2), r.headers("Set-Cookie"), "Set-Cookie lines");
            }));
        l.add(ConformanceCase.of(C, "response.content-length-zero", "an application Content-Length: 0 is sent once")
            .rules("start.content-length", "response.content-length-limit").sources("H20", "gap 2")
            .check(ctx -> {
                Response r = ctx.send(respond(ctx, "GET", "200 OK", List.of(h("Content-Length", "0")), List.of(), true));
                ctx.equal(List.of("0"), r.headers("Content-Length"), "Content-Length lines");
                ctx.equal(null, r.header("Transfer-Encoding"), "Transfer-Encoding");
                ctx.equal(0, r.body().length, "body length");
            }));
        l.add(ConformanceCase.of(C, "response.content-length-declared", "a declared Content-Length with 16 chunks is used as is")
            .rules("body.content-length", "response.content-length-limit").sources("S random")
            .check(ctx -> {
                List<byte[]> parts = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    parts.add(TestData.bytes(i, 256));
                }
                // 4 KiB of chunks: they travel in the request body, hence POST
                Response r = ctx.send(respond(ctx, "POST", "200 OK", List.of(h("Content-Length", "4096")), parts, false));
                ctx.equal(List.of("4096"), r.headers("Content-Length"), "Content-Length lines");
                ctx.equal(null, r.header("Transfer-Encoding"), "Transfer-Encoding");
                java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
                parts.forEach(all::writeBytes);
                ctx.check(java.util.Arrays.equals(all.toByteArray(), r.body()), "the body differs from the 16 chunks");
            }));
        l.add(ConformanceCase.of(C, "response.content-length-computed", "a one-chunk body without Content-Length gets one computed")
            .rules("response.content-length-computed").sources("gap 4")
            .check(ctx -> {
                Response r = ctx.send(respond(ctx, "GET", "200 OK", List.of(h("Content-Type", "text/plain")), chunks("exactly 17 bytes\n"), true));
                ctx.equal("17", r.header("Content-Length"), "Content-Length");
                ctx.equal(null, r.header("Transfer-Encoding"), "Transfer-Encoding");
                ctx.equal("exactly 17 bytes\n", r.text(), "body");
                r = ctx.send(respond(ctx, "GET", "200 OK", List.of(h("Content-Type", "text/plain")), List.of(), true));
                ctx.equal("0", r.header("Content-Length"), "empty body: Content-Length");
                ctx.equal(null, r.header("Transfer-Encoding"), "empty body: Transfer-Encoding");
            }));
        l.add(ConformanceCase.of(C, "response.chunked-otherwise", "without a known length the body is chunked on HTTP/1.1, close-delimited on 1.0")
            .rules("response.chunked", "response.content-length-computed", "response.no-delay").sources("gap 4", "H NettyTest")
            .check(ctx -> {
                Response r = ctx.send(respond(ctx, "GET", "200 OK", List.of(h("Content-Type", "text/plain")), chunks("a", "b", "c"), false));
                ctx.expectEqual("chunked", r.header("Transfer-Encoding"), "three chunks: Transfer-Encoding");
                ctx.expectEqual(null, r.header("Content-Length"), "three chunks: Content-Length");
                ctx.expectEqual("abc", r.text(), "three chunks: body");
                r = ctx.send(respond(ctx, "GET", "200 OK", List.of(h("Content-Type", "text/plain")), chunks("only"), false));
                ctx.expectEqual("chunked", r.header("Transfer-Encoding"),
                        "one chunk of unknown count: Transfer-Encoding (the server must not peek ahead or buffer)");
                r = ctx.send(respond(ctx, "GET", "200 OK", List.of(h("Content-Type", "text/plain")), chunks("a", "b", "c"), false)
                        .version("HTTP/1.0"));
                ctx.expectEqual(null, r.header("Transfer-Encoding"), "HTTP/1.0: Transfer-Encoding");
                ctx.expectEqual("abc", r.text(), "HTTP/1.0: body");
            }));
        l.add(ConformanceCase.of(C, "response.head", "HEAD: the application runs, no body is sent, Content-Length is the GET one")
            .rules("response.head", "response.content-length-computed").sources("H1", "Rack Lint")
            .check(ctx -> {
                try (HttpConnection c = ctx.connect("HEAD then GET on one connection")) {
                    Request head = respond(ctx, "HEAD", "200 OK", List.of(h("Content-Type", "text/plain")), chunks("hello"), true);
                    Response r = c.exchange(head);
                    ctx.status(r, 200, "HEAD");
                    ctx.expectEqual("5", r.header("Content-Length"), "HEAD: Content-Length");
                    Map<String, Object> j = ctx.journal(CaseContext.idOf(head));
                    ctx.expect(j != null && Boolean.TRUE.equals(j.get("called")), "HEAD: the application was not called");
                    Response next = c.exchange(ctx.env("/after-head"));
                    ctx.expectEqual(200, next.status(), "the request after HEAD on the same connection (stray body bytes?)");
                }
            }));
        l.add(ConformanceCase.of(C, "response.head-streaming", "HEAD on a streamed body: nothing sent, iteration stops after the first chunk")
            .rules("response.head").sources("gap")
            .check(ctx -> {
                try (HttpConnection c = ctx.connect("HEAD of a streamed body, then GET")) {
                    Request head = respond(ctx, "HEAD", "200 OK", List.of(h("Content-Type", "text/plain")), chunks("one", "two", "three"), false);
                    Response r = c.exchange(head);
                    ctx.status(r, 200, "HEAD");
                    Map<String, Object> j = ctx.awaitJournal(CaseContext.idOf(head), x -> CaseContext.closes(x) >= 1, "the body to be closed");
                    ctx.expect(!CaseContext.hasEvent(j, "produced 2"), "the server kept iterating a HEAD response after commit: "
                            + CaseContext.events(j));
                    Response next = c.exchange(ctx.env("/after-head"));
                    ctx.expectEqual(200, next.status(), "the request after HEAD on the same connection (stray body bytes?)");
                }
            }));
        l.add(ConformanceCase.of(C, "response.204", "204: no body, no Content-Length, no Transfer-Encoding; the connection stays usable")
            .rules("response.bodyless", "body.no-content").sources("H25", "V")
            .check(ctx -> {
                bodyless(ctx, "204 No Content", List.of(), null, false);
                bodyless(ctx, "204 No Content", List.of(h("Content-Length", "0")), null, false);
            }));
        l.add(ConformanceCase.of(C, "response.304", "304: no body; no entity headers added; a declared Content-Length kept or dropped, never changed")
            .rules("response.bodyless", "body.no-content").sources("P24", "V", "RFC 9110 8.6")
            .check(ctx -> {
                bodyless(ctx, "304 Not Modified", List.of(h("ETag", "\"v1\"")), null, false);
                // SHOULD keep, MAY drop (RFC 9110 8.6 makes it optional on a 304); a server never sends another value
                bodyless(ctx, "304 Not Modified", List.of(h("ETag", "\"v1\""), h("Content-Length", "1234")), "1234", true);
            }));
        l.add(ConformanceCase.of(C, "response.204-with-body", "body bytes on a 204 are dropped, the connection stays in sync")
            .rules("body.no-content", "response.bodyless").sources("gap")
            .check(ctx -> {
                try (HttpConnection c = ctx.connect("204 with body bytes, then GET")) {
                    Request r = respond(ctx, "GET", "200 OK", List.of(), chunks("stray", "bytes"), false)
                            .header(Protocol.SABOTAGE, "status|" + TestData.pct("204 No Content"));
                    Response first = c.exchange(r);
                    ctx.status(first, 204, "the 204");
                    Response next = c.exchange(ctx.env("/after-204"));
                    ctx.equal(200, next.status(), "the request after the 204 on the same connection");
                }
            }));
        l.add(ConformanceCase.of(C, "response.date", "the server adds a valid Date header to every response")
            .rules("response.date").sources("gap 17")
            .check(ctx -> {
                List<Response> rs = List.of(
                        ctx.send(ctx.env("/date")),
                        ctx.send(respond(ctx, "GET", "404 Not Found", List.of(h("Content-Type", "text/plain")), chunks("x"), true)),
                        ctx.send(ctx.to(Protocol.THROW, "GET", "/date").header(Protocol.ARG, "call")));
                for (Response r : rs) {
                    String d = r.header("Date");
                    ctx.expect(d != null, r.status() + " response: no Date header");
                    if (d != null) {
                        try {
                            DateTimeFormatter.RFC_1123_DATE_TIME.parse(d);
                        } catch (DateTimeParseException e) {
                            ctx.expect(false, r.status() + " response: Date is not an IMF-fixdate: " + d);
                        }
                    }
                }
            }));
        l.add(ConformanceCase.of(C, "response.hop-by-hop-rejected", "hop-by-hop headers from the application are rejected (500), never sent")
            .rules("start.hop-by-hop").sources("gap 17", "V")
            .check(ctx -> {
                for (Support.Hd hd : List.of(h("Connection", "x-jgi-conn"), h("Keep-Alive", "timeout=99"), h("Proxy-Connection", "x-jgi"),
                        h("TE", "x-jgi"), h("Transfer-Encoding", "x-jgi"), h("Upgrade", "x-jgi/1"))) {
                    rejected(ctx, "add-header|" + TestData.pct(hd.name()) + "|" + TestData.pct(hd.value()), "start.hop-by-hop", "x-jgi",
                            hd.name() + ": " + hd.value());
                }
            }));
        l.add(ConformanceCase.of(C, "response.header-name-invalid", "header names that are not tokens are rejected (500), never sent")
            .rules("start.header-name").sources("V")
            .check(ctx -> {
                for (String name : List.of("Bad Name", "X:Colon", "", "\u00dcnicode", "X-Ok\r\nInjected-Name")) {
                    rejected(ctx, "add-header|" + TestData.pct(name) + "|x-jgi-v", "start.header-name", "Injected", "name " + CaseContext.show(name));
                }
            }));
        l.add(ConformanceCase.of(C, "response.header-value-invalid", "values with CR/LF, NUL, DEL or chars above U+00FF are rejected (500)")
            .rules("start.header-value").sources("V")
            .check(ctx -> {
                for (String v : List.of("a\r\nInjected: 1", "a\nInjected: 2", "a\u0000b", "a\u007fb", "\u0100")) {
                    rejected(ctx, "add-header|X-Test|" + TestData.pct(v), "start.header-value", "Injected", "value " + CaseContext.show(v));
                }
            }));
        l.add(ConformanceCase.of(C, "response.status-invalid", "malformed or non-final statuses are rejected (500), never sent")
            .rules("start.status").sources("V")
            .check(ctx -> {
                for (String s : List.of("200OK", "20 OK", "2000 OK", "099 Low", "600 High", "100 Continue", "abc OK", "200 OK\r\nInjected: 1")) {
                    rejected(ctx, "status|" + TestData.pct(s), "start.status", "Injected", "status " + CaseContext.show(s));
                }
                rejected(ctx, "null-status", "start.status", null, "a null status");
                rejected(ctx, "null-headers", "start.headers", null, "a null header list");
            }));
        l.add(ConformanceCase.of(C, "response.content-length-invalid", "a malformed or conflicting Content-Length is rejected (500)")
            .rules("start.content-length").sources("V")
            .check(ctx -> {
                for (String v : List.of("abc", "-1", "1 2", "", "0x10")) {
                    rejected(ctx, "content-length|" + TestData.pct(v), "start.content-length", null, "Content-Length " + CaseContext.show(v));
                }
                Request r = respond(ctx, "GET", "200 OK", List.of(h("Content-Length", "3")), chunks("abc"), true)
                        .header(Protocol.SABOTAGE, "add-header|Content-Length|5");
                Response resp = ctx.send(r);
                ctx.expectEqual(500, resp.status(), "Content-Length 3 and 5: status");
                expectProtocolException(ctx, CaseContext.idOf(r), "start.content-length", "Content-Length 3 and 5");
            }));
        l.add(ConformanceCase.of(C, "response.start-twice", "a second start_response without excInfo throws; the first response stands")
            .rules("start.twice").sources("gap 2", "V")
            .check(ctx -> {
                Request r = respond(ctx, "GET", "200 OK", List.of(h("Content-Type", "text/plain")), chunks("first"), true)
                        .header(Protocol.SABOTAGE, "start-twice");
                Response resp = ctx.send(r);
                ctx.expectEqual(200, resp.status(), "status");
                ctx.expectEqual("first", resp.text(), "body");
                Map<String, Object> j = ctx.journal(CaseContext.idOf(r));
                ctx.expect(CaseContext.hasEvent(j, "second start_response threw ProtocolException [start.twice]"),
                        "the second start_response did not throw ProtocolException [start.twice]: " + CaseContext.events(j));
            }));
        l.add(ConformanceCase.of(C, "response.start-missing", "a body without start_response gives a 500")
            .rules("start.missing", "server.lazy-start", "response.error-500").sources("V")
            .check(ctx -> {
                Response resp = ctx.send(respond(ctx, "GET", "200 OK", List.of(), chunks("orphan"), true)
                        .header(Protocol.SABOTAGE, "no-start"));
                ctx.equal(500, resp.status(), "status");
                Support.noStackTrace(ctx, resp, "start.missing");
            }));
        l.add(ConformanceCase.of(C, "response.body-null", "a null body gives a 500")
            .rules("body.null", "response.error-500").sources("V")
            .check(ctx -> {
                Response resp = ctx.send(respond(ctx, "GET", "200 OK", List.of(), chunks("x"), true).header(Protocol.SABOTAGE, "body-null"));
                ctx.equal(500, resp.status(), "status");
            }));
        l.add(ConformanceCase.of(C, "response.chunk-null", "a null chunk: 500 before commit, an aborted response after")
            .rules("body.chunk-null", "response.abort-after-commit").sources("V")
            .check(ctx -> {
                Response resp = ctx.send(respond(ctx, "GET", "200 OK", List.of(), chunks("a", "b"), false)
                        .header(Protocol.SABOTAGE, "chunk-null|1"));
                ctx.expectEqual(500, resp.status(), "null first chunk: status");
                resp = ctx.send(respond(ctx, "GET", "200 OK", List.of(), chunks("a", "b"), false).header(Protocol.SABOTAGE, "chunk-null|2"));
                ctx.expectEqual(200, resp.status(), "null second chunk: status (already committed)");
                ctx.expect(!resp.complete(), "null second chunk: the response should be aborted (incomplete body), but it ended normally");
            }));
        l.add(ConformanceCase.of(C, "response.content-length-longer", "a body shorter than its Content-Length: 500 if empty, aborted after commit")
            .rules("response.short-body", "body.content-length", "response.abort-after-commit").sources("gap 4")
            .check(ctx -> {
                Response resp = ctx.send(respond(ctx, "GET", "200 OK", List.of(), chunks("hello", "world"), false)
                        .header(Protocol.SABOTAGE, "content-length|20"));
                ctx.expectEqual(200, resp.status(), "10 of 20 bytes: status");
                ctx.expectEqual("20", resp.header("Content-Length"), "10 of 20 bytes: Content-Length");
                ctx.expect(!resp.complete(), "10 of 20 bytes: the connection should be closed short of Content-Length, but the body completed");
                resp = ctx.send(respond(ctx, "GET", "200 OK", List.of(), List.of(), true).header(Protocol.SABOTAGE, "content-length|10"));
                ctx.expectEqual(500, resp.status(), "empty body with Content-Length 10: status");
            }));
        l.add(ConformanceCase.of(C, "response.content-length-shorter", "a body longer than its Content-Length is cut, iteration stops, the connection stays in sync")
            .rules("response.content-length-limit", "body.content-length").sources("gap 4")
            .check(ctx -> {
                try (HttpConnection c = ctx.connect("over-long body, then GET")) {
                    Request r = respond(ctx, "GET", "200 OK", List.of(), chunks("hello", "world"), false)
                            .header(Protocol.SABOTAGE, "content-length|5");
                    Response resp = c.exchange(r);
                    ctx.expectEqual("5", resp.header("Content-Length"), "Content-Length");
                    ctx.expectEqual("hello", resp.text(), "body");
                    Map<String, Object> j = ctx.awaitJournal(CaseContext.idOf(r), x -> CaseContext.closes(x) >= 1, "the body to be closed");
                    ctx.expect(!CaseContext.hasEvent(j, "produced 2"),
                            "the server asked for another chunk after Content-Length was reached: " + CaseContext.events(j));
                    Response next;
                    try {
                        next = c.exchange(ctx.env("/after"));
                    } catch (IOException e) {
                        c.note("the server closed the connection: " + e.getMessage());
                        return;
                    }
                    ctx.expectEqual(200, next.status(), "the next request on the connection (extra bytes sent?)");
                }
                Response one = ctx.send(respond(ctx, "GET", "200 OK", List.of(), chunks("helloworld"), true)
                        .header(Protocol.SABOTAGE, "content-length|5"));
                ctx.expectEqual("hello", one.text(), "one chunk of 10 with Content-Length 5: body");
            }));
        return l;
    }

    /** A bodyless status: no body bytes, no framing headers added, and the connection is reusable. */
    /**
     * Sends a bodyless status and checks it, then that the connection is still in step (no body
     * bytes were sent): Content-Length is {@code length} ({@code null}: none), or none at all if
     * {@code mayDrop}; never another value, never twice.
     */
    private static void bodyless(CaseContext ctx, String status, List<Support.Hd> headers, String length, boolean mayDrop) throws Exception {
        try (HttpConnection c = ctx.connect(status + ", then GET on the same connection")) {
            Response r = c.exchange(respond(ctx, "GET", status, headers, List.of(), true));
            ctx.expectEqual(Integer.parseInt(status.substring(0, 3)), r.status(), status + ": status");
            ctx.expectEqual(null, r.header("Transfer-Encoding"), status + ": Transfer-Encoding");
            List<String> sent = r.headers("Content-Length");
            if (!(mayDrop && sent.isEmpty())) {
                ctx.expectEqual(length == null ? List.of() : List.of(length), sent, status + ": Content-Length lines"
                        + (mayDrop ? " (the application's value, or none)" : ""));
            }
            ctx.expectEqual(null, r.header("Content-Type"), status + ": Content-Type (none was set)");
            Response next = c.exchange(ctx.env("/after"));
            ctx.expectEqual(200, next.status(), status + ": the next request on the same connection");
        }
    }

    /** Injects a fault, expects a 500 that does not carry it, and the ProtocolException in the journal. */
    private static void rejected(CaseContext ctx, String sabotage, String rule, String marker, String what) throws Exception {
        Request r = respond(ctx, "GET", "200 OK", List.of(h("Content-Type", "text/plain")), chunks("body"), true)
                .header(Protocol.SABOTAGE, sabotage);
        Response resp = ctx.send(r);
        ctx.expect(resp.status() == 500, what + ": expected 500, got " + resp.status() + " " + resp.reason());
        if (marker != null) {
            for (String[] hd : resp.head().headers()) {
                ctx.expect(!hd[0].contains(marker) && !hd[1].contains(marker), what + ": the header reached the wire: " + hd[0] + ": " + hd[1]);
            }
        }
        expectProtocolException(ctx, CaseContext.idOf(r), rule, what);
    }

    private static void expectProtocolException(CaseContext ctx, String id, String rule, String what) throws Exception {
        Map<String, Object> j = ctx.journal(id);
        ctx.expect(CaseContext.hasEvent(j, "start_response threw ProtocolException [" + rule + "]"),
                what + ": start_response did not throw ProtocolException [" + rule + "]; journal: " + CaseContext.events(j));
    }
}

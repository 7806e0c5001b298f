package dev.jgi.conformance.cases;

import static dev.jgi.conformance.cases.Support.chunks;
import static dev.jgi.conformance.cases.Support.h;
import static dev.jgi.conformance.cases.Support.respond;

import dev.jgi.conformance.CaseContext;
import dev.jgi.conformance.Category;
import dev.jgi.conformance.ConformanceCase;
import dev.jgi.conformance.app.Protocol;
import dev.jgi.conformance.app.TestData;
import dev.jgi.conformance.http.HttpConnection;
import dev.jgi.conformance.http.Request;
import dev.jgi.conformance.http.Response;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Body bytes, chunking, header delay, streaming without buffering, the write callable. */
final class ResponseBodyCases {

    private ResponseBodyCases() {
    }

    private static final Category C = Category.RESPONSE_BODY;

    static List<ConformanceCase> cases() {
        return List.of(
            ConformanceCase.of(C, "body-out.unaltered", "body bytes arrive unaltered: no newline translation, header-like text, all 256 byte values")
                .rules("response.transparent", "response.content-length-computed").sources("P30", "P31")
                .check(ctx -> {
                    byte[] all = new byte[256];
                    for (int i = 0; i < 256; i++) {
                        all[i] = (byte) i;
                    }
                    List<byte[]> parts = List.of("Bar\nBaz".getBytes(StandardCharsets.US_ASCII),
                            "Foo: Bar\r\n\r\nHello World".getBytes(StandardCharsets.US_ASCII), all, "\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    for (boolean one : new boolean[] {true, false}) {
                        List<byte[]> send = one ? List.of(concat(parts)) : parts;
                        Response r = ctx.send(respond(ctx, "GET", "200 OK", List.of(h("Content-Type", "application/octet-stream")), send, one));
                        ctx.expect(Arrays.equals(concat(parts), r.body()), (one ? "one chunk" : "four chunks")
                                + ": the body arrived altered (" + r.body().length + " bytes)");
                    }
                }),

            ConformanceCase.of(C, "body-out.large", "a 1 MiB response arrives intact, for GET and for POST with a body")
                .rules("response.chunked", "response.content-length-limit").sources("H5", "H6")
                .check(ctx -> {
                    int size = 1 << 20;
                    byte[] expect = TestData.bytes(size, size);
                    Response r = ctx.send(ctx.to(Protocol.LARGE, "GET", "/large").header(Protocol.SIZE, Integer.toString(size)));
                    ctx.expect(r.complete() && Arrays.equals(expect, r.body()), "GET: the 1 MiB body differs (" + r.body().length + " bytes)");
                    r = ctx.send(ctx.to(Protocol.LARGE, "POST", "/large").header(Protocol.SIZE, Integer.toString(size))
                            .header(Protocol.LENGTH, "yes").header(Protocol.READ, "sha").body(TestData.bytes(1, 100_000)));
                    ctx.expectEqual(Integer.toString(size), r.header("Content-Length"), "POST: Content-Length");
                    ctx.expect(r.complete() && Arrays.equals(expect, r.body()), "POST: the 1 MiB body differs (" + r.body().length + " bytes)");
                }),

            ConformanceCase.of(C, "body-out.multi-chunk", "ten chunks arrive concatenated in order")
                .rules("response.chunked").sources("RC enumerator", "S random")
                .check(ctx -> {
                    List<byte[]> parts = new ArrayList<>();
                    StringBuilder all = new StringBuilder();
                    for (int i = 0; i < 10; i++) {
                        parts.add(("part-" + i + ";").getBytes(StandardCharsets.US_ASCII));
                        all.append("part-").append(i).append(';');
                    }
                    Response r = ctx.send(respond(ctx, "GET", "200 OK", List.of(h("Content-Type", "text/plain")), parts, false));
                    ctx.equal(all.toString(), r.text(), "body");
                    ctx.check(r.complete(), "incomplete: " + r.problem());
                }),

            ConformanceCase.of(C, "body-out.empty-chunks", "empty chunks (first, between, last) neither commit nor end the body")
                .rules("response.header-delay", "response.chunked").sources("gap 2")
                .check(ctx -> {
                    Response r = ctx.send(respond(ctx, "GET", "200 OK", List.of(h("Content-Type", "text/plain")),
                            chunks("", "a", "", "", "b", ""), false));
                    ctx.equal("ab", r.text(), "body");
                    ctx.check(r.complete(), "the body did not end properly: " + r.problem());
                }),

            ConformanceCase.of(C, "body-out.streaming", "each chunk reaches the client before the application produces the next")
                .rules("response.no-delay").sources("HS streaming", "S writeAndAutoFlushBeforeComplete", "gap 15")
                .check(ctx -> {
                    Request r = ctx.to(Protocol.STREAM, "GET", "/stream").header(Protocol.ARG, "3");
                    String id = CaseContext.idOf(r);
                    try (HttpConnection c = ctx.connect("paced stream")) {
                        c.send(r);
                        Response.Head head = c.readHead();
                        ctx.check(head.status() == 200, "status " + head.status());
                        HttpConnection.BodyStream body = c.body(head, "GET");
                        for (int k = 1; k <= 3; k++) {
                            String want = "chunk-" + k + "\n";
                            byte[] got = body.readAtLeast(want.length());
                            ctx.equal(want, new String(got, StandardCharsets.US_ASCII), "chunk " + k);
                            Map<String, Object> j = ctx.journal(id);
                            ctx.check(!CaseContext.hasEvent(j, "produced " + (k + 1)),
                                    "the application produced chunk " + (k + 1) + " before the client received chunk " + k);
                            if (k < 3) {
                                ctx.release(id, Integer.toString(k + 1));
                            }
                        }
                        byte[] rest = body.readAll();
                        ctx.equal(0, rest.length, "bytes after the last chunk");
                        ctx.check(body.complete(), "the body did not end properly: " + body.problem());
                    }
                }),

            ConformanceCase.of(C, "body-out.header-delay", "empty chunks do not commit: excInfo can still replace the status")
                .rules("response.header-delay", "start.exc-info").sources("gap 2")
                .check(ctx -> {
                    Request r = ctx.to(Protocol.DELAY, "GET", "/delay").header(Protocol.ARG, "body");
                    Response resp = ctx.send(r);
                    ctx.expectEqual(503, resp.status(), "status (the replaced one)");
                    ctx.expectEqual("yes", resp.header("X-Replaced"), "X-Replaced");
                    ctx.expectEqual(null, resp.header("X-Original"), "X-Original (from the replaced headers)");
                    ctx.expectEqual("replaced\n", resp.text(), "body");
                }),

            ConformanceCase.of(C, "body-out.header-delay-write", "an empty write() does not commit: excInfo can still replace the status")
                .rules("response.header-delay", "write.sent", "start.exc-info").sources("gap 2")
                .check(ctx -> {
                    Response resp = ctx.send(ctx.to(Protocol.DELAY, "GET", "/delay").header(Protocol.ARG, "write"));
                    ctx.expectEqual(503, resp.status(), "status (the replaced one)");
                    ctx.expectEqual("yes", resp.header("X-Replaced"), "X-Replaced");
                    ctx.expectEqual(null, resp.header("X-Original"), "X-Original (from the replaced headers)");
                    ctx.expectEqual("replaced\n", resp.text(), "body");
                }),

            ConformanceCase.of(C, "body-out.write", "write() data is sent when write returns, before the body's chunks")
                .rules("write.sent", "response.no-delay").sources("P29", "RC streaming body", "S writeAndFlushWith")
                .check(ctx -> {
                    Request r = ctx.to(Protocol.WRITE, "GET", "/write");
                    String id = CaseContext.idOf(r);
                    try (HttpConnection c = ctx.connect("write callable")) {
                        c.send(r);
                        Response.Head head = c.readHead();
                        ctx.check(head.status() == 200, "status " + head.status());
                        HttpConnection.BodyStream body = c.body(head, "GET");
                        ctx.equal("write-1\n", new String(body.readAtLeast(8), StandardCharsets.US_ASCII), "first write");
                        ctx.check(!CaseContext.hasEvent(ctx.journal(id), "wrote 2"), "the application went on before the first write arrived");
                        ctx.release(id, "2");
                        ctx.equal("write-2\nbody-3\n", new String(body.readAll(), StandardCharsets.US_ASCII), "second write, then the body");
                        ctx.check(body.complete(), "the body did not end properly: " + body.problem());
                    }
                }),

            ConformanceCase.of(C, "body-out.lazy-start", "start_response may be called inside the first next()")
                .rules("server.lazy-start", "start.missing").sources("V", "PEP 3333")
                .check(ctx -> {
                    Response r = ctx.send(ctx.to(Protocol.LAZY_START, "GET", "/lazy"));
                    ctx.status(r, 200, "lazy start");
                    ctx.equal("lazy\n", r.text(), "body");
                }),

            ConformanceCase.of(C, "body-out.async", "chunks produced by another thread are sent in order")
                .rules("response.no-delay", "thread.request").sources("S async", "P28")
                .check(ctx -> {
                    Response r = ctx.send(ctx.to(Protocol.ASYNC, "GET", "/async"));
                    ctx.equal("async-1\nasync-2\nasync-3\nasync-4\nasync-5\n", r.text(), "body");
                }),

            ConformanceCase.of(C, "body-out.input-stream", "a body over an InputStream is sent whole and its stream closed")
                .rules("server.close-once", "response.chunked").sources("H19", "P6", "P17")
                .check(ctx -> {
                    Request r = ctx.to(Protocol.INPUT_STREAM, "GET", "/stream-body").header(Protocol.SIZE, "50000");
                    Response resp = ctx.send(r);
                    ctx.check(Arrays.equals(TestData.bytes(50000, 50000), resp.body()), "the body differs (" + resp.body().length + " bytes)");
                    ctx.awaitJournal(CaseContext.idOf(r), j -> CaseContext.hasEvent(j, "stream closed"), "the InputStream to be closed");
                }),

            ConformanceCase.of(C, "body-out.close-after-last-chunk", "close() is called once, after the last chunk, before the response ends")
                .rules("server.close-once", "server.chunk-after-close", "server.iterate-once").sources("P17", "V")
                .check(ctx -> {
                    try (HttpConnection c = ctx.connect("close after the last chunk, then the journal on the same connection")) {
                        Request r = respond(ctx, "GET", "200 OK", List.of(h("Content-Type", "text/plain")), chunks("1", "2", "3", "4"), false);
                        Response resp = c.exchange(r);
                        ctx.equal("1234", resp.text(), "body");
                        // the next exchange on this connection starts after the server finished the first one
                        c.exchange(ctx.env("/next"));
                        Map<String, Object> j = ctx.journal(CaseContext.idOf(r));
                        List<String> ev = CaseContext.events(j);
                        ctx.equal(1, CaseContext.closes(j), "close() calls once the response was finished");
                        ctx.check(ev.indexOf("close 1") > ev.indexOf("produced 4"), "close() came before the last chunk: " + ev);
                    }
                }));
    }

    static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        parts.forEach(b::writeBytes);
        return b.toByteArray();
    }
}

package dev.jgi.conformance.cases;

import static dev.jgi.conformance.cases.Support.str;

import dev.jgi.conformance.CaseContext;
import dev.jgi.conformance.Category;
import dev.jgi.conformance.ConformanceCase;
import dev.jgi.conformance.Declaration.ExpectContinue;
import dev.jgi.conformance.app.Protocol;
import dev.jgi.conformance.app.TestData;
import dev.jgi.conformance.http.HttpConnection;
import dev.jgi.conformance.http.Request;
import dev.jgi.conformance.http.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** jgi.input: lengths, chunked bodies, end of stream, large bodies, 100-continue. */
final class RequestBodyCases {

    private RequestBodyCases() {
    }

    private static final Category C = Category.REQUEST_BODY;

    @SuppressWarnings("unchecked")
    static Map<String, Object> input(CaseContext ctx, Response r) throws Exception {
        Object in = ctx.json(r).get("input");
        ctx.check(in instanceof Map, "the application reported no input read");
        return (Map<String, Object>) in;
    }

    private static void readBack(CaseContext ctx, Request r, byte[] expected) throws Exception {
        Map<String, Object> in = input(ctx, ctx.send(r.header(Protocol.READ, "sha")));
        ctx.equal((long) expected.length, ((Number) in.get("length")).longValue(), "bytes the application read from jgi.input");
        ctx.equal(TestData.sha256(expected), in.get("sha256"), "SHA-256 of what the application read");
    }

    static List<ConformanceCase> cases() {
        return List.of(
            ConformanceCase.of(C, "body.form-post", "a small form POST: CONTENT_TYPE, CONTENT_LENGTH and the bytes read")
                .rules("environ.content-length", "input.eof").sources("P3", "H7", "H12")
                .check(ctx -> {
                    byte[] form = "name=miyagawa\n".getBytes(StandardCharsets.US_ASCII);
                    Response r = ctx.send(ctx.to("env", "POST", "/form").header("Content-Type", "application/x-www-form-urlencoded")
                            .header(Protocol.READ, "sha").body(form));
                    Map<String, Object> env = ctx.environ(r);
                    ctx.expectEqual("14", str(env, "CONTENT_LENGTH"), "CONTENT_LENGTH");
                    ctx.expectEqual("application/x-www-form-urlencoded", str(env, "CONTENT_TYPE"), "CONTENT_TYPE");
                    Map<String, Object> in = input(ctx, r);
                    ctx.expectEqual(14L, ((Number) in.get("length")).longValue(), "bytes read");
                    ctx.expectEqual(TestData.sha256(form), in.get("sha256"), "SHA-256 of the bytes read");
                }),

            ConformanceCase.of(C, "body.echo", "12 KiB of random bytes streamed back byte for byte")
                .rules("input.eof", "response.no-delay").sources("S echo", "H26", "RC echo")
                .check(ctx -> {
                    byte[] data = TestData.bytes(12, 12 * 1024);
                    Response r = ctx.send(ctx.to(Protocol.ECHO, "POST", "/echo").body(data));
                    ctx.status(r, 200, "echo");
                    ctx.check(r.complete(), "incomplete response: " + r.problem());
                    ctx.check(Arrays.equals(data, r.body()), "the echoed body differs from what was sent (" + r.body().length + " of "
                            + data.length + " bytes back)");
                }),

            ConformanceCase.of(C, "body.large-96k", "a 96,000-byte body read in a loop, byte-exact")
                .rules("input.eof").sources("P4", "S random")
                .check(ctx -> {
                    byte[] data = TestData.bytes(96, 96_000);
                    readBack(ctx, ctx.to("env", "POST", "/big").header("Content-Type", "application/octet-stream").body(data), data);
                }),

            ConformanceCase.of(C, "body.over-2mib", "a body over 2 MiB (3 MiB + 17) read whole and byte-exact")
                .rules("input.eof").sources("gap 11")
                .check(ctx -> {
                    byte[] data = TestData.bytes(3, 3 * 1024 * 1024 + 17);
                    readBack(ctx, ctx.to("env", "PUT", "/bigger").header("Content-Type", "application/octet-stream").body(data), data);
                }),

            ConformanceCase.of(C, "body.limit-content-length", "with a body-limit, a Content-Length over it gets 413 before the application runs")
                .rules("input.limit", "server.call").sources("RFC 9110 15.5.14", "gap 11").needsBodyLimit()
                .check(ctx -> {
                    long limit = ctx.declaration().bodyLimit();
                    // only the head: the answer must not wait for a body the server is about to refuse
                    Request r = ctx.to("env", "POST", "/too-large").header(Protocol.READ, "sha")
                            .header("Content-Length", Long.toString(limit + 1));
                    Response resp;
                    try (HttpConnection c = ctx.connect("Content-Length " + (limit + 1) + ", one over the body-limit; body not sent")) {
                        c.sendHead(r);
                        resp = c.readResponse("POST");
                    } catch (java.net.SocketTimeoutException e) {
                        Map<String, Object> j = ctx.journal(CaseContext.idOf(r));
                        boolean called = j != null && Boolean.TRUE.equals(j.get("called"));
                        throw new dev.jgi.conformance.CheckFailed("no answer from the server within " + ctx.timeoutMillis() + " ms"
                                + (called ? "; the application was called although the Content-Length is over the body-limit of "
                                        + limit + " (" + CaseContext.events(j) + ")" : ""));
                    }
                    ctx.status(resp, 413, "Content-Length over the body-limit of " + limit);
                    Support.notCalled(ctx, List.of(CaseContext.idOf(r)), "a declared Content-Length over the body-limit");
                }),

            ConformanceCase.of(C, "body.limit-chunked", "with a body-limit, a chunked body growing past it makes jgi.input throw"
                    + " RequestBodyTooLargeException, answered 413 when nothing was committed")
                .rules("input.limit").sources("RFC 9110 15.5.14", "gap 11").needsBodyLimit()
                .check(ctx -> {
                    long limit = ctx.declaration().bodyLimit();
                    long total = limit + 1;
                    // the application reads the whole body before it starts the response
                    Request r = ctx.to("env", "POST", "/growing").header(Protocol.READ, "sha").header("Transfer-Encoding", "chunked");
                    Response resp;
                    try (HttpConnection c = ctx.connect("a chunked body of " + total + " bytes, one over the body-limit")) {
                        c.sendHead(r);
                        byte[] chunk = TestData.bytes(13, 64 * 1024);
                        try {
                            for (long sent = 0; sent < total; ) {
                                int n = (int) Math.min(chunk.length, total - sent);
                                c.sendRaw((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                                c.sendRaw(n == chunk.length ? chunk : Arrays.copyOf(chunk, n));
                                c.sendRaw("\r\n".getBytes(StandardCharsets.US_ASCII));
                                sent += n;
                            }
                            c.sendRaw("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        } catch (IOException e) {
                            // a server may answer and stop reading once the limit is passed
                            c.note("sending the body stopped: " + e.getMessage());
                        }
                        resp = c.readResponse("POST");
                    }
                    ctx.status(resp, 413, "a chunked body over the body-limit of " + limit);
                    Map<String, Object> j = ctx.journal(CaseContext.idOf(r));
                    if (j != null && Boolean.TRUE.equals(j.get("called"))) {
                        ctx.check(CaseContext.hasEvent(j, "call() threw dev.jgi.gateway.RequestBodyTooLargeException"),
                                "the application's read past the limit did not throw RequestBodyTooLargeException: "
                                        + CaseContext.events(j));
                    }
                }),

            ConformanceCase.of(C, "body.chunked", "a chunked request body (extensions, odd sizes) is de-chunked exactly")
                .rules("input.terminated", "input.eof").sources("HS", "gap")
                .check(ctx -> {
                    byte[] data = TestData.bytes(5, 1 + 8192 + 100_000 + 3);
                    Request r = ctx.to("env", "POST", "/chunked").header(Protocol.READ, "sha").header("Transfer-Encoding", "chunked");
                    ByteArrayOutputStream framed = new ByteArrayOutputStream();
                    int[] sizes = {1, 8192, 100_000, 3};
                    int off = 0;
                    for (int i = 0; i < sizes.length; i++) {
                        framed.writeBytes((Integer.toHexString(sizes[i]) + (i == 1 ? ";ext=1;q=\"x\"" : "") + "\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                        framed.write(data, off, sizes[i]);
                        framed.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
                        off += sizes[i];
                    }
                    framed.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    Response resp;
                    try (HttpConnection c = ctx.connect("chunked request body")) {
                        c.sendHead(r);
                        c.sendRaw(framed.toByteArray());
                        resp = c.readResponse("POST");
                    }
                    Map<String, Object> env = ctx.environ(resp);
                    ctx.expect(!env.containsKey("CONTENT_LENGTH"), "CONTENT_LENGTH must be absent for a chunked body");
                    Map<String, Object> in = input(ctx, resp);
                    ctx.expectEqual((long) data.length, ((Number) in.get("length")).longValue(), "bytes read");
                    ctx.expectEqual(TestData.sha256(data), in.get("sha256"), "SHA-256 of the bytes read");
                }),

            ConformanceCase.of(C, "body.chunked-trailers", "a chunked body with trailer fields is read intact")
                .rules("input.terminated").sources("gap 9")
                .check(ctx -> {
                    byte[] data = "trailing data".getBytes(StandardCharsets.US_ASCII);
                    readBack(ctx, ctx.to("env", "POST", "/trailers").chunked(List.of(data)).trailer("X-Checksum", "abc")
                            .trailer("X-More", "1"), data);
                }),

            ConformanceCase.of(C, "body.read-past-end", "reading past the end returns -1 at once, for Content-Length and chunked bodies")
                .rules("input.eof").sources("gap", "V")
                .check(ctx -> {
                    byte[] data = TestData.bytes(100, 100);
                    for (boolean chunked : new boolean[] {false, true}) {
                        Request r = ctx.to("env", "POST", "/past").header(Protocol.READ, "past-end");
                        r = chunked ? r.chunked(List.of(Arrays.copyOf(data, 40), Arrays.copyOfRange(data, 40, 100))) : r.body(data);
                        String what = chunked ? "chunked" : "Content-Length";
                        Response resp;
                        try (HttpConnection c = ctx.connect("read past end, " + what)) {
                            resp = c.exchange(r); // the connection stays open: a blocking read would hang here
                        }
                        Map<String, Object> in = input(ctx, resp);
                        ctx.expectEqual(100L, ((Number) in.get("length")).longValue(), what + ": bytes read");
                        ctx.expectEqual(List.of(-1L, -1L, -1L, -1L), in.get("pastEnd"), what + ": reads after the end");
                        ctx.expectEqual(0L, in.get("readZeroLength"), what + ": read(b, off, 0)");
                        ctx.expectEqual(Boolean.FALSE, in.get("markSupported"), what + ": markSupported()");
                    }
                }),

            ConformanceCase.of(C, "body.get-no-body", "jgi.input of a GET without a body is at its end at once")
                .rules("input.eof").sources("P34")
                .check(ctx -> {
                    Response resp = ctx.send(ctx.env("/nobody").header(Protocol.READ, "past-end"));
                    Map<String, Object> in = input(ctx, resp);
                    ctx.expectEqual(0L, ((Number) in.get("length")).longValue(), "bytes read");
                    ctx.expectEqual(List.of(-1L, -1L, -1L, -1L), in.get("pastEnd"), "reads after the end");
                }),

            ConformanceCase.of(C, "body.zero-length", "Content-Length: 0 gives CONTENT_LENGTH \"0\" and an empty jgi.input")
                .rules("environ.content-length", "input.eof").sources("gap")
                .check(ctx -> {
                    Response resp = ctx.send(ctx.to("env", "POST", "/zero").header(Protocol.READ, "past-end").body(new byte[0]));
                    ctx.expectEqual("0", str(ctx.environ(resp), "CONTENT_LENGTH"), "CONTENT_LENGTH");
                    ctx.expectEqual(0L, ((Number) input(ctx, resp).get("length")).longValue(), "bytes read");
                }),

            ConformanceCase.of(C, "body.partial-read", "after the application reads part of a body, the connection stays usable or closes cleanly")
                .rules("input.unread").sources("S writeOnly", "gap")
                .check(ctx -> unreadBody(ctx, "10")),

            ConformanceCase.of(C, "body.unread", "after the application ignores a body, the connection stays usable or closes cleanly")
                .rules("input.unread").sources("S writeOnly")
                .check(ctx -> unreadBody(ctx, null)),

            ConformanceCase.of(C, "body.invalid-content-length", "a malformed Content-Length is rejected with 400 before the application")
                .rules("request.content-length", "server.call").sources("H13")
                .check(ctx -> {
                    List<String> ids = new java.util.ArrayList<>();
                    for (String[] cl : new String[][] {{"nonsense"}, {"-5"}, {"+5"}, {"5, 5"}, {"5", "5"}, {"0x5"}, {"1234567890123456789"}}) {
                        Request r = ctx.to("env", "POST", "/bad-length").body("hello").noAutoLength();
                        for (String v : cl) {
                            r.header("Content-Length", v);
                        }
                        Response resp = ctx.send(r);
                        ctx.expect(resp.status() == 400, "Content-Length " + java.util.Arrays.toString(cl) + ": expected 400, got " + resp.status());
                        ids.add(CaseContext.idOf(r));
                    }
                    Support.notCalled(ctx, ids, "a malformed Content-Length");
                    Map<String, Object> env = ctx.environOf(ctx.to("env", "POST", "/leading-zeros").header("Content-Length", "007")
                            .header(Protocol.READ, "sha").noAutoLength().body("1234567"));
                    ctx.expectEqual("7", str(env, "CONTENT_LENGTH"), "Content-Length: 007 gives CONTENT_LENGTH");
                }),

            ConformanceCase.of(C, "body.expect-continue-read", "Expect: 100-continue: 100 arrives, then the body is read")
                .rules("response.expect-continue").sources("gap 5")
                .check(ctx -> {
                    byte[] data = TestData.bytes(9, 5000);
                    Request r = ctx.to(Protocol.EXPECT, "POST", "/expect").header(Protocol.ARG, "read")
                            .header("Expect", "100-continue").body(data);
                    try (HttpConnection c = ctx.connect("Expect: 100-continue, application reads")) {
                        c.sendHead(r);
                        Response.Head first;
                        try {
                            first = c.readHead();
                        } catch (java.net.SocketTimeoutException e) {
                            ctx.check(false, "no 100 Continue within " + ctx.timeoutMillis() + " ms although the application reads the body");
                            return;
                        }
                        ctx.check(first.status() == 100, "expected 100 Continue before the body, got " + first);
                        c.sendBody(r);
                        Response resp = c.readResponse("POST");
                        ctx.status(resp, 200, "the final response");
                        ctx.equal("read 5000 " + TestData.sha256(data) + "\n", resp.text(), "what the application read");
                    }
                }),

            ConformanceCase.of(C, "body.expect-continue-no-read", "Expect: 100-continue: no 100 when the application answers without reading")
                .rules("response.expect-continue").sources("gap 5")
                .check(ctx -> {
                    Request r = ctx.to(Protocol.EXPECT, "POST", "/expect").header(Protocol.ARG, "ignore")
                            .header("Expect", "100-continue").body(TestData.bytes(10, 5000));
                    try (HttpConnection c = ctx.connect("Expect: 100-continue, application does not read")) {
                        c.sendHead(r);
                        Response.Head first = c.readHead();
                        boolean eager = ctx.declaration().expectContinue() == ExpectContinue.EAGER;
                        if (first.status() == 100) {
                            ctx.check(eager, "the server sent 100 Continue although the application never read the body"
                                    + " (declare expect-continue=eager if the server always sends it)");
                            first = c.readHead();
                        } else {
                            ctx.check(!eager, "expect-continue=eager is declared, but no 100 Continue came before " + first);
                        }
                        ctx.equal(200, first.status(), "final status");
                        Response resp = c.readBody(first, List.of(), "POST");
                        ctx.equal("not read\n", resp.text(), "body");
                    }
                }));
    }

    /** Sends a body the application does not (fully) read, then a second request on the same connection. */
    private static void unreadBody(CaseContext ctx, String readBytes) throws Exception {
        Request first = ctx.to("env", "POST", "/first").body(TestData.bytes(11, 100 * 1024));
        if (readBytes != null) {
            first.header(Protocol.READ, readBytes);
        }
        try (HttpConnection c = ctx.connect("unread request body, then a second request")) {
            Response r1 = c.exchange(first);
            ctx.status(r1, 200, "the first request");
            if (readBytes != null) {
                ctx.equal(Long.parseLong(readBytes), ((Number) input(ctx, r1).get("length")).longValue(), "bytes read");
            }
            if ("close".equalsIgnoreCase(r1.header("Connection"))) {
                c.note("the server announced Connection: close");
                return;
            }
            Request second = ctx.env("/second");
            Response r2;
            try {
                c.send(second);
                r2 = c.readResponse("GET");
            } catch (IOException e) {
                // closing the connection instead of draining the body is allowed; garbage is not
                c.note("the server closed the connection after the first response: " + e.getMessage());
                return;
            }
            Map<String, Object> env = ctx.environ(r2);
            ctx.equal("/second", str(env, "PATH_INFO"), "PATH_INFO of the second request on the connection");
        }
    }
}

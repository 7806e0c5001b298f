package dev.jgi.conformance.cases;

import static dev.jgi.conformance.cases.Support.chunks;
import static dev.jgi.conformance.cases.Support.h;
import static dev.jgi.conformance.cases.Support.respond;

import dev.jgi.conformance.CaseContext;
import dev.jgi.conformance.Category;
import dev.jgi.conformance.ConformanceCase;
import dev.jgi.conformance.app.Protocol;
import dev.jgi.conformance.http.HttpConnection;
import dev.jgi.conformance.http.Request;
import dev.jgi.conformance.http.Response;
import java.util.List;
import java.util.Map;

/** Application errors, excInfo, close() in every outcome, client disconnects, keep-alive. */
final class LifecycleCases {

    private LifecycleCases() {
    }

    private static final Category C = Category.ERRORS_LIFECYCLE;

    /** After an error, the same server must still answer. */
    private static void stillServes(CaseContext ctx) throws Exception {
        Response r = ctx.send(ctx.env("/still-alive"));
        ctx.check(r.status() == 200, "the server does not answer normally after the error: " + r.status());
    }

    private static void error500(CaseContext ctx, String where) throws Exception {
        Request r = ctx.to(Protocol.THROW, "GET", "/throw").header(Protocol.ARG, where);
        Response resp = ctx.send(r);
        ctx.status(resp, 500, "an exception from " + where);
        String ct = resp.header("Content-Type");
        ctx.expect(ct != null && ct.startsWith("text/plain"), "Content-Type of the 500 should be text/plain, is " + ct);
        ctx.expect(resp.header("Content-Length") != null, "the 500 should carry a Content-Length");
        ctx.expectEqual(null, resp.header("X-Original"), "headers of the failed response must be discarded");
        Support.noStackTrace(ctx, resp, "500 after an exception from " + where);
        stillServes(ctx);
    }

    private static void aborted(CaseContext ctx, Request r, String want, String what) throws Exception {
        Response resp = ctx.send(r);
        ctx.expectEqual(200, resp.status(), what + ": status (already committed)");
        ctx.expect(resp.text().startsWith(want), what + ": the body sent before the failure should arrive, got " + CaseContext.show(resp.text()));
        ctx.expect(!resp.complete(), what + ": the response ended normally; it must be aborted so the client sees it is incomplete ("
                + resp.framing() + ")");
        ctx.expect(!resp.text().contains(Protocol.SECRET), what + ": the exception message leaked into the body");
        stillServes(ctx);
    }

    static List<ConformanceCase> cases() {
        return List.of(
            ConformanceCase.of(C, "errors.app-throws", "an exception from call() gives a 500 without a stack trace; the server goes on")
                .rules("response.error-500").sources("P20", "H16", "S handlingError")
                .check(ctx -> error500(ctx, "call")),

            ConformanceCase.of(C, "errors.iterator-throws", "an exception from iterator() gives a 500; the body is closed once")
                .rules("response.error-500", "server.close-once").sources("S responseBodyError")
                .check(ctx -> error500(ctx, "iterator")),

            ConformanceCase.of(C, "errors.next-throws-before-commit", "an exception from the first next() gives a 500; the body is closed once")
                .rules("response.error-500", "server.close-once").sources("S responseBodyError")
                .check(ctx -> error500(ctx, "first-next")),

            ConformanceCase.of(C, "errors.next-throws-after-commit", "an exception after the first chunk aborts a chunked response; closed once")
                .rules("response.abort-after-commit", "server.close-once").sources("Ring streaming-with-error", "gap 2")
                .check(ctx -> aborted(ctx, ctx.to(Protocol.THROW, "GET", "/throw").header(Protocol.ARG, "after-commit"), "partial-1\n",
                        "chunked")),

            ConformanceCase.of(C, "errors.next-throws-after-commit-length", "an exception after commit with Content-Length closes short of it")
                .rules("response.abort-after-commit", "server.close-once").sources("gap 4")
                .check(ctx -> aborted(ctx, ctx.to(Protocol.THROW, "GET", "/throw").header(Protocol.ARG, "after-commit-length"),
                        "partial-1\n", "Content-Length 100")),

            ConformanceCase.of(C, "errors.exc-info-before-commit", "start_response with excInfo before commit replaces status and all headers")
                .rules("start.exc-info").sources("gap 2", "PEP 3333")
                .check(ctx -> {
                    Response r = ctx.send(ctx.to(Protocol.EXC_INFO, "GET", "/excinfo").header(Protocol.ARG, "before"));
                    ctx.expectEqual(500, r.status(), "status");
                    ctx.expectEqual("yes", r.header("X-Replaced"), "X-Replaced");
                    ctx.expectEqual(null, r.header("X-Original"), "X-Original (the replaced headers must not survive)");
                    ctx.expectEqual("replaced\n", r.text(), "body");
                }),

            ConformanceCase.of(C, "errors.exc-info-after-commit", "after commit, start_response(excInfo) rethrows it and the response is aborted")
                .rules("server.exc-info-rethrow", "response.abort-after-commit").sources("gap 2", "PEP 3333")
                .check(ctx -> {
                    Request r = ctx.to(Protocol.EXC_INFO, "GET", "/excinfo").header(Protocol.ARG, "after");
                    aborted(ctx, r, "partial-1\n", "excInfo after commit");
                    Map<String, Object> j = ctx.journal(CaseContext.idOf(r));
                    ctx.expect(CaseContext.hasEvent(j, "start_response rethrew the same excInfo"),
                            "start_response did not rethrow the same excInfo object: " + CaseContext.events(j));
                }),

            ConformanceCase.of(C, "errors.close-after-disconnect", "when the client goes away mid-body, iteration stops and close() is called once")
                .rules("server.client-disconnect", "server.close-once").sources("gap 3", "PEP 3333")
                .check(ctx -> {
                    Request r = ctx.to(Protocol.ENDLESS, "GET", "/endless").header(Protocol.ARG, "body");
                    String id = CaseContext.idOf(r);
                    try (HttpConnection c = ctx.connect("disconnect during an endless body")) {
                        c.send(r);
                        Response.Head head = c.readHead();
                        ctx.check(head.status() == 200, "status " + head.status());
                        c.body(head, "GET").readAtLeast(16 * 1024);
                        c.reset();
                    }
                    Map<String, Object> j = ctx.awaitJournal(id, x -> CaseContext.closes(x) >= 1, "close() after the client disconnected");
                    ctx.check(!CaseContext.hasEvent(j, "body closed after 32768 chunks"),
                            "the server iterated the whole body after the client had gone");
                }),

            ConformanceCase.of(C, "errors.write-after-disconnect", "write() after the client went away throws ClientDisconnectedException")
                .rules("server.client-disconnect", "write.sent").sources("gap 3")
                .check(ctx -> {
                    Request r = ctx.to(Protocol.ENDLESS, "GET", "/endless").header(Protocol.ARG, "write");
                    String id = CaseContext.idOf(r);
                    try (HttpConnection c = ctx.connect("disconnect during write()")) {
                        c.send(r);
                        Response.Head head = c.readHead();
                        ctx.check(head.status() == 200, "status " + head.status());
                        c.body(head, "GET").readAtLeast(16 * 1024);
                        c.reset();
                    }
                    Map<String, Object> j = ctx.awaitJournal(id, x -> CaseContext.hasEvent(x, "write failed") || CaseContext.hasEvent(x,
                            "write never failed"), "write() to fail after the disconnect");
                    ctx.check(events(j).stream().anyMatch(e -> e.endsWith(": ClientDisconnectedException")),
                            "write() did not throw ClientDisconnectedException: " + events(j));
                }),

            ConformanceCase.of(C, "errors.close-throws", "an exception from close() does not change the response; the server goes on")
                .rules("server.close-once").sources("gap")
                .check(ctx -> {
                    Response r = ctx.send(ctx.to(Protocol.CLOSE_THROWS, "GET", "/close-throws"));
                    ctx.expectEqual(200, r.status(), "status");
                    ctx.expectEqual("ok\n", r.text(), "body");
                    ctx.expect(r.complete(), "the response was cut: " + r.problem());
                    stillServes(ctx);
                }),

            ConformanceCase.of(C, "errors.server-log", "application errors and close() failures are logged with their stack traces")
                .rules("server.log").sources("PEP 3333", "gap").needsServerLog()
                .check(ctx -> {
                    Request a = ctx.to(Protocol.THROW, "GET", "/log").header(Protocol.ARG, "first-next");
                    ctx.status(ctx.send(a), 500, "an exception from next()");
                    Request b = ctx.to(Protocol.CLOSE_THROWS, "GET", "/log");
                    ctx.status(ctx.send(b), 200, "a body whose close() throws");
                    String[] marks = {"(request " + CaseContext.idOf(a) + ")", "(request " + CaseContext.idOf(b) + ")"};
                    long deadline = System.nanoTime() + ctx.timeoutMillis() * 1_000_000L;
                    String log = ctx.serverLog();
                    while (!(log.contains(marks[0]) && log.contains(marks[1])) && System.nanoTime() < deadline) {
                        Thread.sleep(50);
                        log = ctx.serverLog();
                    }
                    for (String m : marks) {
                        int at = log.indexOf(m);
                        ctx.expect(at >= 0, "the server log has no record with the exception message ending in " + m);
                        ctx.expect(at >= 0 && log.indexOf("\tat ", at) > at, "the record for " + m + " has no stack trace");
                    }
                }),

            ConformanceCase.of(C, "errors.rejection-no-stack-trace", "the server's own 400 and 404 carry no stack trace")
                .rules("response.error-500", "path.encoded-slash").sources("H24")
                .check(ctx -> {
                    Response r = ctx.send(ctx.env("/v1/a%2Fb"));
                    ctx.expectEqual(400, r.status(), "status of /v1/a%2Fb");
                    Support.noStackTrace(ctx, r, "400");
                    stillServes(ctx);
                }),

            ConformanceCase.of(C, "errors.keep-alive", "several requests on one connection: fixed-length, chunked, empty, HEAD")
                .rules("response.chunked", "response.content-length-computed").sources("H NettyTest", "B8")
                .check(ctx -> {
                    try (HttpConnection c = ctx.connect("keep-alive")) {
                        for (int i = 0; i < 2; i++) {
                            Response a = c.exchange(respond(ctx, "GET", "200 OK", List.of(h("Content-Type", "text/plain")), chunks("fixed"), true));
                            ctx.equal("fixed", a.text(), "fixed-length response " + i);
                            Response b = c.exchange(respond(ctx, "GET", "200 OK", List.of(h("Content-Type", "text/plain")), chunks("ch", "unk", "ed"), false));
                            ctx.equal("chunked", b.text(), "chunked response " + i);
                            Response e = c.exchange(respond(ctx, "POST", "204 No Content", List.of(), List.of(), true).body("ignored"));
                            ctx.equal(204, e.status(), "204 response " + i);
                            Response hd = c.exchange(respond(ctx, "HEAD", "200 OK", List.of(h("Content-Type", "text/plain")), chunks("x", "y"), false));
                            ctx.equal(200, hd.status(), "HEAD response " + i);
                        }
                    }
                }),

            ConformanceCase.of(C, "errors.errors-stream", "jgi.errors accepts writes and flushes")
                .rules("environ.jgi-types", "errors.close").sources("P18", "V")
                .check(ctx -> {
                    Request r = ctx.to(Protocol.ERRORS, "GET", "/errors");
                    Response resp = ctx.send(r);
                    ctx.status(resp, 200, "errors");
                    ctx.check(CaseContext.hasEvent(ctx.journal(CaseContext.idOf(r)), "wrote to jgi.errors"), "writing to jgi.errors failed");
                }),

            ConformanceCase.of(C, "errors.upload-disconnect", "a truncated upload makes jgi.input throw ClientDisconnectedException, never -1")
                .rules("input.disconnect").sources("gap")
                .check(ctx -> {
                    Request r = ctx.to("env", "POST", "/upload").header(Protocol.READ, "sha").header("Content-Length", "100000").noAutoLength()
                            .body(new byte[1000]);
                    String id = CaseContext.idOf(r);
                    try (HttpConnection c = ctx.connect("truncated upload")) {
                        c.send(r);
                        c.socket().shutdownOutput();
                        c.awaitClose();
                    }
                    Map<String, Object> j = ctx.awaitJournal(id, x -> x != null && (CaseContext.hasEvent(x, "call() threw")
                            || CaseContext.hasEvent(x, "read ")), "the application's read to end");
                    ctx.check(events(j).stream().anyMatch(e -> e.startsWith("call() threw dev.jgi.ClientDisconnectedException")),
                            "the application's read of a truncated body did not throw ClientDisconnectedException: " + events(j));
                }),

            ConformanceCase.of(C, "errors.environ-fresh", "each request gets a new environ map")
                .rules("environ.fresh", "server.call").sources("gap")
                .check(ctx -> {
                    try (HttpConnection c = ctx.connect("three requests on one connection")) {
                        for (int i = 0; i < 3; i++) {
                            ctx.check(c.exchange(ctx.env("/fresh")).status() == 200, "request " + i);
                        }
                    }
                    // the harness flags a reused or re-filled environ as [environ.fresh]; the journal check reports it
                }),

            ConformanceCase.of(C, "errors.thread-request", "every call into the application for a request happens on one thread")
                .rules("thread.request", "thread.multithread").sources("gap 12")
                .check(ctx -> {
                    Response r = ctx.send(respond(ctx, "GET", "200 OK", List.of(h("Content-Type", "text/plain")), chunks("a", "b", "c"), false));
                    ctx.equal("abc", r.text(), "body");
                    // the harness flags calls from another thread as [thread.request]; the journal check reports it
                }));
    }

    @SuppressWarnings("unchecked")
    private static List<String> events(Map<String, Object> j) {
        return CaseContext.events(j);
    }
}

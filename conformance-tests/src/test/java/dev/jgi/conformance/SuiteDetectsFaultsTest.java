package dev.jgi.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.Header;
import dev.jgi.conformance.cases.Cases;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The suite must be able to fail. Each test here runs a few cases against a server with one
 * deliberate fault, made by putting a middleware between the reference server and the
 * conformance application (to the application's harness, that middleware is part of the server),
 * or by declaring what the reference server does not do, and checks that exactly the cases that
 * should notice it fail, with a reason that names the fault.
 */
class SuiteDetectsFaultsTest {

    private static final ExecutorService OTHER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fault-other-thread");
        t.setDaemon(true);
        return t;
    });

    @AfterAll
    static void stopExecutor() {
        OTHER.shutdownNow();
    }

    /** Runs cases against the reference server with a fault middleware and an optional declaration. */
    private static Map<String, CaseResult> run(UnaryOperator<Application> fault, Declaration declaration, String mount, String... ids)
            throws Exception {
        Map<String, CaseResult> out = new HashMap<>();
        try (ServerUnderTest.Running server = new ReferenceServerUnderTest(false).start(fault.apply(ConformanceApp.create()), mount);
                ServerUnderTest.Running reference = new ReferenceServerUnderTest(false).start(ConformanceApp.create(), mount)) {
            ConformanceRun run = new ConformanceRun(server.baseUri(), declaration, reference::baseUri, 3000);
            for (String id : ids) {
                ConformanceCase c = Cases.all().stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
                out.put(id, run.run(c));
            }
        }
        return out;
    }

    private static Map<String, CaseResult> run(UnaryOperator<Application> fault, String... ids) throws Exception {
        return run(fault, ReferenceServerUnderTest.declaration(false), "", ids);
    }

    private static void fails(Map<String, CaseResult> results, String id, String reasonPart) {
        CaseResult r = results.get(id);
        assertEquals(Verdict.FAIL, r.verdict(), id + " should fail: " + r);
        assertTrue(r.reason().contains(reasonPart), id + ": the reason should mention \"" + reasonPart + "\": " + r.reason());
        assertTrue(!r.transcript().isEmpty(), id + ": a failure carries its transcript");
    }

    private static void passes(Map<String, CaseResult> results, String id) {
        assertEquals(Verdict.PASS, results.get(id).verdict(), () -> id + " should pass: " + results.get(id));
    }

    /** A body wrapper with a replaceable close, iterator and chunk count. */
    private static Body body(Body inner, Iterable<byte[]> chunks, IOExceptionRunnable close, int chunkCount) {
        return new Body() {
            @Override
            public Iterator<byte[]> iterator() {
                return chunks.iterator();
            }

            @Override
            public void close() throws IOException {
                close.run();
            }

            @Override
            public int chunkCount() {
                return chunkCount;
            }
        };
    }

    @FunctionalInterface
    private interface IOExceptionRunnable {
        void run() throws IOException;
    }

    @Test
    void aServerThatBuffersTheBodyFailsTheStreamingCases() throws Exception {
        UnaryOperator<Application> buffering = app -> (env, sr) -> {
            Body b = app.call(env, sr);
            return new Body() {
                private List<byte[]> all;

                @Override
                public Iterator<byte[]> iterator() {
                    ByteArrayOutputStream o = new ByteArrayOutputStream();
                    for (byte[] c : b) {
                        o.writeBytes(c);
                    }
                    all = List.of(o.toByteArray());
                    return all.iterator();
                }

                @Override
                public void close() throws IOException {
                    b.close();
                }
            };
        };
        Map<String, CaseResult> r = run(buffering, "body-out.streaming", "body-out.multi-chunk");
        fails(r, "body-out.streaming", "no answer from the server");
        passes(r, "body-out.multi-chunk");
    }

    @Test
    void aServerThatClosesTwiceOrNeverIsCaught() throws Exception {
        Map<String, CaseResult> twice = run(app -> (env, sr) -> {
            Body b = app.call(env, sr);
            return body(b, b, () -> {
                b.close();
                b.close();
            }, b.chunkCount());
        }, "body-out.multi-chunk");
        fails(twice, "body-out.multi-chunk", "[server.close-once]");
        Map<String, CaseResult> never = run(app -> (env, sr) -> {
            Body b = app.call(env, sr);
            return body(b, b, () -> { }, b.chunkCount());
        }, "response.status-line");
        fails(never, "response.status-line", "closed 0 times");
    }

    @Test
    void aServerThatIteratesOnAnotherThreadIsCaught() throws Exception {
        Map<String, CaseResult> r = run(app -> (env, sr) -> {
            Body b = app.call(env, sr);
            Iterable<byte[]> elsewhere = () -> {
                Iterator<byte[]> it;
                try {
                    it = OTHER.submit(b::iterator).get();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public byte[] next() {
                        return it.next();
                    }
                };
            };
            return body(b, elsewhere, b::close, b.chunkCount());
        }, "errors.thread-request");
        fails(r, "errors.thread-request", "[thread.request]");
    }

    @Test
    void aServerThatRewritesTheEnvironIsCaught() throws Exception {
        UnaryOperator<Application> rewriting = app -> (env, sr) -> {
            env.put("PATH_INFO", ((String) env.get("PATH_INFO")).replaceAll("/+", "/"));
            for (Map.Entry<String, Object> e : env.entrySet()) {
                if (e.getKey().startsWith("HTTP_X_") && e.getValue() instanceof String) {
                    e.setValue(((String) e.getValue()).replace(", ", ","));
                }
            }
            return app.call(env, sr);
        };
        Map<String, CaseResult> r = run(rewriting, "path.empty-segments", "headers.repeated", "environ-diff.repeated-headers",
                "path.percent-decoded");
        fails(r, "path.empty-segments", "PATH_INFO");
        fails(r, "headers.repeated", "HTTP_X_FOO");
        fails(r, "environ-diff.repeated-headers", "HTTP_X_MULTI: this server \"a,b\", reference \"a, b\"");
        passes(r, "path.percent-decoded");
    }

    @Test
    void aServerThatReusesTheEnvironIsCaught() throws Exception {
        HashMap<String, Object> shared = new HashMap<>();
        Map<String, CaseResult> r = run(app -> (env, sr) -> {
            synchronized (shared) {
                shared.clear();
                shared.putAll(env);
                return app.call(shared, sr);
            }
        }, "errors.environ-fresh");
        fails(r, "errors.environ-fresh", "[environ.fresh]");
    }

    @Test
    void aServerThatLeaksStackTracesOrJoinsHeadersIsCaught() throws Exception {
        Map<String, CaseResult> leak = run(app -> (env, sr) -> {
            try {
                return app.call(env, sr);
            } catch (Exception e) {
                StringWriter w = new StringWriter();
                e.printStackTrace(new PrintWriter(w));
                sr.start("500 Internal Server Error", List.of(Header.of("Content-Type", "text/plain")), e);
                return Body.ofUtf8(w.toString());
            }
        }, "errors.app-throws");
        fails(leak, "errors.app-throws", "leaks the exception message");
        Map<String, CaseResult> joined = run(app -> (env, sr) -> app.call(env, (status, headers, exc) -> {
            Map<String, String> byName = new java.util.LinkedHashMap<>();
            for (Header h : headers) {
                byName.merge(h.name(), h.value(), (a, b) -> a + ", " + b);
            }
            List<Header> out = new ArrayList<>();
            byName.forEach((k, v) -> out.add(Header.of(k, v)));
            return sr.start(status, out, exc);
        }), "response.repeated-headers", "response.set-cookie");
        fails(joined, "response.repeated-headers", "X-Foo lines");
        fails(joined, "response.set-cookie", "Set-Cookie lines");
    }

    @Test
    void aServerThatIgnoresExcInfoIsCaught() throws Exception {
        Map<String, CaseResult> r = run(app -> (env, sr) -> {
            boolean[] started = {false};
            return app.call(env, (status, headers, exc) -> {
                if (exc != null && started[0]) {
                    return data -> { }; // neither replaces before commit nor rethrows after
                }
                started[0] = true;
                return sr.start(status, headers, exc);
            });
        }, "errors.exc-info-before-commit", "errors.exc-info-after-commit", "body-out.header-delay");
        fails(r, "errors.exc-info-before-commit", "X-Original");
        fails(r, "errors.exc-info-after-commit", "[server.exc-info-rethrow]");
        fails(r, "body-out.header-delay", "status (the replaced one)");
    }

    @Test
    void aServerThatLogsNothingFailsTheLogCaseAndOneWithoutALogIsNotDeclared() throws Exception {
        ConformanceCase c = Cases.all().stream().filter(x -> x.id().equals("errors.server-log")).findFirst().orElseThrow();
        try (ServerUnderTest.Running server = new ReferenceServerUnderTest(false).start(ConformanceApp.create(), "")) {
            CaseResult silent = new ConformanceRun(server.baseUri(), ReferenceServerUnderTest.declaration(false), null, () -> "", 1000).run(c);
            assertEquals(Verdict.FAIL, silent.verdict(), silent::toString);
            assertTrue(silent.reason().contains("the server log has no record"), silent.reason());
            CaseResult unknown = new ConformanceRun(server.baseUri(), ReferenceServerUnderTest.declaration(false), null, null, 1000).run(c);
            assertEquals(Verdict.NOT_DECLARED, unknown.verdict());
            CaseResult logged = new ConformanceRun(server.baseUri(), ReferenceServerUnderTest.declaration(false), null, server::log, 5000).run(c);
            assertEquals(Verdict.PASS, logged.verdict(), logged::toString);
        }
    }

    /** Answers 304s with the application's Content-Length replaced by {@code length} ({@code null}: removed). */
    private static UnaryOperator<Application> notModifiedLength(String length) {
        return app -> (env, sr) -> app.call(env, (status, headers, exc) -> {
            if (!status.startsWith("304")) {
                return sr.start(status, headers, exc);
            }
            List<Header> out = new ArrayList<>();
            for (Header h : headers) {
                if (!h.name().equalsIgnoreCase("Content-Length")) {
                    out.add(h);
                } else if (length != null) {
                    out.add(Header.of(h.name(), length));
                }
            }
            return sr.start(status, out, exc);
        });
    }

    @Test
    void a304MayLoseTheApplicationsContentLengthButNeverChangeIt() throws Exception {
        passes(run(notModifiedLength(null), "response.304"), "response.304");
        fails(run(notModifiedLength("99"), "response.304"), "response.304", "304 Not Modified: Content-Length lines (the application's value, or none)");
    }

    /** Answers 400 itself, without calling the application, to requests whose SERVER_NAME is {@code host}. */
    private static UnaryOperator<Application> rejectingHost(String host) {
        return app -> (env, sr) -> {
            if (host.equals(env.get("SERVER_NAME"))) {
                sr.start("400 Bad Request", List.of(Header.of("Content-Type", "text/plain")));
                return Body.ofUtf8("authority differs from Host\n");
            }
            return app.call(env, sr);
        };
    }

    @Test
    void anAbsoluteFormHostMismatchRejectionMustBeDeclaredExactly() throws Exception {
        // (request.absolute-form-empty-path cannot be simulated here: its "/" is outside the mount, and at the
        // root the JDK answers 404 before any handler, so no middleware sees it)
        String[] cases = {"request.absolute-form", "environ-diff.absolute-form", "request.absolute-form-same-host"};
        Declaration plain = ReferenceServerUnderTest.declaration(false);
        Declaration rejects = plain.toBuilder().rejectsBeforeApp(Declaration.EarlyReject.ABSOLUTE_FORM_HOST_MISMATCH).build();

        // a server that rejects the mismatch (example.com against the connection's Host) and declares it passes
        Map<String, CaseResult> declared = run(rejectingHost("example.com"), rejects, ConformanceRun.DEFAULT_MOUNT, cases);
        for (String id : cases) {
            passes(declared, id);
        }
        // undeclared, the rejection fails with a pointer to the declaration
        Map<String, CaseResult> undeclared = run(rejectingHost("example.com"), plain, ConformanceRun.DEFAULT_MOUNT, cases);
        fails(undeclared, "request.absolute-form", "must declare rejects-before-app=absolute-form-host-mismatch");
        fails(undeclared, "environ-diff.absolute-form", "must declare rejects-before-app=absolute-form-host-mismatch");
        passes(undeclared, "request.absolute-form-same-host");
        // declared but not done: the server serves the mismatch, so the declaration is wrong
        Map<String, CaseResult> lying = run(UnaryOperator.identity(), rejects, ConformanceRun.DEFAULT_MOUNT, cases);
        fails(lying, "request.absolute-form", "expected 400 (the server declares rejects-before-app=absolute-form-host-mismatch)");
        fails(lying, "environ-diff.absolute-form", "expected 400 (the server declares rejects-before-app=absolute-form-host-mismatch)");
        // the declaration does not cover a target whose authority is the Host
        Map<String, CaseResult> tooMuch = run(rejectingHost("127.0.0.1"), rejects, ConformanceRun.DEFAULT_MOUNT,
                "request.absolute-form-same-host");
        fails(tooMuch, "request.absolute-form-same-host", "absolute-form-host-mismatch covers only an authority that differs from Host");
    }

    @Test
    void aDeclarationTheServerDoesNotLiveUpToFails() throws Exception {
        Declaration lying = Declaration.builder().capability(Capability.REASON_PHRASE)
                .expectContinue(Declaration.ExpectContinue.ON_READ)
                .optionsAsterisk(Declaration.OptionsAsterisk.APP)
                .mountPointWithoutSlash(Declaration.MountPointWithoutSlash.REDIRECT)
                .build();
        Map<String, CaseResult> r = run(UnaryOperator.identity(), lying, ConformanceRun.DEFAULT_MOUNT, "response.reason-phrase",
                "body.expect-continue-no-read", "request.options-asterisk", "path.mount-point", "files.zero-copy");
        fails(r, "response.reason-phrase", "reason phrase");
        fails(r, "body.expect-continue-no-read", "100 Continue although the application never read");
        fails(r, "request.options-asterisk", "expected 200");
        fails(r, "path.mount-point", "expected a 3xx");
        assertEquals(Verdict.NOT_DECLARED, r.get("files.zero-copy").verdict());
    }

    @Test
    void aDeclaredDeviationIsReportedApartFromFailuresAndAStaleOneFails() throws Exception {
        Declaration declared = ReferenceServerUnderTest.declaration(false).toBuilder()
                .capability(Capability.REASON_PHRASE)                                        // claimed, so the case fails...
                .deviation("response.reason-phrase", "the JDK sends its own phrase")        // ...as this deviation declares
                .deviation("request.query-raw", "/", "thought to be broken at the root")    // but it passes: stale
                .deviation("files.zero-copy", "never runs")                                  // capability not declared
                .build();
        Map<String, CaseResult> root = run(UnaryOperator.identity(), declared, "", "response.reason-phrase", "request.query-raw",
                "files.zero-copy");
        CaseResult dev = root.get("response.reason-phrase");
        assertEquals(Verdict.DEVIATION, dev.verdict(), dev::toString);
        assertTrue(dev.reason().startsWith("declared deviation: the JDK sends its own phrase\nobserved: 201 FooBar: reason phrase"),
                dev.reason());
        assertTrue(!dev.transcript().isEmpty(), "a deviation keeps its transcript");
        fails(root, "request.query-raw", "declared deviation no longer holds; remove it");
        assertTrue(root.get("request.query-raw").reason().contains("thought to be broken at the root"));
        CaseResult nd = root.get("files.zero-copy");
        assertEquals(Verdict.NOT_DECLARED, nd.verdict(), "not declared wins over a deviation: " + nd);

        // the root-only deviation does not apply under the mount, where the case simply passes
        Map<String, CaseResult> mounted = run(UnaryOperator.identity(), declared, ConformanceRun.DEFAULT_MOUNT, "request.query-raw");
        passes(mounted, "request.query-raw");

        // a real fault hidden behind a deviation for a different case is still a failure
        Map<String, CaseResult> faulty = run(app -> (env, sr) -> {
            Body b = app.call(env, sr);
            return body(b, b, () -> { }, b.chunkCount());
        }, declared, "", "response.status-line");
        fails(faulty, "response.status-line", "closed 0 times");
    }

    @Test
    void aServerWithoutTheDeclaredBodyLimitFailsTheLimitCasesAndWithoutOneTheyAreNotDeclared() throws Exception {
        // the server runs with 8 MiB but declares 1 MiB: 1 MiB + 1 bytes are accepted
        Declaration lower = ReferenceServerUnderTest.declaration(false).toBuilder().bodyLimit(1024 * 1024).build();
        Map<String, CaseResult> r = run(UnaryOperator.identity(), lower, "", "body.limit-chunked", "body.limit-content-length");
        fails(r, "body.limit-chunked", "a chunked body over the body-limit of 1048576: expected status 413, got 200");
        // the application is called and waits for a body the case never sends
        fails(r, "body.limit-content-length", "no answer from the server");
        assertTrue(r.get("body.limit-content-length").reason().contains("the application was called"),
                r.get("body.limit-content-length").reason());

        // a server that swallows the too-large exception and answers 500 fails the chunked case
        Map<String, CaseResult> swallowing = run(app -> (env, sr) -> {
            try {
                return app.call(env, sr);
            } catch (dev.jgi.gateway.RequestBodyTooLargeException e) {
                sr.start("500 Internal Server Error", List.of(Header.of("Content-Type", "text/plain")));
                return Body.ofUtf8("no\n");
            }
        }, "body.limit-chunked", "body.over-2mib");
        fails(swallowing, "body.limit-chunked", "expected status 413, got 500");
        passes(swallowing, "body.over-2mib");

        Declaration none = ReferenceServerUnderTest.declaration(false).toBuilder().bodyLimit(-1).build();
        Map<String, CaseResult> undeclared = run(UnaryOperator.identity(), none, "", "body.limit-chunked", "body.limit-content-length");
        for (CaseResult c : undeclared.values()) {
            assertEquals(Verdict.NOT_DECLARED, c.verdict(), c::toString);
            assertTrue(c.reason().contains("declares no body-limit"), c.reason());
        }
    }

    /**
     * Puts the two optional extensions into the environ, as a server with the capabilities would:
     * jgi.input_trailers answers from the trailer fields the case sends once jgi.input has ended
     * (before, if {@code early}), or is a plain Map if {@code asMap}; jgi.early_hints sends nothing.
     */
    private static UnaryOperator<Application> extensions(boolean early, boolean asMap) {
        return app -> (env, sr) -> {
            if ("journal".equals(env.get("HTTP_X_JGI_CASE"))) {
                return app.call(env, sr); // the suite's own bookkeeping stays readable
            }
            boolean[] ended = {false};
            env.put("jgi.input", new java.io.FilterInputStream((java.io.InputStream) env.get("jgi.input")) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    ended[0] |= b < 0;
                    return b;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    ended[0] |= n < 0;
                    return n;
                }
            });
            Map<String, String> fields = Map.of("x-checksum", "c0ffee", "x-count", "1");
            java.util.function.Supplier<Map<String, String>> trailers = () -> {
                if (!ended[0] && !early) {
                    throw new IllegalStateException("jgi.input has not reached end-of-stream");
                }
                return fields;
            };
            env.put("jgi.input_trailers", asMap ? fields : trailers);
            env.put("jgi.early_hints", (java.util.function.Consumer<List<Header>>) h -> { });
            return app.call(env, sr);
        };
    }

    @Test
    void theExtensionCasesCheckTheTypesAndSemanticsSpecDefines() throws Exception {
        Declaration claims = ReferenceServerUnderTest.declaration(false).toBuilder()
                .capability(Capability.REQUEST_TRAILERS, Capability.EARLY_HINTS).build();
        Map<String, CaseResult> honest = run(extensions(false, false), claims, "", "protocol.request-trailers", "protocol.early-hints");
        passes(honest, "protocol.request-trailers");
        fails(honest, "protocol.early-hints", "expected one 103 Early Hints before the final response");

        Map<String, CaseResult> early = run(extensions(true, false), claims, "", "protocol.request-trailers");
        fails(early, "protocol.request-trailers", "jgi.input_trailers.get() before jgi.input reached end-of-stream");

        Map<String, CaseResult> map = run(extensions(false, true), claims, "", "protocol.request-trailers");
        fails(map, "protocol.request-trailers", "[environ.jgi-types]");
    }
}

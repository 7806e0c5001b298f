package dev.jgi.conformance.cases;

import dev.jgi.conformance.CaseContext;
import dev.jgi.conformance.Declaration.EarlyReject;
import dev.jgi.conformance.app.Protocol;
import dev.jgi.conformance.app.TestData;
import dev.jgi.conformance.http.Request;
import dev.jgi.conformance.http.Response;
import dev.jgi.conformance.report.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Helpers the case classes share. */
final class Support {

    private Support() {
    }

    static String str(Map<String, Object> env, String key) {
        Object v = env.get(key);
        return v == null ? null : String.valueOf(v);
    }

    /** A response header the application is asked to send. */
    record Hd(String name, String value) {
    }

    /**
     * The most chunk data, percent-encoded, that {@link #respond} puts in the {@code X-Jgi-Chunks}
     * header; more goes in the request body ({@link Protocol#CHUNK_LENGTHS}).
     */
    static final int CHUNKS_IN_HEADER_MAX = 1024;

    /**
     * A request to the {@code respond} endpoint: status, headers and chunks chosen by the case.
     * Chunk data over {@value #CHUNKS_IN_HEADER_MAX} characters once encoded travels in the
     * request body, so that the request head stays small on every server; such a request needs
     * a method with a body (POST).
     *
     * @throws IllegalArgumentException if the chunks need the body and the method is GET or HEAD
     */
    static Request respond(CaseContext ctx, String method, String status, List<Hd> headers, List<byte[]> chunks, boolean knownCount) {
        Request r = ctx.to(Protocol.RESPOND, method, "/respond");
        if (status != null) {
            r.header(Protocol.STATUS, TestData.pct(status));
        }
        int i = 1;
        for (Hd h : headers) {
            r.header(Protocol.HEADER_PREFIX + i++, TestData.pct(h.name()) + "|" + TestData.pct(h.value()));
        }
        if (chunks != null) {
            List<String> enc = new ArrayList<>();
            for (byte[] c : chunks) {
                enc.add(TestData.pct(c));
            }
            String joined = String.join(",", enc);
            if (joined.length() <= CHUNKS_IN_HEADER_MAX) {
                r.header(Protocol.CHUNKS, joined);
            } else {
                if (method.equals("GET") || method.equals("HEAD")) {
                    throw new IllegalArgumentException("chunk data of " + joined.length() + " characters goes in the request body;"
                            + " send it with POST, not " + method);
                }
                java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
                List<String> lengths = new ArrayList<>();
                for (byte[] c : chunks) {
                    body.writeBytes(c);
                    lengths.add(Integer.toString(c.length));
                }
                r.header(Protocol.CHUNK_LENGTHS, String.join(",", lengths)).body(body.toByteArray());
            }
        }
        r.header(Protocol.COUNT, knownCount ? "known" : "unknown");
        return r;
    }

    static List<byte[]> chunks(String... texts) {
        List<byte[]> out = new ArrayList<>();
        for (String t : texts) {
            out.add(t.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return out;
    }

    static Hd h(String name, String value) {
        return new Hd(name, value);
    }

    /** Fails unless the application never saw any of these requests. */
    @SuppressWarnings("unchecked")
    static void notCalled(CaseContext ctx, List<String> ids, String why) throws Exception {
        if (ids.isEmpty()) {
            return;
        }
        Map<String, Object> all = ctx.journals(ids);
        for (String id : ids) {
            Map<String, Object> j = (Map<String, Object>) all.get(id);
            if (j != null && Boolean.TRUE.equals(j.get("called"))) {
                ctx.expect(false, why + ": the application was called for request " + id + " (" + CaseContext.events(j) + ")");
            }
        }
    }

    /**
     * Handles the answer to an absolute-form target whose authority differs from {@code Host}.
     * If the server declares {@code rejects-before-app=absolute-form-host-mismatch}, the answer
     * must be 400 without calling the application, and the case is done. Otherwise a 400 fails
     * with a hint at the declaration, and anything else is left to the case's own checks.
     *
     * @param ctx the case context
     * @param r the request sent, tagged with an id
     * @param resp the response
     * @return whether the case is done (the declared rejection happened as declared)
     * @throws Exception {@link dev.jgi.conformance.CheckFailed} if the declared rejection did not happen, or an
     *     undeclared one did
     */
    static boolean hostMismatch(CaseContext ctx, Request r, Response resp) throws Exception {
        String what = r.target() + " with Host " + (r.hasHeader("Host") ? r.headerValue("Host") : ctx.authority());
        if (ctx.declaration().rejectsBeforeApp(EarlyReject.ABSOLUTE_FORM_HOST_MISMATCH)) {
            ctx.check(resp.status() == 400, what + ": expected 400 (the server declares rejects-before-app="
                    + EarlyReject.ABSOLUTE_FORM_HOST_MISMATCH.id() + "), got " + resp.status() + " " + resp.reason());
            notCalled(ctx, List.of(CaseContext.idOf(r)), "an absolute-form target the server declares it rejects");
            return true;
        }
        ctx.check(resp.status() != 400, what + ": got 400; RFC 9112 3.2.2 says the target's authority wins over Host (a server"
                + " that rejects the mismatch itself must declare rejects-before-app=" + EarlyReject.ABSOLUTE_FORM_HOST_MISMATCH.id() + ")");
        return false;
    }

    /**
     * Checks one path fixture: either the application sees {@code expectedPathInfo}, or (when it
     * is {@code null}, or the server declares {@code early}) the answer is 400 and the application
     * is not called.
     *
     * @return the id of the request if a 400 was expected (to check that the app was not called)
     */
    static String path(CaseContext ctx, String rel, String expectedPathInfo, EarlyReject... forms) throws Exception {
        Request r = ctx.env(rel);
        Response resp = ctx.send(r);
        String target = ctx.target(rel);
        EarlyReject early = null;
        for (EarlyReject f : forms) {
            if (early == null || ctx.declaration().rejectsBeforeApp(f)) {
                early = f;
            }
        }
        boolean reject = expectedPathInfo == null || (early != null && ctx.declaration().rejectsBeforeApp(early));
        if (reject) {
            String why = expectedPathInfo == null ? "SPEC.md rejects this path"
                    : "the server declares rejects-before-app=" + early.id();
            ctx.expect(resp.status() == 400, target + ": expected 400 (" + why + "), got " + resp.status() + " " + resp.reason()
                    + (resp.status() == 200 ? " with PATH_INFO " + CaseContext.show(pathInfoOf(resp)) : ""));
            return CaseContext.idOf(r);
        }
        if (resp.status() != 200) {
            ctx.expect(false, target + ": expected the application to see PATH_INFO " + CaseContext.show(expectedPathInfo)
                    + ", got status " + resp.status() + " " + resp.reason()
                    + (early != null ? " (a server that rejects this itself must declare rejects-before-app=" + early.id() + ")" : ""));
            return null;
        }
        Map<String, Object> env = ctx.environ(resp);
        ctx.expectEqual(expectedPathInfo, str(env, "PATH_INFO"), target + ": PATH_INFO");
        ctx.expectEqual(ctx.mount(), str(env, "SCRIPT_NAME"), target + ": SCRIPT_NAME");
        ctx.expectEqual(target, str(env, "REQUEST_URI"), target + ": REQUEST_URI (raw)");
        return null;
    }

    private static String pathInfoOf(Response resp) {
        try {
            Object env = Json.parseObject(resp.text()).get("environ");
            return env instanceof Map ? String.valueOf(((Map<?, ?>) env).get("PATH_INFO")) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Runs path fixtures and then checks the application never saw the rejected ones. */
    static void paths(CaseContext ctx, Object[][] fixtures) throws Exception {
        List<String> rejected = new ArrayList<>();
        for (Object[] f : fixtures) {
            EarlyReject[] forms = new EarlyReject[f.length - 2];
            for (int i = 2; i < f.length; i++) {
                forms[i - 2] = (EarlyReject) f[i];
            }
            String id = path(ctx, (String) f[0], (String) f[1], forms);
            if (id != null) {
                rejected.add(id);
            }
        }
        notCalled(ctx, rejected, "a rejected path");
    }

    static void noStackTrace(CaseContext ctx, Response r, String what) {
        String body = r.text();
        ctx.expect(!body.contains(Protocol.SECRET), what + ": the response leaks the exception message: " + clip(body));
        ctx.expect(!body.contains("Exception") && !body.matches("(?s).*\\bat [\\w$.]+\\(.*"),
                what + ": the response body looks like a stack trace: " + clip(body));
        for (String[] hd : r.head().headers()) {
            ctx.expect(!hd[1].contains(Protocol.SECRET), what + ": header " + hd[0] + " leaks the exception message");
        }
    }

    static String clip(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}

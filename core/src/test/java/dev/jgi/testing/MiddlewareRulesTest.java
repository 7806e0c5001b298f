package dev.jgi.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import dev.jgi.util.PathInfo;
import dev.jgi.validate.ValidationError;
import dev.jgi.validate.Validator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The middleware rules of SPEC.md, with middleware running under the TestClient and a Validator
 * on each side of it (the TestClient's own outside, {@code Validator.wrap} inside), as SPEC.md's
 * "Validator¹" describes. The middleware is SPEC.md's TextRewrite example, plus deliberately
 * broken variants that show each check can fail.
 */
class MiddlewareRulesTest {

    private static final List<Header> TEXT = List.of(Header.of("Content-Type", "text/plain"));

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Doubles every byte: a rewrite that changes the length, maps one chunk on its own, and empty to empty. */
    private static final UnaryOperator<byte[]> DOUBLE = chunk -> {
        byte[] out = new byte[chunk.length * 2];
        for (int i = 0; i < chunk.length; i++) {
            out[2 * i] = chunk[i];
            out[2 * i + 1] = chunk[i];
        }
        return out;
    };

    /** SPEC.md's example middleware, as printed there. */
    static final class TextRewrite implements Application {
        private final Application app;
        private final UnaryOperator<byte[]> rewrite;

        TextRewrite(Application app, UnaryOperator<byte[]> rewrite) {
            this.app = app;
            this.rewrite = rewrite;
        }

        @Override
        public Body call(Map<String, Object> environ, StartResponse startResponse) throws Exception {
            final class Intercept implements StartResponse {
                boolean started;
                boolean active;

                @Override
                public Write start(String status, List<Header> headers, Throwable excInfo) {
                    boolean text = false;
                    List<Header> out = new ArrayList<>();
                    for (Header h : headers) {
                        if (h.name().equalsIgnoreCase("Content-Type")) {
                            text = h.value().startsWith("text/plain");
                        }
                        if (!h.name().equalsIgnoreCase("Content-Length")) {
                            out.add(h);
                        }
                    }
                    Write parent = startResponse.start(status, text ? out : headers, excInfo);
                    started = true;
                    active = text;
                    return text ? data -> parent.write(apply(data)) : parent;
                }

                byte[] apply(byte[] chunk) {
                    return chunk.length == 0 ? chunk : rewrite.apply(chunk);
                }
            }
            Intercept intercept = new Intercept();
            Body inner = app.call(environ, intercept);
            if (intercept.started && !intercept.active) {
                return inner;
            }
            return new Body() {
                @Override
                public Iterator<byte[]> iterator() {
                    Iterator<byte[]> it = inner.iterator();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return it.hasNext();
                        }

                        @Override
                        public byte[] next() {
                            byte[] chunk = it.next();
                            return intercept.active ? intercept.apply(chunk) : chunk;
                        }
                    };
                }

                @Override
                public int chunkCount() {
                    return inner.chunkCount();
                }

                @Override
                public void close() throws IOException {
                    inner.close();
                }
            };
        }
    }

    /** A body that counts its use, with chunks from a list and an optional action before each. */
    static final class Counted implements Body {
        final List<byte[]> chunks = new ArrayList<>();
        final int count;
        int iterators;
        int nexts;
        int closes;
        java.util.function.IntConsumer before = i -> { };

        Counted(boolean known, String... chunks) {
            for (String c : chunks) {
                this.chunks.add(utf8(c));
            }
            this.count = known ? chunks.length : -1;
        }

        @Override
        public Iterator<byte[]> iterator() {
            iterators++;
            return new Iterator<>() {
                int i;

                @Override
                public boolean hasNext() {
                    return i < chunks.size();
                }

                @Override
                public byte[] next() {
                    nexts++;
                    before.accept(i);
                    return chunks.get(i++);
                }
            };
        }

        @Override
        public int chunkCount() {
            return count;
        }

        @Override
        public void close() {
            closes++;
        }
    }

    private static Application returning(String status, List<Header> headers, Body body) {
        return (env, sr) -> {
            sr.start(status, headers);
            return body;
        };
    }

    // --- middleware.close ------------------------------------------------------------------------

    @Test
    @Covers({"middleware.close", "middleware.content-length", "middleware.return"})
    void theSpecsRewriteClosesTheWrappedBodyAndDropsItsContentLength() {
        Counted inner = new Counted(true, "hel", "lo");
        AtomicInteger iteratedInCall = new AtomicInteger(-1);
        Application rewrite = new TextRewrite(Validator.wrap(returning("200 OK",
                List.of(Header.of("Content-Type", "text/plain"), Header.of("Content-Length", "5")), inner)), DOUBLE);
        Application probe = (env, sr) -> {
            Body b = rewrite.call(env, sr);
            iteratedInCall.set(inner.iterators); // middleware.return: handed back before any iteration
            return b;
        };
        TestResponse r = TestClient.of(probe).get("/");
        assertEquals("hheelllloo", r.text());
        assertNull(r.header("Content-Length"), "the length changed, so the declared one must not be forwarded");
        assertEquals(-1, r.contentLength(), "two chunks: the length is unknown");
        assertEquals(0, iteratedInCall.get(), "the middleware must not iterate the wrapped body inside call");
        assertEquals(1, inner.closes, "the wrapped body is closed exactly once, through the returned body");
        assertEquals(1, inner.iterators);
    }

    @Test
    @Covers("middleware.close")
    void aDiscardedBodyIsClosedBeforeTheMiddlewareReturns() {
        Counted inner = new Counted(false, "not found page");
        AtomicInteger closedBeforeReturn = new AtomicInteger(-1);
        Application errorPages = (env, sr) -> {
            AtomicReference<String> status = new AtomicReference<>();
            Body b = Validator.wrap(returning("404 Not Found", TEXT, inner)).call(env, (s, h, e) -> {
                status.set(s);
                return data -> { };
            });
            if (status.get() != null && status.get().startsWith("404")) {
                b.close(); // discarded: closed before returning the replacement
                closedBeforeReturn.set(inner.closes);
                sr.start("404 Not Found", List.of(Header.of("Content-Type", "text/html")));
                return Body.ofUtf8("<h1>custom 404</h1>");
            }
            return b;
        };
        TestResponse r = TestClient.of(errorPages).get("/missing");
        assertEquals(404, r.status());
        assertEquals("<h1>custom 404</h1>", r.text());
        assertEquals(1, closedBeforeReturn.get());
        assertEquals(1, inner.closes);
        assertEquals(0, inner.iterators);
    }

    @Test
    @Covers("middleware.close")
    void aMiddlewareThatFailsAfterTheWrappedCallClosesTheBodyFirst() {
        Counted inner = new Counted(false, "x");
        Application failing = (env, sr) -> {
            Body b = Validator.wrap(returning("200 OK", TEXT, inner)).call(env, sr);
            try {
                throw new IllegalStateException("middleware broke after the call");
            } finally {
                b.close();
            }
        };
        TestResponse r = TestClient.of(failing).get("/");
        assertEquals(500, r.status());
        assertEquals(1, inner.closes);
    }

    @Test
    @Covers("middleware.close")
    void closingTheWrappedBodyTwiceIsReportedByTheInnerValidator() {
        Counted inner = new Counted(false, "x");
        Application twice = (env, sr) -> {
            Body b = Validator.wrap(returning("200 OK", TEXT, inner)).call(env, sr);
            return Body.from(b, () -> {
                b.close();
                b.close();
            });
        };
        ValidationError e = assertThrows(ValidationError.class, () -> TestClient.of(twice).get("/"));
        assertEquals("server.close-once", e.rule());
        assertEquals(1, inner.closes, "the inner Validator does not pass the second close on");
    }

    // --- middleware.content-length ---------------------------------------------------------------

    @Test
    @Covers("middleware.content-length")
    void forwardingAContentLengthThatNoLongerFitsIsReportedByTheOuterValidator() {
        Application keepsLength = (env, sr) -> {
            Body b = returning("200 OK", List.of(Header.of("Content-Length", "5")), Body.ofUtf8("hello")).call(env, sr);
            return Body.from(() -> {
                Iterator<byte[]> it = b.iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public byte[] next() {
                        return DOUBLE.apply(it.next());
                    }
                };
            }, b);
        };
        ValidationError e = assertThrows(ValidationError.class, () -> TestClient.of(keepsLength).get("/"));
        assertEquals("body.content-length", e.rule());
    }

    @Test
    @Covers("middleware.content-length")
    void aChunkCountThatNoLongerFitsIsReportedByTheOuterValidator() {
        // splits every chunk in two but passes the wrapped body's count on
        Application splits = (env, sr) -> {
            Body b = returning("200 OK", TEXT, Body.of(utf8("ab"), utf8("cd"))).call(env, sr);
            return new Body() {
                @Override
                public Iterator<byte[]> iterator() {
                    List<byte[]> halves = new ArrayList<>();
                    for (byte[] c : b) {
                        halves.add(new byte[] {c[0]});
                        halves.add(new byte[] {c[1]});
                    }
                    return halves.iterator();
                }

                @Override
                public int chunkCount() {
                    return b.chunkCount();
                }
            };
        };
        ValidationError e = assertThrows(ValidationError.class, () -> TestClient.of(splits).get("/"));
        assertEquals("body.chunk-count", e.rule());
    }

    // --- middleware.header-delay -------------------------------------------------------------------

    /** An application that yields an empty chunk, then fails and replaces its response through excInfo. */
    private static Application failsAfterAnEmptyChunk() {
        return (env, sr) -> {
            sr.start("200 OK", TEXT);
            Counted body = new Counted(false, "", "error page");
            body.before = i -> {
                if (i == 1) {
                    sr.start("500 Internal Server Error", TEXT, new IllegalStateException("backend failed"));
                }
            };
            return body;
        };
    }

    @Test
    @Covers({"middleware.header-delay", "middleware.exc-info"})
    void anEmptyChunkStaysEmptySoTheWrappedAppCanStillReplaceItsResponse() {
        TestResponse r = TestClient.of(new TextRewrite(Validator.wrap(failsAfterAnEmptyChunk()), DOUBLE)).get("/");
        assertEquals(500, r.status());
        assertEquals("eerrrroorr  ppaaggee", r.text());
        assertFalse(r.isAborted());
    }

    @Test
    @Covers("middleware.header-delay")
    void aMiddlewareThatCommitsEarlyTakesTheReplacementAway() {
        // broken: emits a banner for the empty chunk, so the server commits before the wrapped app produced output
        Application banner = (env, sr) -> {
            Body b = Validator.wrap(failsAfterAnEmptyChunk()).call(env, sr);
            return Body.from(() -> {
                Iterator<byte[]> it = b.iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public byte[] next() {
                        byte[] c = it.next();
                        return c.length == 0 ? utf8("<banner>") : c;
                    }
                };
            }, b);
        };
        TestResponse r = TestClient.builder(banner).validate(false).build().get("/");
        assertEquals(200, r.status(), "committed by the banner: the 500 can no longer be sent");
        assertTrue(r.isAborted(), "the wrapped application's excInfo was rethrown and the response aborted");
        assertEquals("<banner>", r.text());
    }

    // --- middleware.no-block -----------------------------------------------------------------------

    /**
     * A pass-through outermost layer that checks, at each of the server's next() calls, that the
     * middleware below asked its wrapped body for at most one chunk.
     */
    private static Application perNextCheck(Application middleware, Counted inner, List<String> problems) {
        return (env, sr) -> {
            Body b = middleware.call(env, sr);
            return Body.from(() -> {
                Iterator<byte[]> it = b.iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public byte[] next() {
                        int before = inner.nexts;
                        byte[] c = it.next();
                        if (inner.nexts - before > 1) {
                            problems.add((inner.nexts - before) + " inner next() calls for one outer next()");
                        }
                        return c;
                    }
                };
            }, b);
        };
    }

    /** Emits the input in blocks of 4 bytes; an empty chunk meanwhile (never waits for more). */
    private static Application blocksOfFour(Application app, boolean waitForMore) {
        return (env, sr) -> {
            Body inner = app.call(env, sr);
            return Body.from(() -> {
                Iterator<byte[]> it = inner.iterator();
                ByteArrayOutputStream pending = new ByteArrayOutputStream();
                return new Iterator<>() {
                    boolean flushed;

                    @Override
                    public boolean hasNext() {
                        return it.hasNext() || (!flushed && pending.size() > 0);
                    }

                    @Override
                    public byte[] next() {
                        do {
                            if (!it.hasNext()) {
                                flushed = true;
                                byte[] rest = pending.toByteArray();
                                pending.reset();
                                return rest;
                            }
                            pending.writeBytes(it.next());
                        } while (waitForMore && pending.size() < 4);
                        if (pending.size() < 4) {
                            return new byte[0];
                        }
                        byte[] all = pending.toByteArray();
                        int n = all.length - all.length % 4;
                        pending.reset();
                        pending.write(all, n, all.length - n);
                        return java.util.Arrays.copyOf(all, n);
                    }
                };
            }, inner);
        };
    }

    @Test
    @Covers("middleware.no-block")
    void aBufferingMiddlewareYieldsEmptyChunksInsteadOfWaiting() {
        Counted inner = new Counted(false, "a", "b", "c", "d", "e", "f", "g", "h", "i");
        List<String> problems = new ArrayList<>();
        TestResponse r = TestClient.of(perNextCheck(blocksOfFour(returning("200 OK", TEXT, inner), false), inner, problems)).get("/");
        assertEquals("abcdefghi", r.text());
        assertEquals(List.of(), problems);
        assertEquals(List.of("headers", "chunk:4", "chunk:4", "chunk:1", "close", "finish"), r.events());

        Counted inner2 = new Counted(false, "a", "b", "c", "d", "e");
        List<String> problems2 = new ArrayList<>();
        TestClient.of(perNextCheck(blocksOfFour(returning("200 OK", TEXT, inner2), true), inner2, problems2)).get("/");
        assertFalse(problems2.isEmpty(), "the check must see a middleware that waits for more");
    }

    // --- middleware.return -------------------------------------------------------------------------

    @Test
    @Covers({"middleware.return", "server.lazy-start"})
    void theRewriteWorksWhenTheWrappedAppStartsInsideItsFirstNext() {
        Application lazy = (env, sr) -> {
            Counted body = new Counted(false, "ab", "c");
            body.before = i -> {
                if (i == 0) {
                    sr.start("200 OK", TEXT);
                }
            };
            return body;
        };
        TestResponse r = TestClient.of(new TextRewrite(Validator.wrap(lazy), DOUBLE)).get("/");
        assertEquals("aabbcc", r.text());
    }

    // --- middleware.exc-info -----------------------------------------------------------------------

    /** Commits with write(), then replaces the response: the server must rethrow, and the app lets it go. */
    private static final Application LATE_ERROR = (env, sr) -> {
        Write w = sr.start("200 OK", TEXT);
        w.write(utf8("part"));
        sr.start("500 Internal Server Error", TEXT, new IllegalStateException("too late"));
        throw new AssertionError("start with excInfo after commit returned");
    };

    @Test
    @Covers("middleware.exc-info")
    void theParentsRethrowPropagatesThroughTheMiddleware() {
        TestResponse r = TestClient.of(new TextRewrite(Validator.wrap(LATE_ERROR), DOUBLE)).get("/");
        assertEquals(200, r.status());
        assertEquals("ppaarrtt", r.text());
        assertTrue(r.isAborted());
        assertTrue(r.errors().contains("too late"), r.errors());
    }

    @Test
    @Covers("middleware.exc-info")
    void aMiddlewareThatSwallowsTheRethrowIsReportedByTheInnerValidator() {
        Application swallows = (env, sr) -> Validator.wrap(LATE_ERROR).call(env, (status, headers, excInfo) -> {
            try {
                return sr.start(status, headers, excInfo);
            } catch (RuntimeException e) {
                return data -> { }; // broken: the parent's exception must propagate
            }
        });
        ValidationError e = assertThrows(ValidationError.class, () -> TestClient.of(swallows).get("/"));
        assertEquals("server.exc-info-rethrow", e.rule());
    }

    // --- middleware.write ---------------------------------------------------------------------------

    @Test
    @Covers("middleware.write")
    void writeDataGoesThroughTheMiddlewaresWriteAndYieldedDataThroughItsBody() {
        Application app = (env, sr) -> {
            sr.start("200 OK", TEXT).write(utf8("ab"));
            return Body.ofUtf8("cd");
        };
        TestResponse r = TestClient.of(new TextRewrite(Validator.wrap(app), DOUBLE)).get("/");
        assertEquals("aabbccdd", r.text());
        assertEquals(List.of("headers", "chunk:4", "chunk:4", "close", "finish"), r.events());
    }

    @Test
    @Covers("middleware.write")
    void usingTheParentsWriteForYieldedDataIsReportedByTheOuterValidator() {
        Application pushes = (env, sr) -> {
            AtomicReference<Write> parent = new AtomicReference<>();
            Body b = returning("200 OK", TEXT, Body.ofUtf8("data")).call(env, (s, h, e) -> {
                parent.set(sr.start(s, h, e));
                return parent.get();
            });
            return Body.from(() -> {
                Iterator<byte[]> it = b.iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public byte[] next() {
                        try {
                            parent.get().write(it.next()); // broken: yielded data pushed through the parent's write
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                        return new byte[0];
                    }
                };
            }, b);
        };
        ValidationError e = assertThrows(ValidationError.class, () -> TestClient.of(pushes).get("/"));
        assertEquals("write.in-iteration", e.rule());
    }

    // --- middleware.file-region ---------------------------------------------------------------------

    @Test
    @Covers("middleware.file-region")
    void anUnchangedFileBodyKeepsItsRegionAndARewrittenOneDropsIt(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("f.txt"), "file body");
        AtomicReference<Body> returned = new AtomicReference<>();
        Application app = (env, sr) -> {
            boolean text = Environ.of(env).pathInfo().equals("/text");
            sr.start("200 OK", List.of(Header.of("Content-Type", text ? "text/plain" : "application/octet-stream")));
            Body b = Environ.of(env).fileWrapper().wrap(file);
            returned.set(b);
            return b;
        };
        AtomicReference<Body> passedOn = new AtomicReference<>();
        Application rewrite = new TextRewrite(app, DOUBLE);
        Application probe = (env, sr) -> {
            Body b = rewrite.call(env, sr);
            passedOn.set(b);
            return b;
        };
        TestResponse binary = TestClient.of(probe).get("/bin");
        assertSame(returned.get(), passedOn.get(), "an unchanged body is returned as the very object");
        assertEquals(List.of("headers", "file:9", "close", "finish"), binary.events(), "the server still sends the region");
        assertEquals("file body", binary.text());

        TestResponse text = TestClient.of(probe).get("/text");
        assertEquals("ffiillee  bbooddyy", text.text());
        assertEquals(List.of("headers", "chunk:18", "close", "finish"), text.events(), "rewritten: iterated as chunks");
    }

    // --- middleware.environ ---------------------------------------------------------------------------

    @Test
    @Covers("middleware.environ")
    void aRoutingMiddlewaresEnvironStillPassesTheInnerValidator() {
        Application inner = (env, sr) -> {
            sr.start("200 OK", TEXT);
            return Body.ofUtf8(env.get(Environ.SCRIPT_NAME) + " " + env.get(Environ.PATH_INFO) + " " + env.get(Environ.REQUEST_URI));
        };
        Application router = (env, sr) -> {
            PathInfo.shift(env);
            return Validator.wrap(inner).call(env, sr);
        };
        Application copying = (env, sr) -> Validator.wrap(inner).call(new HashMap<>(env), sr);
        assertEquals("/api /users/1 /api/users/1?x", TestClient.of(router).get("/api/users/1?x").text());
        assertEquals("/api  /api", TestClient.of(router).get("/api").text());
        assertEquals(" /a /a", TestClient.of(copying).get("/a").text());
    }

    @Test
    @Covers("middleware.environ")
    void aMiddlewareThatBreaksTheEnvironIsReportedByTheInnerValidator() {
        Application inner = returning("200 OK", TEXT, Body.empty());
        Application badPath = (env, sr) -> {
            env.put(Environ.PATH_INFO, "users"); // broken: not "" and not starting with "/"
            return Validator.wrap(inner).call(env, sr);
        };
        Application badMap = (env, sr) -> Validator.wrap(inner).call(new TreeMap<>(env), sr);
        assertEquals("environ.path-info", assertThrows(ValidationError.class, () -> TestClient.of(badPath).get("/x")).rule());
        assertEquals("environ.type", assertThrows(ValidationError.class, () -> TestClient.of(badMap).get("/x")).rule());
    }
}

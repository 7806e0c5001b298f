package dev.jgi.conformance.app;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.ClientDisconnectedException;
import dev.jgi.Environ;
import dev.jgi.FileWrapper;
import dev.jgi.Header;
import dev.jgi.StartResponse;
import dev.jgi.Write;
import dev.jgi.conformance.report.Json;
import dev.jgi.gateway.Threads;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The endpoints of the conformance application, chosen by the {@code X-Jgi-Case} header. Every
 * endpoint is a well-behaved JGI application (it runs inside the validator); faults the server must
 * handle are injected outside the validator by {@link Harness}. Endpoints record what the client
 * cannot see on the wire in the {@link Journal}.
 */
final class Router implements Application {

    private static final List<Header> TEXT = List.of(Header.of("Content-Type", "text/plain; charset=utf-8"));
    private static final List<Header> JSON = List.of(Header.of("Content-Type", "application/json; charset=utf-8"));

    private final Journal journal;
    private final Map<Long, Path> files = new ConcurrentHashMap<>();

    Router(Journal journal) {
        this.journal = journal;
    }

    private static String header(Map<String, Object> env, String name) {
        Object v = env.get(Environ.keyFor(name));
        return v instanceof String ? (String) v : null;
    }

    private static long number(Map<String, Object> env, String name, long dflt) {
        String v = header(env, name);
        return v == null || v.isBlank() ? dflt : Long.parseLong(v.trim());
    }

    private Journal.Entry entry(Map<String, Object> env) {
        String id = header(env, Protocol.ID);
        // requests without an id (the journal's own, people poking with curl) get a throwaway entry
        return id == null ? new Journal.Entry("-") : journal.entry(id);
    }

    @Override
    public Body call(Map<String, Object> env, StartResponse sr) throws Exception {
        String name = header(env, Protocol.CASE);
        Journal.Entry e = entry(env);
        switch (name == null ? Protocol.ENV : name) {
            case Protocol.ENV: return env(env, sr, e);
            case Protocol.JOURNAL: return journal(env, sr);
            case Protocol.RELEASE_CASE: return release(env, sr);
            case Protocol.ECHO: return echo(env, sr, e);
            case Protocol.RESPOND: return respond(env, sr, e);
            case Protocol.STREAM: return stream(env, sr, e);
            case Protocol.WRITE: return write(env, sr, e);
            case Protocol.DELAY: return delay(env, sr, e);
            case Protocol.LAZY_START: return lazyStart(sr, e);
            case Protocol.THROW: return raise(env, sr, e);
            case Protocol.EXC_INFO: return excInfo(env, sr, e);
            case Protocol.ENDLESS: return endless(env, sr, e);
            case Protocol.FILE: return file(env, sr, e);
            case Protocol.INPUT_STREAM: return inputStream(env, sr, e);
            case Protocol.ASYNC: return async(sr, e);
            case Protocol.ERRORS: return errors(env, sr, e);
            case Protocol.LARGE: return large(env, sr, e);
            case Protocol.EXPECT: return expect(env, sr, e);
            case Protocol.CLOSE_THROWS: return closeThrows(sr, e);
            case Protocol.EARLY_HINTS: return earlyHints(env, sr, e);
            default:
                sr.start("404 Not Found", TEXT);
                return Body.ofUtf8("no conformance endpoint named \"" + name + "\"\n");
        }
    }

    // ---- environ and request body

    private Body env(Map<String, Object> env, StartResponse sr, Journal.Entry e) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("environ", dump(env));
        out.put("virtualThread", Threads.isVirtual(Thread.currentThread()));
        String read = header(env, Protocol.READ);
        if (read != null) {
            out.put("input", read(env, read, e));
        }
        sr.start("200 OK", JSON);
        return Body.of(Json.write(out).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Renders an environ for comparison: String and Boolean values as they are, every other value
     * as its kind, because servers legitimately use different classes for jgi.input and friends.
     */
    static Map<String, Object> dump(Map<String, Object> env) {
        Map<String, Object> m = new TreeMap<>();
        for (Map.Entry<String, Object> x : env.entrySet()) {
            Object v = x.getValue();
            if (v == null || v instanceof String || v instanceof Boolean) {
                m.put(x.getKey(), v);
            } else if (v instanceof InputStream) {
                m.put(x.getKey(), "<InputStream>");
            } else if (v instanceof PrintWriter) {
                m.put(x.getKey(), "<PrintWriter>");
            } else if (v instanceof FileWrapper) {
                m.put(x.getKey(), "<FileWrapper>");
            } else {
                m.put(x.getKey(), "<" + v.getClass().getName() + ">");
            }
        }
        return m;
    }

    private static Map<String, Object> read(Map<String, Object> env, String how, Journal.Entry e) throws IOException {
        InputStream in = Environ.of(env).input();
        Map<String, Object> r = new LinkedHashMap<>();
        Object trailers = env.get(INPUT_TRAILERS);
        if (trailers != null) {
            // SPEC.md: get() before end-of-stream throws IllegalStateException
            r.put("trailersBeforeEnd", trailers(trailers, e));
        }
        MessageDigest md = TestData.sha256();
        long limit = how.chars().allMatch(Character::isDigit) ? Long.parseLong(how) : Long.MAX_VALUE;
        byte[] buf = new byte[8192];
        long total = 0;
        while (total < limit) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, limit - total));
            if (n < 0) {
                break;
            }
            if (n == 0) {
                e.violation("jgi.input.read returned 0 for a non-empty buffer");
                break;
            }
            md.update(buf, 0, n);
            total += n;
        }
        r.put("length", total);
        r.put("sha256", TestData.hex(md.digest()));
        if (how.equals("past-end")) {
            List<Object> after = new ArrayList<>();
            after.add(in.read());
            after.add(in.read(buf, 0, buf.length));
            after.add(in.read());
            after.add(in.read(buf, 0, 1));
            r.put("pastEnd", after);
            r.put("readZeroLength", in.read(buf, 0, 0));
            r.put("markSupported", in.markSupported());
        }
        e.event("read " + total + " bytes");
        if (trailers != null && total < limit) {
            // read to end-of-stream: now get() returns the trailer fields
            r.put("trailers", trailers(trailers, e));
        }
        return r;
    }

    private static final String INPUT_TRAILERS = "jgi.input_trailers";
    private static final String EARLY_HINTS = "jgi.early_hints";

    /**
     * Calls {@code jgi.input_trailers}, a {@code Supplier<Map<String, String>>} (SPEC.md "jgi.*
     * variables"): the map it returns, sorted, or the simple name of what it threw.
     */
    private static Object trailers(Object supplier, Journal.Entry e) {
        if (!(supplier instanceof java.util.function.Supplier)) {
            e.violation("[environ.jgi-types] " + INPUT_TRAILERS + " is a " + supplier.getClass().getName() + ", not a Supplier");
            return "not a Supplier";
        }
        Object v;
        try {
            v = ((java.util.function.Supplier<?>) supplier).get();
        } catch (RuntimeException x) {
            return x.getClass().getSimpleName();
        }
        if (!(v instanceof Map)) {
            return "not a Map: " + v;
        }
        Map<String, Object> m = new TreeMap<>();
        ((Map<?, ?>) v).forEach((k, x) -> m.put(String.valueOf(k), String.valueOf(x)));
        return m;
    }

    /**
     * Sends a Link early hint through {@code jgi.early_hints}, a {@code Consumer<List<Header>>}
     * (SPEC.md "jgi.* variables"), then a final response of two chunks; producing the second, after
     * the commit, it calls the consumer again and journals what that did (it must throw
     * IllegalStateException).
     */
    private Body earlyHints(Map<String, Object> env, StartResponse sr, Journal.Entry e) throws Exception {
        Object hints = env.get(EARLY_HINTS);
        List<Header> link = List.of(Header.of("Link", "</style.css>; rel=preload; as=style"));
        if (hints == null) {
            e.violation(EARLY_HINTS + " is not offered although the server declares early-hints");
            sr.start("501 Not Implemented", TEXT);
            return Body.ofUtf8("no jgi.early_hints\n");
        }
        if (!(hints instanceof java.util.function.Consumer)) {
            e.violation("[environ.jgi-types] " + EARLY_HINTS + " is a " + hints.getClass().getName() + ", not a Consumer<List<Header>>");
            sr.start("501 Not Implemented", TEXT);
            return Body.ofUtf8("unusable jgi.early_hints\n");
        }
        @SuppressWarnings("unchecked")
        java.util.function.Consumer<List<Header>> c = (java.util.function.Consumer<List<Header>>) hints;
        c.accept(link);
        e.event("early hints sent");
        sr.start("200 OK", TEXT);
        Iterator<String> chunks = List.of("after hints\n", "").iterator();
        boolean[] first = {true};
        return Body.from(() -> new Iterator<byte[]>() {
            @Override
            public boolean hasNext() {
                return chunks.hasNext();
            }

            @Override
            public byte[] next() {
                if (!first[0]) {
                    try {
                        c.accept(link);
                        e.event("early hints after commit returned normally");
                    } catch (RuntimeException x) {
                        e.event("early hints after commit threw " + x.getClass().getSimpleName());
                    }
                }
                first[0] = false;
                return chunks.next().getBytes(StandardCharsets.US_ASCII);
            }
        }, null);
    }

    private Body journal(Map<String, Object> env, StartResponse sr) {
        Map<String, Object> out = new LinkedHashMap<>();
        String ids = header(env, Protocol.JOURNAL_IDS);
        if (ids != null) {
            for (String id : ids.split(",")) {
                String t = id.trim();
                if (!t.isEmpty()) {
                    out.put(t, journal.snapshot(t));
                }
            }
        }
        sr.start("200 OK", JSON);
        return Body.of(Json.write(out).getBytes(StandardCharsets.UTF_8));
    }

    private Body release(Map<String, Object> env, StartResponse sr) {
        String key = header(env, Protocol.RELEASE);
        if (key != null) {
            journal.release(key.trim());
        }
        sr.start("200 OK", TEXT);
        return Body.ofUtf8("released " + key + "\n");
    }

    private Body echo(Map<String, Object> env, StartResponse sr, Journal.Entry e) {
        InputStream in = Environ.of(env).input();
        sr.start("200 OK", List.of(Header.of("Content-Type", "application/octet-stream")));
        return Body.from(() -> new Iterator<byte[]>() {
            private byte[] next;
            private boolean end;
            private long total;

            @Override
            public boolean hasNext() {
                if (next == null && !end) {
                    byte[] buf = new byte[8192];
                    try {
                        int n = in.read(buf);
                        if (n < 0) {
                            end = true;
                            e.event("echoed " + total + " bytes");
                        } else {
                            total += n;
                            next = n == buf.length ? buf : java.util.Arrays.copyOf(buf, n);
                        }
                    } catch (IOException x) {
                        throw new UncheckedIOException(x);
                    }
                }
                return next != null;
            }

            @Override
            public byte[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                byte[] b = next;
                next = null;
                return b;
            }
        }, null);
    }

    private Body expect(Map<String, Object> env, StartResponse sr, Journal.Entry e) throws IOException {
        if ("read".equals(header(env, Protocol.ARG))) {
            byte[] all = Environ.of(env).input().readAllBytes();
            e.event("read " + all.length + " bytes");
            sr.start("200 OK", TEXT);
            return Body.ofUtf8("read " + all.length + " " + TestData.sha256(all) + "\n");
        }
        e.event("answered without reading");
        sr.start("200 OK", TEXT);
        return Body.ofUtf8("not read\n");
    }

    // ---- responses described by the request

    private Body respond(Map<String, Object> env, StartResponse sr, Journal.Entry e) throws IOException {
        String read = header(env, Protocol.READ);
        if (read != null) {
            read(env, read, e);
        }
        String status = header(env, Protocol.STATUS);
        List<Header> headers = new ArrayList<>();
        for (int i = 1; i <= 9; i++) {
            String spec = header(env, Protocol.HEADER_PREFIX + i);
            if (spec != null) {
                int bar = spec.indexOf('|');
                headers.add(Header.of(TestData.unpctText(spec.substring(0, bar)), TestData.unpctText(spec.substring(bar + 1))));
            }
        }
        List<byte[]> chunks = new ArrayList<>();
        String spec = header(env, Protocol.CHUNKS);
        if (spec != null) {
            for (String c : spec.split(",", -1)) {
                chunks.add(TestData.unpct(c));
            }
        }
        String lengths = header(env, Protocol.CHUNK_LENGTHS);
        if (lengths != null) {
            InputStream in = Environ.of(env).input();
            long total = 0;
            for (String n : lengths.split(",")) {
                int len = Integer.parseInt(n.trim());
                byte[] c = in.readNBytes(len);
                if (c.length != len) {
                    throw new IOException("the request body ended after " + (total + c.length) + " bytes of the chunks "
                            + Protocol.CHUNK_LENGTHS + " announced (" + lengths + ")");
                }
                total += len;
                chunks.add(c);
            }
            e.event("read " + total + " bytes of chunks");
        }
        sr.start(status == null ? "200 OK" : TestData.unpctText(status), headers);
        boolean known = "known".equals(header(env, Protocol.COUNT));
        return producing(chunks.size(), chunks::get, known, e);
    }

    /** A body of {@code n} chunks that records "produced k" as each is handed to the server. */
    private static Body producing(int n, IntFunction<byte[]> chunk, boolean knownCount, Journal.Entry e) {
        return new Body() {
            @Override
            public Iterator<byte[]> iterator() {
                return new Iterator<>() {
                    private int k;

                    @Override
                    public boolean hasNext() {
                        return k < n;
                    }

                    @Override
                    public byte[] next() {
                        if (k >= n) {
                            throw new NoSuchElementException();
                        }
                        byte[] b = chunk.apply(k);
                        k++;
                        e.event("produced " + k);
                        return b;
                    }
                };
            }

            @Override
            public int chunkCount() {
                return knownCount ? n : -1;
            }

            @Override
            public void close() {
                e.event("body closed");
            }
        };
    }

    // ---- streaming and header delay

    private Body stream(Map<String, Object> env, StartResponse sr, Journal.Entry e) {
        int n = (int) number(env, Protocol.ARG, 3);
        sr.start("200 OK", TEXT);
        return producing(n, k -> {
            if (k > 0) {
                awaitRelease(e, Integer.toString(k + 1));
            }
            return ("chunk-" + (k + 1) + "\n").getBytes(StandardCharsets.US_ASCII);
        }, false, e);
    }

    private void awaitRelease(Journal.Entry e, String name) {
        try {
            if (!journal.await(e.id(), name, Protocol.RELEASE_TIMEOUT_MILLIS)) {
                e.violation("the client did not release \"" + name + "\" within " + Protocol.RELEASE_TIMEOUT_MILLIS
                        + " ms; it probably never received the output before it (buffered?)");
            }
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the client", x);
        }
    }

    private Body write(Map<String, Object> env, StartResponse sr, Journal.Entry e) throws IOException {
        Write w = sr.start("200 OK", TEXT);
        w.write("write-1\n".getBytes(StandardCharsets.US_ASCII));
        e.event("wrote 1");
        awaitRelease(e, "2");
        w.write("write-2\n".getBytes(StandardCharsets.US_ASCII));
        e.event("wrote 2");
        return producing(1, k -> "body-3\n".getBytes(StandardCharsets.US_ASCII), true, e);
    }

    private Body delay(Map<String, Object> env, StartResponse sr, Journal.Entry e) throws IOException {
        List<Header> original = List.of(Header.of("Content-Type", "text/plain"), Header.of("X-Original", "yes"));
        List<Header> replaced = List.of(Header.of("Content-Type", "text/plain"), Header.of("X-Replaced", "yes"));
        Write w = sr.start("200 OK", original);
        if ("write".equals(header(env, Protocol.ARG))) {
            w.write(new byte[0]);
            w.write(new byte[0]);
            e.event("wrote two empty strings");
            replace(sr, replaced, e);
            return Body.ofUtf8("replaced\n");
        }
        List<byte[]> chunks = List.of(new byte[0], new byte[0], "replaced\n".getBytes(StandardCharsets.US_ASCII));
        return Body.from(() -> new Iterator<byte[]>() {
            private int k;

            @Override
            public boolean hasNext() {
                return k < chunks.size();
            }

            @Override
            public byte[] next() {
                if (k == 2) {
                    replace(sr, replaced, e);
                }
                return chunks.get(k++);
            }
        }, null);
    }

    private static void replace(StartResponse sr, List<Header> replaced, Journal.Entry e) {
        Exception cause = new IllegalStateException("replacing the response after empty output");
        try {
            sr.start("503 Service Unavailable", replaced, cause);
            e.event("status replaced");
        } catch (RuntimeException t) {
            if (t == cause) {
                e.event("start_response rethrew excInfo: the headers were already sent");
            } else {
                e.event("start_response with excInfo threw " + t);
            }
            throw t;
        }
    }

    private Body lazyStart(StartResponse sr, Journal.Entry e) {
        return Body.from(() -> new Iterator<byte[]>() {
            private boolean done;

            @Override
            public boolean hasNext() {
                return !done;
            }

            @Override
            public byte[] next() {
                if (done) {
                    throw new NoSuchElementException();
                }
                done = true;
                sr.start("200 OK", TEXT);
                e.event("start_response called inside next()");
                return "lazy\n".getBytes(StandardCharsets.US_ASCII);
            }
        }, null);
    }

    // ---- errors

    private Body raise(Map<String, Object> env, StartResponse sr, Journal.Entry e) {
        String where = String.valueOf(header(env, Protocol.ARG));
        IllegalStateException boom = new IllegalStateException("deliberate failure " + Protocol.SECRET + " at " + where
                + " (request " + e.id() + ")");
        if (where.equals("call")) {
            e.event("throwing from call");
            throw boom;
        }
        List<Header> headers = new ArrayList<>(TEXT);
        if (where.equals("after-commit-length")) {
            headers.add(Header.of("Content-Length", "100"));
        }
        sr.start("200 OK", headers);
        if (where.equals("iterator")) {
            return Body.from(() -> {
                e.event("throwing from iterator()");
                throw boom;
            }, () -> e.event("body closed"));
        }
        int failAt = where.equals("first-next") ? 0 : 1;
        return producing(2, k -> {
            if (k == failAt) {
                e.event("throwing from next() " + (k + 1));
                throw boom;
            }
            return ("partial-" + (k + 1) + "\n").getBytes(StandardCharsets.US_ASCII);
        }, false, e);
    }

    private Body excInfo(Map<String, Object> env, StartResponse sr, Journal.Entry e) {
        List<Header> replaced = List.of(Header.of("Content-Type", "text/plain"), Header.of("X-Replaced", "yes"));
        sr.start("200 OK", List.of(Header.of("Content-Type", "text/plain"), Header.of("X-Original", "yes")));
        if (!"after".equals(header(env, Protocol.ARG))) {
            Exception cause = new Exception("replaced before commit");
            sr.start("500 Internal Server Error", replaced, cause);
            e.event("status replaced");
            return Body.ofUtf8("replaced\n");
        }
        return producing(2, k -> {
            if (k == 0) {
                return "partial-1\n".getBytes(StandardCharsets.US_ASCII);
            }
            Exception cause = new Exception("failure after commit");
            try {
                sr.start("500 Internal Server Error", replaced, cause);
            } catch (Throwable t) {
                e.event(t == cause ? "start_response rethrew the same excInfo" : "start_response threw another exception: " + t);
                throw Router.<RuntimeException>sneaky(t);
            }
            e.violation("[server.exc-info-rethrow] start_response with excInfo returned normally after the headers were sent");
            return "not-rethrown\n".getBytes(StandardCharsets.US_ASCII);
        }, false, e);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t;
    }

    private Body endless(Map<String, Object> env, StartResponse sr, Journal.Entry e) {
        final int chunkSize = 8192;
        final int max = 32 * 1024; // 256 MiB: a server that never notices the client left still ends
        byte[] chunk = TestData.bytes(7, chunkSize);
        Write w = sr.start("200 OK", List.of(Header.of("Content-Type", "application/octet-stream")));
        if ("write".equals(header(env, Protocol.ARG))) {
            int n = 0;
            try {
                for (; n < max; n++) {
                    w.write(chunk);
                }
                e.event("write never failed in " + max + " calls");
            } catch (ClientDisconnectedException x) {
                e.event("write failed after " + n + " calls: ClientDisconnectedException");
            } catch (IOException x) {
                e.event("write failed after " + n + " calls: " + x.getClass().getName() + " (not ClientDisconnectedException)");
            }
            return producing(0, k -> null, true, e);
        }
        int[] produced = {0};
        return new Body() {
            @Override
            public Iterator<byte[]> iterator() {
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return produced[0] < max;
                    }

                    @Override
                    public byte[] next() {
                        if (produced[0] >= max) {
                            throw new NoSuchElementException();
                        }
                        produced[0]++;
                        if (produced[0] == 1) {
                            e.event("produced 1");
                        }
                        return chunk;
                    }
                };
            }

            @Override
            public void close() {
                e.event("body closed after " + produced[0] + " chunks");
            }
        };
    }

    private Body closeThrows(StartResponse sr, Journal.Entry e) {
        sr.start("200 OK", TEXT);
        return Body.from(List.of("ok\n".getBytes(StandardCharsets.US_ASCII)), () -> {
            e.event("close() throwing");
            throw new IOException("deliberate close failure " + Protocol.SECRET + " (request " + e.id() + ")");
        });
    }

    private Body errors(Map<String, Object> env, StartResponse sr, Journal.Entry e) {
        Object errors = env.get(Environ.JGI_ERRORS);
        if (errors instanceof PrintWriter) {
            PrintWriter w = (PrintWriter) errors;
            w.println("[jgi-conformance] jgi.errors is writable");
            w.flush();
            e.event(w.checkError() ? "jgi.errors reported an error" : "wrote to jgi.errors");
        } else {
            e.violation("jgi.errors is not a PrintWriter: " + errors);
        }
        sr.start("200 OK", TEXT);
        return Body.ofUtf8("ok\n");
    }

    // ---- large and file-like bodies

    private Body large(Map<String, Object> env, StartResponse sr, Journal.Entry e) throws IOException {
        String read = header(env, Protocol.READ);
        if (read != null) {
            Map<String, Object> r = read(env, read, e);
            e.event("request body sha256 " + r.get("sha256"));
        }
        long size = number(env, Protocol.SIZE, 1 << 20);
        int chunk = (int) number(env, Protocol.ARG, 65536);
        List<Header> headers = new ArrayList<>();
        headers.add(Header.of("Content-Type", "application/octet-stream"));
        if ("yes".equals(header(env, Protocol.LENGTH))) {
            headers.add(Header.of("Content-Length", Long.toString(size)));
        }
        sr.start("200 OK", headers);
        int n = (int) ((size + chunk - 1) / chunk);
        return producing(n, k -> {
            long off = (long) k * chunk;
            byte[] b = new byte[(int) Math.min(chunk, size - off)];
            TestData.fill(size, off, b, 0, b.length);
            return b;
        }, false, e);
    }

    private Path fileOfSize(long size) throws IOException {
        Path p = files.get(size);
        if (p != null && Files.size(p) == size) {
            return p;
        }
        synchronized (files) {
            p = files.get(size);
            if (p == null) {
                p = Files.createTempFile("jgi-conformance-" + size + "-", ".bin");
                p.toFile().deleteOnExit();
                byte[] buf = new byte[65536];
                try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                    for (long off = 0; off < size; off += buf.length) {
                        int len = (int) Math.min(buf.length, size - off);
                        TestData.fill(size, off, buf, 0, len);
                        ch.write(ByteBuffer.wrap(buf, 0, len));
                    }
                }
                files.put(size, p);
            }
            return p;
        }
    }

    private Body file(Map<String, Object> env, StartResponse sr, Journal.Entry e) throws IOException {
        long size = number(env, Protocol.SIZE, 14750);
        long pos = 0;
        long count = size;
        String region = header(env, Protocol.POS);
        if (region != null) {
            String[] pc = region.split(",");
            pos = Long.parseLong(pc[0].trim());
            count = Long.parseLong(pc[1].trim());
        }
        Path path = fileOfSize(size);
        FileWrapper wrapper = Environ.of(env).fileWrapper();
        String mode = String.valueOf(header(env, Protocol.ARG));
        List<Header> headers = new ArrayList<>();
        headers.add(Header.of("Content-Type", "application/octet-stream"));
        if ("yes".equals(header(env, Protocol.LENGTH))) {
            headers.add(Header.of("Content-Length", Long.toString(count)));
        }
        if (wrapper == null && mode.equals("require-wrapper")) {
            e.violation("jgi.file_wrapper is not offered although the server declares file-wrapper-zero-copy");
            sr.start("501 Not Implemented", TEXT);
            return Body.ofUtf8("no jgi.file_wrapper\n");
        }
        sr.start("200 OK", headers);
        if (wrapper != null && mode.equals("path")) {
            // the whole file by name: a server may send it by that name (Tomcat's sendfile)
            e.event("jgi.file_wrapper offered");
            return wrapper.wrap(path);
        }
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        try {
            if (wrapper != null) {
                e.event("jgi.file_wrapper offered");
                return wrapper.wrap(ch, pos, count);
            }
            e.event("jgi.file_wrapper not offered; iterating the file");
            long start = pos;
            long end = pos + count;
            return Body.from(() -> new Iterator<byte[]>() {
                private long at = start;

                @Override
                public boolean hasNext() {
                    return at < end;
                }

                @Override
                public byte[] next() {
                    if (at >= end) {
                        throw new NoSuchElementException();
                    }
                    ByteBuffer buf = ByteBuffer.allocate((int) Math.min(65536, end - at));
                    try {
                        while (buf.hasRemaining()) {
                            if (ch.read(buf, at + buf.position()) < 0) {
                                throw new IOException("file ended early");
                            }
                        }
                    } catch (IOException x) {
                        throw new UncheckedIOException(x);
                    }
                    at += buf.capacity();
                    return buf.array();
                }
            }, ch);
        } catch (IOException | RuntimeException x) {
            ch.close();
            throw x;
        }
    }

    private Body inputStream(Map<String, Object> env, StartResponse sr, Journal.Entry e) {
        int size = (int) number(env, Protocol.SIZE, 50_000);
        ByteArrayInputStream in = new ByteArrayInputStream(TestData.bytes(size, size)) {
            @Override
            public void close() throws IOException {
                e.event("stream closed");
                super.close();
            }
        };
        sr.start("200 OK", List.of(Header.of("Content-Type", "application/octet-stream")));
        return Body.from(() -> new Iterator<byte[]>() {
            private byte[] next;
            private boolean end;

            @Override
            public boolean hasNext() {
                if (next == null && !end) {
                    byte[] buf = new byte[4096];
                    int n = in.read(buf, 0, buf.length);
                    if (n < 0) {
                        end = true;
                    } else {
                        next = java.util.Arrays.copyOf(buf, n);
                    }
                }
                return next != null;
            }

            @Override
            public byte[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                byte[] b = next;
                next = null;
                return b;
            }
        }, in);
    }

    private Body async(StartResponse sr, Journal.Entry e) {
        BlockingQueue<byte[]> q = new ArrayBlockingQueue<>(8);
        byte[] end = new byte[0];
        Thread producer = new Thread(() -> {
            try {
                for (int k = 1; k <= 5; k++) {
                    q.put(("async-" + k + "\n").getBytes(StandardCharsets.US_ASCII));
                }
                q.put(end);
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
            }
        }, "jgi-conformance-async-producer");
        producer.setDaemon(true);
        producer.start();
        sr.start("200 OK", TEXT);
        return Body.from(() -> new Iterator<byte[]>() {
            private byte[] next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    try {
                        next = q.poll(Protocol.RELEASE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException x) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(x);
                    }
                    if (next == null) {
                        throw new IllegalStateException("the producer thread stalled");
                    }
                }
                return next != end;
            }

            @Override
            public byte[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                byte[] b = next;
                next = null;
                return b;
            }
        }, producer::interrupt);
    }
}

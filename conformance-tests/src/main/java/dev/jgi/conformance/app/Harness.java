package dev.jgi.conformance.app;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.Environ;
import dev.jgi.Header;
import dev.jgi.ProtocolException;
import dev.jgi.StartResponse;
import dev.jgi.Write;
import dev.jgi.gateway.FileRegion;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The outermost layer of the conformance application, between the server and the validator.
 *
 * <p>It records, per request id, what the server does with the application: the call, every
 * {@code iterator()}, {@code next()} past a {@code close()}, every {@code close()}, exceptions, and
 * validator errors ({@code ValidationError} is an {@link AssertionError}) as violations. It is
 * transparent: it passes the environ through untouched and keeps a file body a {@link FileRegion}.
 *
 * <p>It also injects the faults a server must handle (the {@code X-Jgi-Sabotage} header): a
 * hop-by-hop or malformed header, a bad status, a wrong Content-Length, a second or missing
 * {@code start_response}, a null body or chunk. Injecting them here, outside the validator, keeps
 * the application itself well-behaved while the server still sees exactly the fault.
 */
final class Harness implements Application {

    /** The key the harness adds to each environ after the call, to detect a reused environ. */
    static final String SEEN = "conformance.seen";

    private final Application inner;
    private final Journal journal;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<?, ?>[] recent = new Map<?, ?>[64];
    private int recentNext;

    Harness(Application inner, Journal journal) {
        this.inner = inner;
        this.journal = journal;
    }

    @Override
    public Body call(Map<String, Object> env, StartResponse sr) throws Exception {
        Object idv = env.get(Environ.keyFor(Protocol.ID));
        if (!(idv instanceof String)) {
            return inner.call(env, sr);
        }
        Journal.Entry e = journal.entry((String) idv);
        int calls = e.called();
        e.event("call " + env.get(Environ.REQUEST_METHOD) + " " + env.get(Environ.REQUEST_URI));
        if (calls > 1) {
            e.violation("[server.call] the application was called " + calls + " times for one request");
        }
        checkFresh(env, e);
        int concurrent = inFlight.incrementAndGet();
        if (Boolean.FALSE.equals(env.get(Environ.JGI_MULTITHREAD)) && concurrent > 1) {
            e.violation("[thread.multithread] jgi.multithread is FALSE, but " + concurrent + " requests are in the application at once");
        }
        boolean[] ended = {false};
        Runnable end = () -> {
            if (!ended[0]) {
                ended[0] = true;
                inFlight.decrementAndGet();
            }
        };
        Object sv = env.get(Environ.keyFor(Protocol.SABOTAGE));
        String[] sab = sv instanceof String ? ((String) sv).split("\\|", -1) : new String[] {""};
        StartResponse toInner = sabotage(sab, sr, e);
        Thread thread = Thread.currentThread();
        Body body;
        try {
            body = inner.call(env, toInner);
        } catch (Exception | Error x) {
            record(e, "call()", x);
            end.run();
            throw x;
        } finally {
            env.put(SEEN, e.id());
        }
        if (body == null) {
            e.violation("the application (behind the validator) returned null");
            end.run();
            return null;
        }
        switch (sab[0]) {
            case "body-null":
                e.event("sabotage: returning null instead of the body");
                body.close(); // the body is discarded here, so it is closed here
                end.run();
                return null;
            case "chunk-null":
                e.bodyReturned();
                return new Recording(body, e, Integer.parseInt(sab[1]), thread, end);
            default:
                e.bodyReturned();
                return body instanceof FileRegion ? new RecordingFile(body, e, thread, end) : new Recording(body, e, -1, thread, end);
        }
    }

    /** [environ.fresh]: no environ seen before, and none carrying the mark of an earlier call. */
    private void checkFresh(Map<String, Object> env, Journal.Entry e) {
        if (env.containsKey(SEEN)) {
            e.violation("[environ.fresh] the environ carries the key " + SEEN + "=" + env.get(SEEN)
                    + " that the application added to an earlier request's environ");
        }
        synchronized (recent) {
            for (Map<?, ?> m : recent) {
                if (m == env) {
                    e.violation("[environ.fresh] the server passed the same environ map object as for an earlier request");
                    break;
                }
            }
            recent[recentNext] = env;
            recentNext = (recentNext + 1) % recent.length;
        }
    }

    private static void record(Journal.Entry e, String where, Throwable t) {
        if (t instanceof AssertionError) {
            e.violation(where + ": " + t.getMessage());
        } else {
            e.event(where + " threw " + t.getClass().getName() + ": " + t.getMessage());
        }
    }

    /** The start_response handed to the validator: the server's, with the requested fault injected. */
    private static StartResponse sabotage(String[] sab, StartResponse sr, Journal.Entry e) {
        boolean[] started = {false};
        return (status, headers, excInfo) -> {
            String s = status;
            List<Header> h = headers;
            switch (sab[0]) {
                case "add-header":
                    h = new ArrayList<>(headers);
                    h.add(Header.of(TestData.unpctText(sab[1]), TestData.unpctText(sab[2])));
                    break;
                case "status":
                    s = TestData.unpctText(sab[1]);
                    break;
                case "null-status":
                    s = null;
                    break;
                case "null-headers":
                    h = null;
                    break;
                case "content-length":
                    h = new ArrayList<>();
                    for (Header x : headers) {
                        if (!x.name().equalsIgnoreCase("Content-Length")) {
                            h.add(x);
                        }
                    }
                    h.add(Header.of("Content-Length", TestData.unpctText(sab[1])));
                    break;
                case "no-start":
                    e.event("sabotage: start_response not passed to the server");
                    return data -> e.violation("write() called in a no-start sabotage");
                default:
                    break;
            }
            if (!sab[0].isEmpty()) {
                e.event("sabotage " + sab[0] + ": start_response(" + s + ", " + h + ")");
            }
            Write w = start(sr, s, h, excInfo, e);
            if (sab[0].equals("start-twice") && !started[0]) {
                started[0] = true;
                try {
                    sr.start(status, headers);
                    e.violation("[start.twice] a second start_response without excInfo returned normally");
                } catch (ProtocolException pe) {
                    e.event("second start_response threw ProtocolException " + pe.getMessage());
                } catch (RuntimeException re) {
                    e.violation("[start.twice] a second start_response threw " + re + " instead of a ProtocolException");
                }
            }
            return w;
        };
    }

    private static Write start(StartResponse sr, String status, List<Header> headers, Throwable excInfo, Journal.Entry e) {
        try {
            return sr.start(status, headers, excInfo);
        } catch (ProtocolException pe) {
            e.event("start_response threw ProtocolException " + pe.getMessage());
            throw pe;
        } catch (Throwable t) {
            if (t == excInfo) {
                e.event("start_response rethrew excInfo");
            } else {
                e.event("start_response threw " + t);
            }
            throw Harness.<RuntimeException>sneaky(t);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t;
    }

    /** Records what the server does with a body. */
    private static class Recording implements Body {
        final Body body;
        final Journal.Entry e;
        private final int nullAt;
        private final Thread requestThread;
        private final Runnable end;
        private volatile boolean closed;
        private volatile boolean otherThreadSeen;

        Recording(Body body, Journal.Entry e, int nullAt, Thread requestThread, Runnable end) {
            this.body = body;
            this.e = e;
            this.nullAt = nullAt;
            this.requestThread = requestThread;
            this.end = end;
        }

        /** [thread.request]: every call into the body on the thread that ran call(). */
        final void onRequestThread(String method) {
            Thread t = Thread.currentThread();
            if (t != requestThread && !otherThreadSeen) {
                otherThreadSeen = true;
                e.violation("[thread.request] the server called " + method + " on thread \"" + t.getName()
                        + "\", but call() ran on \"" + requestThread.getName() + "\"");
            }
        }

        @Override
        public Iterator<byte[]> iterator() {
            onRequestThread("iterator()");
            int n = e.iterator();
            if (n > 1) {
                e.violation("[server.iterate-once] the server called iterator() " + n + " times");
            }
            if (closed) {
                e.violation("[server.chunk-after-close] the server called iterator() after close()");
            }
            Iterator<byte[]> it;
            try {
                it = body.iterator();
            } catch (RuntimeException | Error x) {
                record(e, "iterator()", x);
                throw x;
            }
            return new Iterator<>() {
                private int k;

                @Override
                public boolean hasNext() {
                    onRequestThread("hasNext()");
                    if (closed) {
                        e.violation("[server.chunk-after-close] the server called hasNext() after close()");
                    }
                    try {
                        return it.hasNext();
                    } catch (RuntimeException | Error x) {
                        record(e, "hasNext()", x);
                        throw x;
                    }
                }

                @Override
                public byte[] next() {
                    onRequestThread("next()");
                    if (closed) {
                        e.violation("[server.chunk-after-close] the server asked for a chunk after close()");
                    }
                    k++;
                    if (k == nullAt) {
                        e.event("sabotage: yielding null as chunk " + k);
                        return null;
                    }
                    try {
                        return it.next();
                    } catch (RuntimeException | Error x) {
                        record(e, "next()", x);
                        throw x;
                    }
                }
            };
        }

        @Override
        public int chunkCount() {
            onRequestThread("chunkCount()");
            return nullAt > 0 ? -1 : body.chunkCount();
        }

        @Override
        public void close() throws IOException {
            onRequestThread("close()");
            end.run();
            int n = e.close();
            closed = true;
            e.event("close " + n);
            if (n > 1) {
                e.violation("[server.close-once] the server called close() " + n + " times");
            }
            try {
                body.close();
            } catch (IOException | RuntimeException | Error x) {
                record(e, "close()", x);
                throw x;
            }
        }
    }

    /** A recorded body that stays a file region, so the server can still take its file path. */
    private static final class RecordingFile extends Recording implements FileRegion {
        private final FileRegion region;
        private boolean taken;

        RecordingFile(Body body, Journal.Entry e, Thread requestThread, Runnable end) {
            super(body, e, -1, requestThread, end);
            this.region = (FileRegion) body;
        }

        @Override
        public FileChannel channel() {
            took();
            return region.channel();
        }

        @Override
        public long position() {
            return region.position();
        }

        @Override
        public long count() {
            return region.count();
        }

        @Override
        public java.nio.file.Path path() {
            took();
            return region.path();
        }

        private void took() {
            if (!taken) {
                taken = true;
                e.event("the server took the file region");
            }
        }
    }
}

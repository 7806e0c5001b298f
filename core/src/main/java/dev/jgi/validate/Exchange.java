package dev.jgi.validate;

import static dev.jgi.validate.Rules.application;
import static dev.jgi.validate.Rules.quote;

import dev.jgi.Header;
import dev.jgi.ProtocolException;
import dev.jgi.StartResponse;
import dev.jgi.Write;
import dev.jgi.gateway.ResponseRules;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;

/**
 * The validator's view of one request: the {@code start_response} the application sees, and the
 * response state the body and write checks share.
 *
 * <p>"Committed" here means what it means to the gateway: the first non-empty chunk was yielded or
 * written, a file region was taken, or the body ended. A server hands a request between threads
 * with a happens-before edge (it must, for its own state), so plain fields suffice for the response
 * state; the fields the thread checks read are volatile, because those checks exist for calls that
 * come from threads without such an edge.
 */
final class Exchange implements StartResponse {

    private final StartResponse server;
    private final PrintWriter log;
    private final String label;
    private final boolean head;

    private boolean started;
    private String statusLine;
    private int status;
    private List<Header> headers;
    private List<Header> snapshot;
    private long declaredLength = -1;
    private boolean committed;
    /** The server began iterating (or closed, or took the file region of) the body: write() is over. */
    private boolean bodyBegun;
    private long sent;

    /** The thread that called the application: the request thread ([thread.request]). */
    private final Thread requestThread;
    private volatile boolean callRunning = true;
    private volatile boolean closed;
    /** The thread inside the body's iterator(), hasNext() or next() right now, or null. */
    private volatile Thread iterating;

    Exchange(StartResponse server, PrintWriter log, String label, boolean head) {
        this.server = server;
        this.log = log;
        this.label = label;
        this.head = head;
        this.requestThread = Thread.currentThread();
    }

    /** The application's call returned (or threw): write() is over unless the application broke a rule. */
    void callReturned() {
        callRunning = false;
    }

    /** The server closed the body. */
    void closed() {
        closed = true;
        bodyBegun = true;
    }

    /**
     * Marks the thread that runs the body's iteration code, so that a lazy start_response inside
     * next() is not blamed on the application when the server iterates on a thread of its own.
     *
     * @param t the thread entering iterator(), hasNext() or next(), or {@code null} when it leaves
     */
    void iterating(Thread t) {
        iterating = t;
    }

    private static String name(Thread t) {
        return t.getName().isEmpty() ? t.toString() : "\"" + t.getName() + "\"";
    }

    @Override
    public Write start(String status, List<Header> headers, Throwable excInfo) {
        Thread t = Thread.currentThread();
        if (t != requestThread && t != iterating) {
            throw application(Rules.THREAD_REQUEST, "start_response was called on thread " + name(t) + "; the request thread,"
                    + " which called the application, is " + name(requestThread));
        }
        if (excInfo != null && committed) {
            rethrowFromServer(status, headers, excInfo);
        }
        if (excInfo == null && started) {
            throw application(ResponseRules.TWICE, "start_response called a second time without excInfo: first "
                    + quote(statusLine) + ", now " + quote(status));
        }
        int code;
        long length;
        try {
            code = ResponseRules.checkStatus(status);
            length = ResponseRules.checkHeaders(headers);
        } catch (ProtocolException e) {
            // one implementation of these checks: the gateway's, renamed as the application's fault
            String m = e.getMessage();
            String prefix = "[" + e.rule() + "] ";
            throw new ValidationError(e.rule(), Rules.APPLICATION + (m.startsWith(prefix) ? m.substring(prefix.length()) : m), e);
        }
        Write w = server.start(status, headers, excInfo);
        this.started = true;
        this.statusLine = status;
        this.status = code;
        this.headers = headers; // the application's own list, as the server keeps it, to see later changes
        this.snapshot = List.copyOf(headers);
        this.declaredLength = length;
        return new CheckedWrite(w);
    }

    /** After commit, start_response with excInfo must throw excInfo itself: anything else loses the error. */
    private void rethrowFromServer(String status, List<Header> headers, Throwable excInfo) {
        try {
            server.start(status, headers, excInfo);
        } catch (Throwable t) {
            if (t == excInfo) {
                throw Exchange.<RuntimeException>sneaky(t);
            }
            throw serverViolation(Rules.SERVER_EXC_INFO_RETHROW, "start_response with excInfo after the response was committed threw "
                    + t + " instead of excInfo itself (" + excInfo + ")", t);
        }
        throw serverViolation(Rules.SERVER_EXC_INFO_RETHROW, "start_response with excInfo returned normally after the response was "
                + "committed; it must throw excInfo (" + excInfo + ")", excInfo);
    }

    /** The server started iterating, took the file region, or closed the body. */
    void bodyBegun() {
        bodyBegun = true;
    }

    /** A chunk the body yielded to the server, the {@code index}-th (from 1). */
    void chunk(byte[] chunk, int index, int claimed) {
        if (chunk == null) {
            throw application(ResponseRules.CHUNK_NULL, "the body yielded null as chunk " + index);
        }
        if (claimed >= 0 && index > claimed) {
            throw application(Rules.CHUNK_COUNT, "chunkCount() is " + claimed + " but the body yielded chunk " + index
                    + (claimed == 1 ? "; the server computes Content-Length from a one-chunk body, so the response would be cut short" : ""));
        }
        if (chunk.length > 0) {
            if (!started) {
                throw application(ResponseRules.MISSING, "the body yielded " + chunk.length + " bytes before start_response was called");
            }
            data(chunk.length, "the body yielded");
        }
    }

    /** The server found the end of the body's iteration. */
    void ended(int chunks, int claimed) {
        if (!started) {
            throw application(ResponseRules.MISSING, "the body ended and start_response was never called");
        }
        commit();
        if (claimed >= 0 && chunks != claimed) {
            throw application(Rules.CHUNK_COUNT, "chunkCount() is " + claimed + " but the body yielded " + chunks + " chunks");
        }
        if (declaredLength >= 0 && sent != declaredLength && !ResponseRules.isBodyless(status, head)) {
            throw application(ResponseRules.BODY_LENGTH, "the body ended after " + sent + " bytes but Content-Length is " + declaredLength);
        }
    }

    /** The server took the file region of a file body, which it sends at once. */
    void region(long count) {
        bodyBegun = true;
        if (!started) {
            throw application(ResponseRules.MISSING, "returned a file body without calling start_response first "
                    + "(a file body is sent without iterating it, so start_response cannot be called lazily)");
        }
        commit();
        if (count > 0 && noContent()) {
            throw application(ResponseRules.NO_CONTENT, "a " + status + " response has a file body of " + count + " bytes");
        }
        if (declaredLength >= 0 && count != declaredLength && !ResponseRules.isBodyless(status, head)) {
            throw application(ResponseRules.BODY_LENGTH, "the file body has " + count + " bytes but Content-Length is " + declaredLength);
        }
        sent += count;
    }

    /** Non-empty response bytes, from the body or from write(). */
    private void data(int length, String what) {
        commit();
        if (noContent()) {
            throw application(ResponseRules.NO_CONTENT, what + " " + length + " bytes on a " + status + " response, which has no body");
        }
        sent += length;
        if (declaredLength >= 0 && sent > declaredLength) {
            throw application(ResponseRules.BODY_LENGTH, what + " " + sent + " bytes in all, more than the Content-Length of "
                    + declaredLength);
        }
    }

    /** The moment the server sends the headers: the list it sends must be the one it validated. */
    private void commit() {
        if (committed) {
            return;
        }
        committed = true;
        if (!snapshot.equals(headers)) {
            throw application(Rules.HEADERS_MUTATED, "the header list changed after start_response: it was " + snapshot
                    + ", at commit it is " + headers);
        }
    }

    private boolean noContent() {
        return status == 204 || status == 304;
    }

    /** A violation by the server, also printed on jgi.errors because a faulty server may swallow it. */
    ValidationError serverViolation(String rule, String message, Throwable cause) {
        ValidationError e = Rules.server(rule, message, cause);
        print(log, label, e);
        return e;
    }

    static void print(PrintWriter log, String label, ValidationError e) {
        if (log != null) {
            synchronized (log) {
                log.println("[jgi.validate] " + label + ": " + e.getMessage());
                log.flush();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t;
    }

    /** The write callable the application sees. */
    private final class CheckedWrite implements Write {
        private final Write write;

        CheckedWrite(Write write) {
            this.write = write;
        }

        @Override
        public void write(byte[] data) throws IOException {
            if (data == null) {
                throw application(ResponseRules.CHUNK_NULL, "write() was passed null");
            }
            if (closed) {
                throw application(Rules.WRITE_THREAD, "write() was called with " + data.length
                        + " bytes after the server closed the body; write() is for the application's call only");
            }
            if (bodyBegun) {
                throw application(Rules.WRITE_IN_ITERATION, "write() was called with " + data.length
                        + " bytes after the server began iterating the returned body");
            }
            Thread t = Thread.currentThread();
            if (t != requestThread) {
                throw application(Rules.WRITE_THREAD, "write() was called on thread " + name(t) + "; only the thread running the"
                        + " application's call may write, here " + name(requestThread));
            }
            if (!callRunning) {
                throw application(Rules.WRITE_THREAD, "write() was called with " + data.length + " bytes after the application's"
                        + " call returned; write() is for the duration of the call");
            }
            if (data.length > 0) {
                data(data.length, "write() sent");
            }
            write.write(data);
        }
    }
}

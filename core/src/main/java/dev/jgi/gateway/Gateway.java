package dev.jgi.gateway;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.ClientDisconnectedException;
import dev.jgi.Environ;
import dev.jgi.Header;
import dev.jgi.ProtocolException;
import dev.jgi.StartResponse;
import dev.jgi.Status;
import dev.jgi.Write;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The server side of JGI, written once: calls an application for one request and carries out every
 * response rule of SPEC.md on a {@link ResponseChannel} that an adapter implements for its server.
 *
 * <p>It implements {@code start_response} (validation, replacement with {@code excInfo}, the
 * rethrow after commit), the {@code write} callable, header delay until the first non-empty chunk,
 * Content-Length (computed for a one-chunk or empty body, never exceeded, a short body aborting the
 * connection), HEAD and bodyless statuses, the file-region path, error responses (500 without a
 * stack trace before commit, abort after), logging on {@code jgi.errors}, and calling
 * {@link Body#close()} exactly once.
 *
 * <p>A {@code Gateway} is immutable and thread-safe; {@link #serve} runs on the calling thread and
 * blocks until the response is finished or aborted.
 */
public final class Gateway {

    private static final List<Header> ERROR_HEADERS = List.of(Header.of("Content-Type", "text/plain; charset=utf-8"));

    private final Application app;
    private final PrintWriter fallbackErrors;

    /**
     * Creates a gateway for an application.
     *
     * @param app the application
     */
    public Gateway(Application app) {
        this(app, null);
    }

    /**
     * Creates a gateway for an application, with the error stream to use when an environ carries
     * none (a middleware removed it).
     *
     * @param app the application
     * @param fallbackErrors the error stream, or {@code null} for the {@code dev.jgi} logger
     */
    public Gateway(Application app, PrintWriter fallbackErrors) {
        this.app = java.util.Objects.requireNonNull(app, "app");
        // resolved once: a server's log writer is shared by all its requests
        this.fallbackErrors = fallbackErrors != null ? fallbackErrors : ErrorStream.toDefaultLogger();
    }

    /** @return the application this gateway calls */
    public Application application() {
        return app;
    }

    /**
     * Serves one request: calls the application with {@code environ} and sends its response on
     * {@code channel}. Never throws; every failure ends in an error response or an aborted
     * connection, and a log entry.
     *
     * @param environ the request's environ, from {@link EnvironBuilder}
     * @param channel the adapter's response channel
     */
    public void serve(Map<String, Object> environ, ResponseChannel channel) {
        Exchange ex = new Exchange(channel, environ, fallbackErrors);
        Body body = null;
        try {
            body = app.call(environ, ex);
            if (body == null) {
                throw new ProtocolException(ResponseRules.BODY_NULL, "application returned null instead of a body");
            }
            ex.drain(body);
        } catch (Throwable t) {
            ex.fail(t);
        } finally {
            if (body != null) {
                try {
                    body.close();
                } catch (Throwable t) {
                    ex.log("body.close() failed", t);
                }
            }
            ex.end();
        }
    }

    /**
     * Answers a request the shared translation refused before calling the application, and logs
     * one line about it on this gateway's error stream: what every adapter does with a
     * {@link RequestRejectedException} from {@link EnvironBuilder#build()}.
     *
     * @param channel the adapter's response channel
     * @param rejection why the request was refused, with the status to answer
     * @param method the request method, as received
     * @param target the request target, as received, for the log line
     */
    public void reject(ResponseChannel channel, RequestRejectedException rejection, String method, String target) {
        PrintWriter w = fallbackErrors;
        synchronized (w) {
            w.println("[jgi] " + method + " " + target + ": rejected before the application with "
                    + rejection.status() + ": " + rejection.getMessage());
            w.flush();
        }
        reject(channel, rejection.status(), rejection.getMessage(), "HEAD".equals(method));
    }

    /**
     * Answers a request the gateway refused before calling the application (see
     * {@link RequestRejectedException}): a short plain-text response, then {@link ResponseChannel#finish()}.
     *
     * @param channel the adapter's response channel
     * @param status the status, for example 400
     * @param message the reason, shown to the client
     * @param head whether the request method was HEAD
     */
    public static void reject(ResponseChannel channel, int status, String message, boolean head) {
        byte[] text = (status + " " + Status.reason(status) + "\n" + message + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            channel.sendHeaders(status, Status.reason(status), ERROR_HEADERS, text.length, head);
            if (!head) {
                channel.write(text, 0, text.length);
            }
            channel.finish();
        } catch (IOException | RuntimeException e) {
            channel.abort(e);
        }
    }

    /** The state of one response; also the application's start_response and write. */
    private static final class Exchange implements StartResponse, Write {
        private final ResponseChannel ch;
        private final boolean head;
        private final Map<String, Object> environ;
        private final Object requestLabelMethod;
        private final Object requestLabelUri;
        private final PrintWriter errors;

        private boolean startCalled;
        private int status = -1;
        private String reason;
        private List<Header> headers;
        private long declaredLength = -1;
        /** The Content-Length sent at commit (declared or computed), or -1: what the body must match. */
        private long limit = -1;

        private boolean committed;
        private boolean bodyless;
        private boolean done;
        private boolean channelFailed;
        private boolean aborted;
        private boolean noContentLogged;
        private long sent;

        Exchange(ResponseChannel ch, Map<String, Object> environ, PrintWriter fallbackErrors) {
            this.ch = ch;
            this.environ = environ;
            // captured now: the application may rewrite its environ
            Object method = environ.get(Environ.REQUEST_METHOD);
            this.head = "HEAD".equals(method);
            this.requestLabelMethod = method;
            this.requestLabelUri = environ.get(Environ.REQUEST_URI);
            Object e = environ.get(Environ.JGI_ERRORS);
            this.errors = e instanceof PrintWriter ? (PrintWriter) e : fallbackErrors;
        }

        @Override
        public Write start(String status, List<Header> headers, Throwable excInfo) {
            if (excInfo != null) {
                if (committed) {
                    throw Gateway.<RuntimeException>sneaky(excInfo);
                }
            } else if (startCalled) {
                // PEP 3333: fatal even when the earlier call threw
                throw new ProtocolException(ResponseRules.TWICE, "start_response called a second time without excInfo");
            }
            startCalled = true;
            int code = ResponseRules.checkStatus(status);
            long length = ResponseRules.checkHeaders(headers);
            // a copy, so that a later change to the application's list cannot send unvalidated headers
            // (free for the immutable lists most applications pass)
            List<Header> copy = List.copyOf(headers);
            this.status = code;
            this.reason = reasonPhrase(status, code);
            this.headers = copy;
            this.declaredLength = length;
            return this;
        }

        /**
         * The reason phrase of a checked status argument. The standard phrase is returned as the
         * constant {@link Status#reason} holds, so that the common case ("200 OK") allocates no
         * substring per request; any other phrase is cut from the argument as given.
         */
        private static String reasonPhrase(String status, int code) {
            String standard = Status.reason(code);
            int n = status.length() - 4;
            if (n == standard.length() && status.regionMatches(4, standard, 0, n)) {
                return standard;
            }
            return Status.reasonOf(status);
        }

        @Override
        public void write(byte[] data) throws IOException {
            if (data == null) {
                throw new ProtocolException(ResponseRules.CHUNK_NULL, "write() was passed null");
            }
            send(data, false);
        }

        void drain(Body body) throws IOException {
            if (body instanceof FileRegion) {
                transfer((FileRegion) body);
                return;
            }
            Iterator<byte[]> it = body.iterator();
            boolean single = body.chunkCount() == 1;
            while (!done && it.hasNext()) {
                byte[] chunk = it.next();
                if (chunk == null) {
                    throw new ProtocolException(ResponseRules.CHUNK_NULL, "body yielded a null chunk");
                }
                send(chunk, single);
            }
            complete();
        }

        private void transfer(FileRegion region) throws IOException {
            requireStarted("returned a file body");
            if (!committed) {
                commit(region.count());
            }
            if (bodyless && !head && region.count() > 0) {
                log("[" + ResponseRules.NO_CONTENT + "] body bytes on a " + status + " response were dropped", null);
            }
            if (!bodyless) {
                long n = region.count();
                if (limit >= 0 && n > limit - sent) {
                    n = limit - sent;
                    log("[" + ResponseRules.BODY_LENGTH + "] file body is longer than the Content-Length of " + limit
                            + "; the rest was not sent", null);
                }
                if (n > 0) {
                    try {
                        ch.transfer(region, n);
                    } catch (IOException e) {
                        throw disconnected(e);
                    }
                    sent += n;
                }
            }
            complete();
        }

        private void send(byte[] chunk, boolean onlyChunk) throws IOException {
            if (channelFailed) {
                // keep failing: an application that catches the first disconnect must not loop forever
                throw new ClientDisconnectedException("the connection already failed", null);
            }
            if (done || chunk.length == 0) {
                return;
            }
            requireStarted("yielded body data");
            if (!committed) {
                commit(onlyChunk && sent == 0 ? chunk.length : -1);
            }
            if (bodyless) {
                if (!head && !noContentLogged) {
                    noContentLogged = true;
                    log("[" + ResponseRules.NO_CONTENT + "] body bytes on a " + status + " response were dropped", null);
                }
                done = head; // a HEAD response is complete once committed; 204/304 keep iterating to report
                return;
            }
            int n = chunk.length;
            boolean over = false;
            if (limit >= 0 && n > limit - sent) {
                n = (int) (limit - sent);
                over = true;
            }
            if (n > 0) {
                try {
                    if (limit >= 0 && sent + n == limit) {
                        ch.writeLast(chunk, 0, n); // the body is complete: the end can go with it
                    } else {
                        ch.write(chunk, 0, n);
                    }
                } catch (IOException e) {
                    throw disconnected(e);
                }
                sent += n;
            }
            if (over) {
                log("[" + ResponseRules.BODY_LENGTH + "] body is longer than its Content-Length of " + limit
                        + "; the rest was not sent", null);
            }
            if (limit >= 0 && sent == limit) {
                done = true; // enough is sent: stop iterating (PEP 3333 "Handling the Content-Length Header")
            }
        }

        private void requireStarted(String what) {
            if (status < 0) {
                throw new ProtocolException(ResponseRules.MISSING, "application " + what + " before calling start_response");
            }
        }

        private void commit(long knownLength) throws IOException {
            bodyless = ResponseRules.isBodyless(status, head);
            long length;
            if (status == 204) {
                length = -1;
            } else if (status == 304) {
                length = declaredLength;
            } else {
                length = declaredLength >= 0 ? declaredLength : knownLength;
            }
            limit = bodyless ? -1 : length;
            List<Header> out = declaredLength >= 0 ? withoutContentLength(headers) : headers;
            committed = true;
            if (channelFailed) {
                throw new ClientDisconnectedException("the connection already failed", null);
            }
            try {
                ch.sendHeaders(status, reason, out, length, bodyless);
            } catch (IOException e) {
                throw disconnected(e);
            }
        }

        private static List<Header> withoutContentLength(List<Header> headers) {
            List<Header> out = new ArrayList<>(headers.size());
            for (Header h : headers) {
                if (!h.name().equalsIgnoreCase("Content-Length")) {
                    out.add(h);
                }
            }
            return out;
        }

        /** The body ended normally. */
        private void complete() throws IOException {
            requireStarted("finished its body");
            if (!committed) {
                if (declaredLength > 0 && !ResponseRules.isBodyless(status, head)) {
                    throw new ProtocolException(ResponseRules.BODY_LENGTH, "body is empty but Content-Length is " + declaredLength);
                }
                commit(sent);
            } else if (limit >= 0 && sent < limit) {
                String msg = "[" + ResponseRules.BODY_LENGTH + "] body ended after " + sent + " of its Content-Length of "
                        + limit + " bytes; aborting the connection";
                log(msg, null);
                abort(new IOException(msg));
            }
        }

        void fail(Throwable t) {
            if (t instanceof ClientDisconnectedException) {
                log("client disconnected or sending failed: " + t.getMessage(), null);
                abort(t);
                return;
            }
            if (!committed && !channelFailed) {
                int code = tooLarge(t) ? 413 : 500;
                log("application error; answering " + code, t);
                byte[] text = (code + " " + Status.reason(code) + "\n").getBytes(StandardCharsets.UTF_8);
                try {
                    status = code;
                    committed = true;
                    bodyless = head;
                    ch.sendHeaders(code, Status.reason(code), ERROR_HEADERS, text.length, head);
                    if (!head) {
                        ch.write(text, 0, text.length);
                    }
                } catch (IOException | RuntimeException e) {
                    abort(e);
                }
                return;
            }
            log("application error after the response was committed; aborting the connection", t);
            abort(t);
        }

        /** Whether the request body limit caused {@code t}, also when a body iterator wrapped it. */
        private static boolean tooLarge(Throwable t) {
            for (int depth = 0; t != null && depth < 8; t = t.getCause(), depth++) {
                if (t instanceof RequestBodyTooLargeException) {
                    return true;
                }
            }
            return false;
        }

        /** Called once, after the body was closed: finish unless aborted. */
        void end() {
            if (aborted) {
                return;
            }
            if (channelFailed) {
                // the application caught the ClientDisconnectedException, so fail() never logged it
                log("client disconnected; the response was not completed", null);
                abort(new IOException("connection failed"));
                return;
            }
            try {
                ch.finish();
            } catch (IOException | RuntimeException e) {
                abort(e);
            }
        }

        private void abort(Throwable cause) {
            if (!aborted) {
                aborted = true;
                done = true;
                try {
                    ch.abort(cause);
                } catch (RuntimeException ignored) {
                    // abort must not throw; an adapter that does has nothing left to do for us
                }
            }
        }

        private ClientDisconnectedException disconnected(IOException e) {
            channelFailed = true;
            done = true;
            return e instanceof ClientDisconnectedException ? (ClientDisconnectedException) e
                    : new ClientDisconnectedException("sending the response failed: " + e, e);
        }

        void log(String message, Throwable t) {
            PrintWriter w = errors;
            synchronized (w) {
                w.println("[jgi] " + requestLabelMethod + " " + requestLabelUri + ": " + message);
                if (t != null) {
                    t.printStackTrace(w);
                }
                w.flush();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t;
    }
}

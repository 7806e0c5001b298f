package dev.jgi.servlet;

import dev.jgi.ClientDisconnectedException;
import dev.jgi.Header;
import dev.jgi.gateway.FileRegion;
import dev.jgi.gateway.FileWindows;
import dev.jgi.gateway.ResponseChannel;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The response side of the servlet adapter: one request's {@link ResponseChannel} over an
 * {@link HttpServletResponse}, and in async mode the {@link AsyncListener} that keeps the
 * application thread from touching a response the container has already given up.
 *
 * <p>Abort: the Servlet API has no call that resets a committed response, but every container
 * treats an exception thrown out of {@code service()} after commit as a broken response and closes
 * the connection without completing the framing (Tomcat's ErrorReportValve closes it, Jetty's
 * ServletChannel aborts it). So {@link #abort} only records the cause and the servlet throws
 * {@link ResponseAbortedException} from {@code service()}; in async mode it dispatches back into
 * the container and throws from there.
 */
final class ServletExchange implements ResponseChannel, AsyncListener {

    /** Tomcat's sendfile request attributes (its documented zero-copy path, used by its DefaultServlet). */
    static final String SENDFILE_SUPPORT = "org.apache.tomcat.sendfile.support";
    static final String SENDFILE_FILENAME = "org.apache.tomcat.sendfile.filename";
    static final String SENDFILE_START = "org.apache.tomcat.sendfile.start";
    static final String SENDFILE_END = "org.apache.tomcat.sendfile.end";

    private final HttpServletResponse resp;
    private final AsyncContext async;
    /** The request, when the container may send a file by name for it (blocking mode); else null. */
    private final HttpServletRequest sendfileRequest;
    private long declaredLength = -1;
    /** Serialises response access between the application thread and the container's listener calls. */
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicBoolean ended = new AtomicBoolean();
    private ServletOutputStream out;
    private volatile boolean containerGaveUp;
    private volatile Throwable abortCause;

    ServletExchange(HttpServletResponse resp, AsyncContext async) {
        this(resp, async, null);
    }

    /**
     * @param sendfileRequest the request, if a file body may be handed to the container's sendfile:
     *        only in blocking mode, where the container sends the file once {@code service()} returns
     */
    ServletExchange(HttpServletResponse resp, AsyncContext async, HttpServletRequest sendfileRequest) {
        this.resp = resp;
        this.async = async;
        this.sendfileRequest = sendfileRequest;
    }

    @Override
    public void sendHeaders(int status, String reason, List<Header> headers, long contentLength, boolean bodyless) throws IOException {
        lock.lock();
        try {
            checkUsable();
            // Servlet 6 has no way to send a reason phrase: the container sends its own (Jetty) or none (Tomcat)
            resp.setStatus(status);
            for (int i = 0, n = headers.size(); i < n; i++) {
                Header h = headers.get(i);
                resp.addHeader(h.name(), h.value());
            }
            declaredLength = contentLength;
            if (contentLength >= 0) {
                resp.setContentLengthLong(contentLength);
            } else if (status == 304) {
                // commit now: a container that completes an empty response adds "Content-Length: 0"
                // (Jetty), which on a 304 would claim the selected representation is empty
                resp.flushBuffer();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void write(byte[] chunk, int offset, int length) throws IOException {
        lock.lock();
        try {
            checkUsable();
            ServletOutputStream o = out;
            if (o == null) {
                o = out = resp.getOutputStream();
            }
            o.write(chunk, offset, length);
            o.flush(); // SPEC.md: a chunk is not held back waiting for more
        } catch (IllegalStateException e) {
            // the container recycled or closed the response under us (async error or timeout)
            throw new ClientDisconnectedException("the container closed the response: " + e, e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The body is complete: no flush of its own, since closing the stream in {@link #finish()}
     * (or the container, once the declared length is written) sends it with the end.
     */
    @Override
    public void writeLast(byte[] chunk, int offset, int length) throws IOException {
        lock.lock();
        try {
            checkUsable();
            ServletOutputStream o = out;
            if (o == null) {
                o = out = resp.getOutputStream();
            }
            o.write(chunk, offset, length);
        } catch (IllegalStateException e) {
            throw new ClientDisconnectedException("the container closed the response: " + e, e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void transfer(FileRegion region, long count) throws IOException {
        if (sendfile(region, count)) {
            return;
        }
        transfer(region.channel(), region.position(), count);
    }

    /**
     * Hands the region to Tomcat's sendfile when the container offers it, the region names its
     * file, nothing has been written yet and the region is exactly the declared Content-Length.
     * Tomcat reads the file by name once {@code service()} returns, so the file must still be
     * there and long enough now; the body's own channel is not used (and is closed as usual).
     *
     * @return whether the container took the file
     */
    private boolean sendfile(FileRegion region, long count) throws IOException {
        HttpServletRequest req = sendfileRequest;
        if (req == null || out != null || declaredLength != count || resp.isCommitted()
                || !Boolean.TRUE.equals(req.getAttribute(SENDFILE_SUPPORT))) {
            return false;
        }
        Path path = region.path();
        if (path == null) {
            return false;
        }
        long start = region.position();
        BasicFileAttributes file;
        try {
            file = Files.readAttributes(path, BasicFileAttributes.class); // one stat: kind and size
        } catch (IOException gone) {
            return false; // the channel still holds the file
        }
        if (!file.isRegularFile() || file.size() < start + count) {
            return false;
        }
        lock.lock();
        try {
            checkUsable();
            req.setAttribute(SENDFILE_FILENAME, path.toAbsolutePath().toString());
            req.setAttribute(SENDFILE_START, start);
            req.setAttribute(SENDFILE_END, start + count);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends a file region as memory-mapped windows through Servlet 6.1's
     * {@code ServletOutputStream.write(ByteBuffer)}: the region never passes through a Java heap
     * array. This is the path of a region that names no file (a wrapped {@code FileChannel}), of
     * async mode, and of Jetty's servlet layer, which has no sendfile.
     */
    @Override
    public void transfer(FileChannel file, long position, long count) throws IOException {
        lock.lock();
        try {
            checkUsable();
            ServletOutputStream o = out;
            if (o == null) {
                o = out = resp.getOutputStream();
            }
            ServletOutputStream target = o;
            FileWindows.send(file, position, count, window -> {
                checkUsable();
                target.write(window);
            });
            o.flush();
        } catch (IllegalStateException e) {
            throw new ClientDisconnectedException("the container closed the response: " + e, e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void finish() throws IOException {
        lock.lock();
        try {
            checkUsable();
            if (out != null) {
                out.close(); // completes the framing now (last chunk), before the request ends
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void abort(Throwable cause) {
        abortCause = cause == null ? new IOException("aborted") : cause;
    }

    private void checkUsable() throws IOException {
        if (containerGaveUp) {
            throw new ClientDisconnectedException("the container ended the request (async error or timeout)", null);
        }
    }

    /** @return why the gateway aborted the response, or {@code null} if it finished normally */
    Throwable abortCause() {
        return abortCause;
    }

    /**
     * Ends an async request exactly once: complete, or for an abort a dispatch back into the
     * container, where the servlet throws so that the container breaks the connection. Nothing is
     * done if the container already ended the request itself.
     *
     * @param abortAttribute the request attribute that tells the dispatched servlet to throw
     */
    void endAsync(String abortAttribute) {
        lock.lock();
        try {
            if (containerGaveUp || !ended.compareAndSet(false, true)) {
                return;
            }
            Throwable cause = abortCause;
            try {
                // as in blocking mode: a client that went away after commit needs nothing more;
                // anything else (or a failed upload before commit) must not end as a normal response
                if (cause != null && (!(cause instanceof ClientDisconnectedException) || !resp.isCommitted())) {
                    async.getRequest().setAttribute(abortAttribute, cause);
                    async.dispatch();
                } else {
                    async.complete();
                }
            } catch (IllegalStateException e) {
                // the container completed the context concurrently (e.g. an error event); nothing left to do
            }
        } finally {
            lock.unlock();
        }
    }

    // --- AsyncListener: the container gave up on the request; the application thread must not touch it again

    @Override
    public void onTimeout(AsyncEvent event) {
        giveUp(true);
    }

    @Override
    public void onError(AsyncEvent event) {
        giveUp(true);
    }

    @Override
    public void onComplete(AsyncEvent event) {
        // completing is ours (endAsync); a completion we did not ask for also ends our use of the response
        if (!ended.get()) {
            giveUp(false);
        }
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }

    private void giveUp(boolean complete) {
        // waits for a write in progress, so the container never recycles a response mid-write
        lock.lock();
        try {
            containerGaveUp = true;
            if (ended.compareAndSet(false, true) && complete) {
                try {
                    async.complete();
                } catch (IllegalStateException e) {
                    // already completing
                }
            }
        } finally {
            lock.unlock();
        }
    }
}

package dev.jgi.undertow;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import io.undertow.util.AttachmentKey;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.channels.StreamSourceChannel;

/**
 * Blocks the request's thread until Undertow's IO thread reports that the request channel has
 * data or the response channel has room, by parking on a lock that a channel listener releases.
 *
 * <p>Why not XNIO's own blocking ({@code Channels.readBlocking}, {@code awaitReadable}, which
 * {@code UndertowInputStream} and {@code UndertowOutputStream} use): XNIO waits in
 * {@code Selector.select()} on a selector it keeps in a {@link ThreadLocal}. On platform worker
 * threads that selector is reused, but a virtual thread lives for one request, so every request
 * that has to wait opens a new selector (two file descriptors) that is only closed by finalization
 * after a garbage collection; measured on JDK 25: 1000 slow-body requests left 1850 extra
 * descriptors open until {@code System.gc()}. Parking on a {@link ReentrantLock} costs neither, and
 * lets a virtual thread unmount. The same code serves platform threads, so both run one path.
 *
 * <p>One waiter serves one exchange, on the one thread that runs the application. A per-connection
 * registry wakes it when Undertow closes the connection (server stop, idle timeout, an error on the
 * IO thread), which fires no read or write listener.
 */
final class ChannelWaiter {

    private static final AttachmentKey<Registry> REGISTRY = AttachmentKey.create(Registry.class);
    private static final int READABLE = 1;
    private static final int WRITABLE = 2;
    private static final int DONE = 4;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final long timeoutNanos;
    private final Registry registry;
    /** Events seen since the matching wait began: {@link #READABLE}, {@link #WRITABLE}, {@link #DONE}. */
    private int events;
    private boolean closed;
    private StreamSourceChannel readListenerOn;
    private StreamSinkChannel writeListenerOn;

    private ChannelWaiter(Registry registry, long timeoutNanos) {
        this.registry = registry;
        this.timeoutNanos = timeoutNanos;
    }

    /**
     * Creates the waiter of an exchange. Must run on the exchange's IO thread (in
     * {@code handleRequest}), where connection attachments may be touched safely.
     */
    static ChannelWaiter create(HttpServerExchange exchange, long timeoutNanos) {
        ServerConnection connection = exchange.getConnection();
        Registry registry = connection.getAttachment(REGISTRY);
        if (registry == null) {
            registry = new Registry();
            connection.putAttachment(REGISTRY, registry);
            Registry r = registry;
            // one listener per connection, not per request: the connection keeps its close listeners
            connection.addCloseListener(c -> r.closeAll());
        }
        ChannelWaiter waiter = new ChannelWaiter(registry, timeoutNanos);
        registry.add(waiter);
        if (!connection.isOpen()) {
            waiter.connectionClosed();
        }
        return waiter;
    }

    /** Stops listening for the connection's close; called once the exchange is over. */
    void release() {
        registry.remove(this);
    }

    /** Whether the connection was closed while this exchange ran. */
    boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until {@code channel} may have data to read (or end of stream).
     *
     * @throws SocketTimeoutException if nothing arrived within the I/O timeout
     * @throws ClosedChannelException if the connection was closed
     */
    void awaitReadable(StreamSourceChannel channel) throws IOException {
        awaitReadable(channel, timeoutNanos);
    }

    /** As {@link #awaitReadable(StreamSourceChannel)}, with another timeout. */
    void awaitReadable(StreamSourceChannel channel, long nanos) throws IOException {
        if (readListenerOn != channel) {
            channel.getReadSetter().set(c -> {
                c.suspendReads(); // level-triggered: without this the IO thread would spin
                signal(READABLE);
            });
            readListenerOn = channel;
        }
        clear(READABLE); // before resuming, so a wake-up between resume and await is kept
        channel.resumeReads();
        try {
            await(READABLE, nanos, "waiting for request body data");
        } catch (IOException e) {
            channel.suspendReads();
            throw e;
        }
    }

    /**
     * Waits until {@code channel} can take more bytes.
     *
     * @throws SocketTimeoutException if the client took nothing within the I/O timeout
     * @throws ClosedChannelException if the connection was closed
     */
    void awaitWritable(StreamSinkChannel channel) throws IOException {
        if (writeListenerOn != channel) {
            channel.getWriteSetter().set(c -> {
                c.suspendWrites();
                signal(WRITABLE);
            });
            writeListenerOn = channel;
        }
        clear(WRITABLE);
        channel.resumeWrites();
        try {
            await(WRITABLE, timeoutNanos, "waiting for the client to accept response data");
        } catch (IOException e) {
            channel.suspendWrites();
            throw e;
        }
    }

    /** Releases a thread parked in {@link #awaitCompletion}; used for the 100 Continue send. */
    void complete() {
        signal(DONE);
    }

    /** Prepares for {@link #awaitCompletion}. */
    void expectCompletion() {
        clear(DONE);
    }

    /** Waits for {@link #complete()} after {@link #expectCompletion()}. */
    void awaitCompletion(String what) throws IOException {
        await(DONE, timeoutNanos, what);
    }

    private void clear(int event) {
        lock.lock();
        try {
            events &= ~event;
        } finally {
            lock.unlock();
        }
    }

    private void await(int event, long timeout, String what) throws IOException {
        long nanos = timeout;
        lock.lock();
        try {
            while ((events & event) == 0) {
                if (closed) {
                    throw new ClosedChannelException();
                }
                if (nanos <= 0) {
                    throw new SocketTimeoutException("timed out after "
                            + TimeUnit.NANOSECONDS.toMillis(timeout) + " ms " + what);
                }
                nanos = changed.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while " + what);
        } finally {
            lock.unlock();
        }
    }

    private void signal(int event) {
        lock.lock();
        try {
            events |= event;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void connectionClosed() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The waiters of one connection's exchanges in progress (one for HTTP/1.1). */
    private static final class Registry {
        private final Set<ChannelWaiter> waiters = ConcurrentHashMap.newKeySet();
        private volatile boolean closed;

        void add(ChannelWaiter w) {
            waiters.add(w);
            if (closed) {
                w.connectionClosed();
            }
        }

        void remove(ChannelWaiter w) {
            waiters.remove(w);
        }

        void closeAll() {
            closed = true;
            for (ChannelWaiter w : waiters) {
                w.connectionClosed();
            }
        }
    }
}

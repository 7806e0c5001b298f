package dev.jgi.bench.server;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The server JVM's measurement endpoint: a one-line text protocol on its own loopback port, served
 * by one thread whose own allocations are left out of the figures.
 *
 * <p>Commands: {@code STATS} answers the counters; {@code RESET} first resets the heap peaks, then
 * answers; {@code QUIT} stops the server and exits. The answer is one line of {@code key=value}:
 * <ul>
 *   <li>{@code alloc}: bytes allocated by the JVM's threads so far (the sum of
 *       {@code com.sun.management.ThreadMXBean} thread allocated bytes; on Java 21+ the total that
 *       includes threads that have ended), less this endpoint's own thread;</li>
 *   <li>{@code cpu}: process CPU time in ns (the driver reads /proc/&lt;pid&gt;/stat as well);</li>
 *   <li>{@code peak}: the sum of the heap pools' peak usage since the last RESET;</li>
 *   <li>{@code live}: the largest heap use right after a GC since the last RESET (-1 without a GC);</li>
 *   <li>{@code gcs}, {@code gcms}: collections and their time so far;</li>
 *   <li>{@code jitms}: the JIT compilers' total time so far (a window in which it grows was not
 *       steady state: compilation competes with the server for its one CPU);</li>
 *   <li>{@code tcpu}: CPU time in ns of the JVM's live Java threads (selector, acceptor, workers;
 *       not the JIT compiler or GC threads), less this endpoint's.</li>
 * </ul>
 */
public final class Control implements Runnable {

    private final ServerSocket socket;
    private final Runnable onQuit;
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final MethodHandle totalAllocated = totalAllocatedBytes();
    private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).toList();
    private final AtomicLong maxLive = new AtomicLong(-1);
    private volatile long controlThreadId = -1;

    /**
     * Binds the endpoint.
     *
     * @param port the loopback port, 0 for any
     * @param onQuit what QUIT runs before the JVM exits
     * @throws IOException if the port cannot be bound
     */
    public Control(int port, Runnable onQuit) throws IOException {
        this.socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        this.onQuit = onQuit;
        threads.setThreadAllocatedMemoryEnabled(true);
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter) {
                ((NotificationEmitter) gc).addNotificationListener((n, h) -> {
                    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                        long used = 0;
                        for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                            if (isHeapPool(e.getKey())) {
                                used += e.getValue().getUsed();
                            }
                        }
                        long u = used;
                        maxLive.accumulateAndGet(u, Math::max);
                    }
                }, null, null);
            }
        }
    }

    private boolean isHeapPool(String name) {
        for (MemoryPoolMXBean p : heapPools) {
            if (p.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** @return the bound port */
    public int port() {
        return socket.getLocalPort();
    }

    /** Starts the endpoint's thread (a daemon). */
    public void start() {
        Thread t = new Thread(this, "bench-control");
        t.setDaemon(true);
        controlThreadId = t.getId();
        t.start();
    }

    @Override
    public void run() {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                String cmd = in.readLine();
                OutputStream out = s.getOutputStream();
                if ("QUIT".equals(cmd)) {
                    out.write("BYE\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    try {
                        onQuit.run();
                    } finally {
                        System.exit(0);
                    }
                }
                if ("RESET".equals(cmd)) {
                    for (MemoryPoolMXBean p : heapPools) {
                        p.resetPeakUsage();
                    }
                    maxLive.set(-1);
                }
                out.write((stats() + "\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    /** @return the counters, as one line */
    public String stats() {
        long alloc = allocated();
        long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        long peak = 0;
        for (MemoryPoolMXBean p : heapPools) {
            peak += p.getPeakUsage().getUsed();
        }
        long gcs = 0;
        long gcms = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcs += Math.max(0, gc.getCollectionCount());
            gcms += Math.max(0, gc.getCollectionTime());
        }
        java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long jitms = jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
        return "alloc=" + alloc + " cpu=" + cpu + " peak=" + peak + " live=" + maxLive.get() + " gcs=" + gcs + " gcms=" + gcms
                + " jitms=" + jitms + " tcpu=" + threadCpu();
    }

    /** CPU time of the live Java threads, less this endpoint's thread. */
    private long threadCpu() {
        long sum = 0;
        for (long id : threads.getAllThreadIds()) {
            if (id != controlThreadId) {
                long t = threads.getThreadCpuTime(id);
                if (t > 0) {
                    sum += t;
                }
            }
        }
        return sum;
    }

    /** Bytes allocated by the JVM's threads, less this endpoint's thread. */
    private long allocated() {
        long self = controlThreadId >= 0 ? Math.max(0, threads.getThreadAllocatedBytes(controlThreadId)) : 0;
        if (totalAllocated != null) {
            try {
                return (long) totalAllocated.invoke(threads) - self;
            } catch (Throwable e) {
                // fall through to the per-thread sum
            }
        }
        long[] ids = threads.getAllThreadIds();
        long sum = 0;
        for (long b : threads.getThreadAllocatedBytes(ids)) {
            if (b > 0) {
                sum += b;
            }
        }
        return sum - self;
    }

    /** Java 21's getTotalThreadAllocatedBytes, which also counts threads that have ended; null before. */
    private static MethodHandle totalAllocatedBytes() {
        try {
            return MethodHandles.publicLookup().findVirtual(com.sun.management.ThreadMXBean.class,
                    "getTotalThreadAllocatedBytes", MethodType.methodType(long.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null;
        }
    }
}

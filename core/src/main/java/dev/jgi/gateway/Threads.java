package dev.jgi.gateway;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread-pool choices shared by the servers: virtual threads when the running JVM has them
 * (Java 21 and later), found by feature detection so that the jars stay Java 17.
 */
public final class Threads {

    private Threads() {
    }

    /**
     * Returns whether the running JVM offers virtual threads.
     *
     * @return whether {@link #newVirtualThreadPerTaskExecutor()} can succeed
     */
    public static boolean virtualThreadsAvailable() {
        return virtualFactoryHandle() != null;
    }

    /**
     * Returns a new virtual-thread-per-task executor, or {@code null} before Java 21.
     *
     * @return the executor, or {@code null}
     */
    public static ExecutorService newVirtualThreadPerTaskExecutor() {
        MethodHandle mh = virtualFactoryHandle();
        if (mh == null) {
            return null;
        }
        try {
            return (ExecutorService) mh.invoke();
        } catch (Throwable t) {
            return null;
        }
    }

    private static MethodHandle virtualFactoryHandle() {
        try {
            return MethodHandles.publicLookup().findStatic(Executors.class, "newVirtualThreadPerTaskExecutor",
                    MethodType.methodType(ExecutorService.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null;
        }
    }

    /**
     * Returns whether the current thread is a virtual thread.
     *
     * @return {@code false} before Java 21
     */
    public static boolean isVirtual(Thread thread) {
        try {
            MethodHandle mh = MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual",
                    MethodType.methodType(boolean.class));
            return (boolean) mh.invoke(thread);
        } catch (Throwable t) {
            return false;
        }
    }

    /**
     * Returns a cached pool of daemon platform threads named {@code prefix-N}, bounded at
     * {@code max} threads.
     *
     * @param prefix the thread name prefix
     * @param max the most threads
     * @return the executor
     */
    public static ExecutorService newPlatformPool(String prefix, int max) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory f = r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(
                max, max, 30, java.util.concurrent.TimeUnit.SECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>(), f);
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}

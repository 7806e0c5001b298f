package dev.jgi.gateway;

import dev.jgi.Body;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Spliterator;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * Probes for how a server treats the application's objects, shared by the rule tests that check
 * the same rules on the gateway in memory ({@code GatewayRulesTest}) and on the reference server
 * over the wire ({@code ReferenceServerResponseRulesTest}).
 */
public final class BodyProbes {

    private BodyProbes() {
    }

    /**
     * A body that records which of its methods a server calls (SPEC server.body-methods): the ones
     * it may call ({@code iterator}, {@code chunkCount}, {@code close}) in {@link #used}, any other
     * in {@link #forbidden}. Safe to use from a server's threads.
     */
    public static final class Strict implements Body {
        /** The calls a server must not make, in order. */
        public final List<String> forbidden = Collections.synchronizedList(new ArrayList<>());
        /** The calls a server may make, in order. */
        public final List<String> used = Collections.synchronizedList(new ArrayList<>());
        /** Counted down by {@code close()}. */
        public final CountDownLatch closed = new CountDownLatch(1);
        private final List<byte[]> chunks = new ArrayList<>();

        /** @param chunks the body's chunks, as UTF-8 */
        public Strict(String... chunks) {
            for (String c : chunks) {
                this.chunks.add(c.getBytes(StandardCharsets.UTF_8));
            }
        }

        @Override
        public Iterator<byte[]> iterator() {
            used.add("iterator");
            return chunks.iterator();
        }

        @Override
        public int chunkCount() {
            used.add("chunkCount");
            return -1;
        }

        @Override
        public void close() {
            used.add("close");
            closed.countDown();
        }

        @Override
        public void forEach(Consumer<? super byte[]> action) {
            forbidden.add("forEach");
            Body.super.forEach(action);
        }

        @Override
        public Spliterator<byte[]> spliterator() {
            forbidden.add("spliterator");
            return Body.super.spliterator();
        }

        @Override
        public boolean equals(Object o) {
            forbidden.add("equals");
            return super.equals(o);
        }

        @Override
        public int hashCode() {
            forbidden.add("hashCode");
            return super.hashCode();
        }

        @Override
        public String toString() {
            forbidden.add("toString");
            return "Strict";
        }
    }

    /**
     * A body of unknown chunk count that reports each call a server makes into it ({@code iterator},
     * {@code hasNext}, {@code next}, {@code chunkCount}, {@code close}) to {@code here}, on the
     * calling thread (SPEC thread.request).
     *
     * @param here receives the name of each call
     * @param chunks the body's chunks, as UTF-8
     * @return the body
     */
    public static Body observed(Consumer<String> here, String... chunks) {
        List<byte[]> bytes = new ArrayList<>();
        for (String c : chunks) {
            bytes.add(c.getBytes(StandardCharsets.UTF_8));
        }
        return new Body() {
            @Override
            public Iterator<byte[]> iterator() {
                here.accept("iterator");
                Iterator<byte[]> it = bytes.iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        here.accept("hasNext");
                        return it.hasNext();
                    }

                    @Override
                    public byte[] next() {
                        here.accept("next");
                        return it.next();
                    }
                };
            }

            @Override
            public int chunkCount() {
                here.accept("chunkCount");
                return -1;
            }

            @Override
            public void close() {
                here.accept("close");
            }
        };
    }

    /**
     * The monitors the current platform thread holds further up its stack, from the JVM's own view
     * (SPEC thread.pinning).
     *
     * @return one line per monitor held
     */
    public static List<String> monitorsHeld() {
        ThreadInfo info = ManagementFactory.getThreadMXBean()
                .getThreadInfo(new long[] {Thread.currentThread().getId()}, true, false)[0];
        List<String> out = new ArrayList<>();
        for (MonitorInfo m : info.getLockedMonitors()) {
            if (m.getLockedStackDepth() > 1) { // frame 0 and 1 are getThreadInfo and this method
                out.add(m.getClassName() + " at " + m.getLockedStackFrame());
            }
        }
        return out;
    }
}

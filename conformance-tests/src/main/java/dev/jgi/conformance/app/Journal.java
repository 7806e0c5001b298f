package dev.jgi.conformance.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What happened server-side to each request, by request id ({@code X-Jgi-Id}): whether the
 * application was called, how often the server asked for an iterator and called close, events the
 * endpoints record ("produced 2", "write failed: ClientDisconnectedException"), and violations
 * (validator errors, the application's own assertions). The client reads it through the
 * {@code journal} endpoint, so that it can assert things it cannot see on the wire.
 *
 * <p>Also holds the latches that let a client pace a streaming response ({@code release}).
 * Bounded: it remembers the most recent {@value #MAX_IDS} requests, so a long-running deployment
 * does not grow without end. One journal per application instance; no global state.
 */
public final class Journal {

    /** How many request ids are remembered. */
    public static final int MAX_IDS = 2000;
    private static final int MAX_EVENTS = 200;

    private final Map<String, Entry> entries = new LinkedHashMap<>(256, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > MAX_IDS;
        }
    };

    private final Map<String, CountDownLatch> latches = new LinkedHashMap<>(64, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CountDownLatch> eldest) {
            return size() > MAX_IDS;
        }
    };

    /**
     * Returns the entry of a request id, creating it.
     *
     * @param id the request id
     * @return its entry
     */
    public synchronized Entry entry(String id) {
        return entries.computeIfAbsent(id, Entry::new);
    }

    /**
     * @param id a request id
     * @return its entry as a JSON-ready map, or {@code null} if the application never saw it
     */
    public synchronized Map<String, Object> snapshot(String id) {
        Entry e = entries.get(id);
        return e == null ? null : e.toMap();
    }

    private synchronized CountDownLatch latch(String key) {
        return latches.computeIfAbsent(key, k -> new CountDownLatch(1));
    }

    /**
     * Waits until the client releases {@code name} for request {@code id}.
     *
     * @param id the request id
     * @param name the latch name
     * @param timeoutMillis the liveness bound
     * @return whether the release came (a timeout is also recorded as a violation by the caller)
     * @throws InterruptedException if the thread was interrupted
     */
    public boolean await(String id, String name, long timeoutMillis) throws InterruptedException {
        return latch(id + "/" + name).await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Releases a latch, whether or not someone waits on it yet.
     *
     * @param key {@code id + "/" + name}
     */
    public void release(String key) {
        latch(key).countDown();
    }

    /** One request's record. */
    public static final class Entry {
        private final String id;
        private final List<String> events = new ArrayList<>();
        private final List<String> violations = new ArrayList<>();
        private int calls;
        private boolean bodyReturned;
        private int iterators;
        private int closes;
        private int dropped;

        Entry(String id) {
            this.id = id;
        }

        /** @return the request id */
        public String id() {
            return id;
        }

        /**
         * Records an event.
         *
         * @param event what happened
         */
        public synchronized void event(String event) {
            if (events.size() < MAX_EVENTS) {
                events.add(event);
            } else {
                dropped++;
            }
        }

        /**
         * Records a violation: a validator error or a failed assertion inside the application.
         *
         * @param violation what was wrong
         */
        public synchronized void violation(String violation) {
            if (violations.size() < MAX_EVENTS) {
                violations.add(violation);
            }
            event("VIOLATION " + violation);
        }

        synchronized int called() {
            return ++calls;
        }

        synchronized void bodyReturned() {
            bodyReturned = true;
        }

        synchronized int iterator() {
            return ++iterators;
        }

        synchronized int close() {
            return ++closes;
        }

        /** @return how often the server closed the body so far */
        public synchronized int closes() {
            return closes;
        }

        synchronized Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("called", calls > 0);
            m.put("calls", calls);
            m.put("body", bodyReturned);
            m.put("iterators", iterators);
            m.put("closes", closes);
            m.put("events", new ArrayList<>(events));
            if (dropped > 0) {
                m.put("droppedEvents", dropped);
            }
            m.put("violations", new ArrayList<>(violations));
            return m;
        }
    }
}

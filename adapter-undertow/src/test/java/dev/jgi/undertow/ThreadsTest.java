package dev.jgi.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.Environ;
import dev.jgi.Header;
import dev.jgi.conformance.http.HttpConnection;
import dev.jgi.gateway.Threads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Which threads run applications, and that many requests stuck on slow clients neither stop the
 * server (the virtual-thread run is limited to 2 carriers, see the pom) nor leak descriptors.
 */
class ThreadsTest {

    static final java.util.Map<String, CountDownLatch> SLOW = new java.util.concurrent.ConcurrentHashMap<>();

    static final Application READER = (environ, start) -> {
        Environ env = Environ.of(environ);
        CountDownLatch entered = SLOW.get(env.queryString());
        if (entered != null) {
            entered.countDown();
        }
        long n = env.input().transferTo(java.io.OutputStream.nullOutputStream());
        start.start("200 OK", List.of(Header.of("Content-Type", "text/plain")));
        return Body.ofUtf8("read " + n + " virtual=" + Threads.isVirtual(Thread.currentThread()));
    };

    @Test
    void applicationsRunOnTheChosenKindOfThread() throws Exception {
        boolean virtual = TestServers.virtual();
        try (UndertowServer s = TestServers.start(READER)) {
            assertEquals(virtual, s.virtualThreads());
            try (HttpConnection r = TestServers.connect(s.port())) {
                r.sendRaw("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\nab");
                assertEquals("read 2 virtual=" + virtual, r.readResponse("POST").text());
            }
        }
    }

    @Test
    void virtualThreadsAreNotUsedWhenNotAskedFor() throws Exception {
        try (UndertowServer s = UndertowServer.builder(READER).virtualThreads(false).start()) {
            try (HttpConnection r = TestServers.connect(s.port())) {
                r.sendRaw("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nConnection: close\r\n\r\na");
                assertEquals("read 1 virtual=false", r.readResponse("POST").text());
            }
        }
    }

    /**
     * Many requests parked waiting for request bodies that do not come, and a request that needs no
     * waiting still gets through; then every slow one completes. On platform threads there must be
     * more workers than stuck requests; on virtual threads (2 carriers) a thread per request.
     */
    @Test
    void manySlowClientsDoNotStopTheServer() throws Exception {
        boolean virtual = TestServers.virtual();
        int slow = virtual ? 200 : 40;
        UndertowServer.Builder b = TestServers.builder(READER);
        if (!virtual) {
            b.threads(slow + 8);
        }
        try (UndertowServer s = b.start()) {
            List<HttpConnection> clients = new ArrayList<>();
            try {
                for (int i = 0; i < slow; i++) {
                    CountDownLatch entered = new CountDownLatch(1);
                    SLOW.put("s" + i, entered);
                    HttpConnection r = TestServers.connect(s.port());
                    clients.add(r);
                    r.sendRaw("POST /?s" + i + " HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nConnection: close\r\n\r\nabc");
                }
                for (int i = 0; i < slow; i++) {
                    assertTrue(SLOW.get("s" + i).await(30, TimeUnit.SECONDS), "slow request " + i + " reached the application");
                }
                try (HttpConnection fast = TestServers.connect(s.port())) {
                    fast.sendRaw("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\nxyz");
                    assertEquals("read 3 virtual=" + virtual, fast.readResponse("POST").text());
                }
                for (HttpConnection r : clients) {
                    r.sendRaw("defghij");
                }
                for (HttpConnection r : clients) {
                    assertEquals("read 10 virtual=" + virtual, r.readResponse("POST").text());
                }
            } finally {
                for (HttpConnection r : clients) {
                    r.close();
                }
            }
        }
    }

    static long openDescriptors() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    /**
     * Waiting for a slow client costs no file descriptor. (XNIO's own blocking wait, which
     * {@code UndertowInputStream} uses, opens a thread-local selector: two descriptors per virtual
     * thread, released only by finalization after a GC.)
     */
    @Test
    void waitingForSlowClientsLeaksNoDescriptors() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs /proc/self/fd (Linux)");
        int requests = 300;
        try (UndertowServer s = TestServers.start(READER)) {
            ExecutorService pool = Executors.newFixedThreadPool(10);
            try {
                runSlowBodies(s, pool, 20); // warm up: worker threads, buffers, classes
                long before = openDescriptors();
                runSlowBodies(s, pool, requests);
                long after = openDescriptors();
                assertTrue(after - before < requests / 4,
                        "descriptors grew from " + before + " to " + after + " over " + requests + " requests that waited");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static void runSlowBodies(UndertowServer s, ExecutorService pool, int n) throws Exception {
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String key = "fd" + i + "-" + System.nanoTime();
            results.add(pool.submit(() -> {
                CountDownLatch entered = new CountDownLatch(1);
                SLOW.put(key, entered);
                try (HttpConnection r = TestServers.connect(s.port())) {
                    r.sendRaw("POST /?" + key + " HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nConnection: close\r\n\r\n");
                    if (!entered.await(30, TimeUnit.SECONDS)) {
                        throw new AssertionError("request did not reach the application");
                    }
                    Thread.sleep(5); // the application is (almost certainly) parked in its read by now
                    r.sendRaw("body");
                    String text = r.readResponse("POST").text();
                    assertEquals(0, r.readToClose().length, "closed by the server");
                    return text;
                } finally {
                    SLOW.remove(key);
                }
            }));
        }
        for (Future<String> f : results) {
            assertTrue(f.get(60, TimeUnit.SECONDS).startsWith("read 4"));
        }
    }
}

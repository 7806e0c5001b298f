package dev.jgi.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.gateway.Threads;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;

/**
 * Which threads run the application: virtual ones when asked for and the JVM has them (the
 * JDK 25 execution of this suite), platform ones otherwise; and many blocking requests at once.
 */
class JettyThreadsTest {

    static final Application WHO = (environ, start) -> {
        start.start("200 OK", List.of());
        return Body.ofUtf8(Boolean.toString(Threads.isVirtual(Thread.currentThread())));
    };

    @Test
    void applicationRunsOnTheThreadsOfThisRun() throws Exception {
        try (JettyServer server = TestSupport.server(WHO).start()) {
            assertEquals(TestSupport.VIRTUAL, server.virtualThreads());
            assertEquals(Boolean.toString(TestSupport.VIRTUAL), TestSupport.get(server.uri()).body());
            QueuedThreadPool pool = (QueuedThreadPool) server.jetty().getThreadPool();
            // only the handler goes to virtual threads; acceptor and selector stay in the platform pool
            if (TestSupport.VIRTUAL) {
                assertNotNull(pool.getVirtualThreadsExecutor());
            } else {
                assertNull(pool.getVirtualThreadsExecutor());
            }
        }
    }

    @Test
    void virtualThreadsAreChosenAtRunTime() throws Exception {
        try (JettyServer server = JettyServer.builder(WHO).virtualThreads(true).start()) {
            boolean available = Threads.virtualThreadsAvailable();
            assertEquals(available, server.virtualThreads());
            assertEquals(Boolean.toString(available), TestSupport.get(server.uri()).body());
        }
        try (JettyServer server = JettyServer.builder(WHO).virtualThreads(false).start()) {
            assertFalse(server.virtualThreads());
            assertEquals("false", TestSupport.get(server.uri()).body());
        }
    }

    @Test
    void manyBlockingRequestsAtOnce() throws Exception {
        int n = 48;
        CountDownLatch all = new CountDownLatch(n);
        Application app = (environ, start) -> {
            all.countDown();
            // every request blocks until all of them are in the application at the same time
            if (!all.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("only " + (n - all.getCount()) + " requests ran concurrently");
            }
            start.start("200 OK", List.of());
            return Body.ofUtf8("ok");
        };
        java.util.concurrent.ExecutorService clients = Threads.newPlatformPool("client", n);
        try (JettyServer server = TestSupport.server(app).start()) {
            List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                URI uri = server.uri().resolve("/r" + i);
                futures.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return TestSupport.get(uri);
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }, clients));
            }
            for (CompletableFuture<HttpResponse<String>> f : futures) {
                HttpResponse<String> r = f.get(90, TimeUnit.SECONDS);
                assertEquals(200, r.statusCode());
                assertEquals("ok", r.body());
            }
            assertEquals(0, all.getCount());
        } finally {
            clients.shutdownNow();
        }
    }
}

package dev.jgi.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.conformance.http.HttpConnection;
import dev.jgi.conformance.http.Response;
import dev.jgi.gateway.Threads;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link JettyServer#stop(Duration)}: in-flight requests finish, new connections are refused. */
class JettyGracefulStopTest {

    /** Own threads: the common pool may have a single thread on a 2-core machine. */
    private final ExecutorService threads = Threads.newPlatformPool("graceful-test", 4);

    @AfterEach
    void shutdown() {
        threads.shutdownNow();
    }

    private static Application blocking(CountDownLatch entered, CountDownLatch release) {
        return (environ, start) -> {
            entered.countDown();
            if (!release.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
            start.start("200 OK", List.of());
            return Body.ofUtf8("done");
        };
    }

    /** Liveness only: waits until connecting fails, which it must once stop() has begun. */
    private static void awaitRefused(int port) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                Thread.sleep(5);
            } catch (ConnectException refused) {
                return;
            }
        }
        throw new AssertionError("new connections were still accepted 30 s after stop() began");
    }

    @Test
    void inFlightRequestFinishesWhileNewConnectionsAreRefused() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        JettyServer server = TestSupport.server(blocking(entered, release)).start();
        int port = server.port();
        CompletableFuture<Response> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return TestSupport.exchange(port, "GET /slow HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, threads);
        assertTrue(entered.await(30, TimeUnit.SECONDS));

        CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> server.stop(Duration.ofSeconds(60)), threads);
        awaitRefused(port);
        assertFalse(stopped.isDone(), "stop() must wait for the in-flight request");
        assertFalse(inFlight.isDone());

        release.countDown();
        Response r = inFlight.get(30, TimeUnit.SECONDS);
        assertEquals(200, r.status());
        assertEquals("done", r.text());
        assertTrue(r.complete());
        stopped.get(30, TimeUnit.SECONDS);
        assertTrue(server.jetty().isStopped());
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
    }

    @Test
    void stopReturnsWhenTheGraceRunsOut() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        JettyServer server = TestSupport.server(blocking(entered, release)).start();
        int port = server.port();
        CompletableFuture<String> inFlight = CompletableFuture.supplyAsync(() -> {
            try (HttpConnection c = TestSupport.connect(port)) {
                return new String(c.sendRaw("GET /stuck HTTP/1.1\r\nHost: h\r\n\r\n").readToClose(), StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                return "failed: " + e;
            }
        }, threads);
        assertTrue(entered.await(30, TimeUnit.SECONDS));
        try {
            server.stop(Duration.ofMillis(300));
            // Jetty reports a graceful wait that ran out as a failed stop; either way nothing runs
            assertFalse(server.jetty().isRunning());
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
            // the connection was closed under the stuck request: no complete response
            String seen = inFlight.get(30, TimeUnit.SECONDS);
            assertFalse(seen.contains("done"), seen);
        } finally {
            release.countDown();
        }
    }

    @Test
    void closeIsStopWithADefaultGrace() throws Exception {
        JettyServer server = TestSupport.server((environ, start) -> {
            start.start("200 OK", List.of());
            return Body.ofUtf8("x");
        }).start();
        int port = server.port();
        assertEquals(200, TestSupport.exchange(port, "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n").status());
        server.close();
        assertTrue(server.jetty().isStopped());
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
    }
}

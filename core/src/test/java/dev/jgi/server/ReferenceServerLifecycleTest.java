package dev.jgi.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.Covers;
import dev.jgi.Environ;
import dev.jgi.Header;
import dev.jgi.gateway.Threads;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Threads, concurrency, graceful stop and clean shutdown of the reference server. */
class ReferenceServerLifecycleTest {

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    private static final List<Header> TEXT = List.of(Header.of("Content-Type", "text/plain"));

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(20))
            .build();

    /** Polls until {@code port} refuses connections; fails after the usual generous timeout. */
    private static void awaitRefused(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RawHttp.TIMEOUT_MILLIS);
        while (System.nanoTime() < deadline) {
            try {
                new Socket(InetAddress.getLoopbackAddress(), port).close();
                Thread.sleep(10); // still accepting; this is a liveness poll, not a timing check
            } catch (ConnectException refused) {
                return;
            }
        }
        throw new AssertionError("port " + port + " still accepts connections");
    }

    private static void assertRefused(int port) {
        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close());
    }

    @Test
    void gracefulStopFinishesInFlightRequestsAndRefusesNewWork() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger quickCalls = new AtomicInteger();
        Application app = (environ, start) -> {
            if (Environ.of(environ).pathInfo().equals("/slow")) {
                entered.countDown();
                TrackedBody.await(release);
                start.start("200 OK", TEXT);
                return Body.of("do".getBytes(UTF_8), "ne".getBytes(UTF_8));
            }
            quickCalls.incrementAndGet();
            start.start("200 OK", TEXT);
            return Body.ofUtf8("quick");
        };
        ReferenceServer server = fixture.start(app);
        int port = server.port();
        try (RawHttp keepAlive = RawHttp.connect(port); RawHttp slow = RawHttp.connect(port)) {
            keepAlive.send("GET /quick HTTP/1.1\r\nHost: h\r\n\r\n");
            assertEquals("quick", keepAlive.read().text());

            slow.send("GET /slow HTTP/1.1\r\nHost: h\r\n\r\n");
            TrackedBody.await(entered);
            Thread stopper = new Thread(() -> server.stop(Duration.ofSeconds(20)), "test-stopper");
            stopper.start();

            awaitRefused(port); // the listener closes at once
            // a request on a connection that was already open is refused without the application
            RawHttp.Response refused = keepAlive.send("GET /quick HTTP/1.1\r\nHost: h\r\n\r\n").read();
            assertEquals(503, refused.status, refused::toString);
            assertEquals("close", refused.header("Connection"));
            assertEquals(1, quickCalls.get());

            release.countDown();
            RawHttp.Response done = slow.read();
            assertEquals(200, done.status);
            assertTrue(done.complete);
            assertEquals("done", done.text());
            assertEquals("close", done.header("Connection"), "a response committed while stopping closes its connection");

            stopper.join(RawHttp.TIMEOUT_MILLIS);
            assertFalse(stopper.isAlive(), "stop() must return once the in-flight request is done");
        }
        assertRefused(port);
    }

    @Test
    void stopClosesRequestsThatOutliveTheGracePeriod() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch appEnded = new CountDownLatch(1);
        Application app = (environ, start) -> {
            try {
                entered.countDown();
                release.await(); // ended by the server's interrupt or by the test
                start.start("200 OK", TEXT);
                return Body.ofUtf8("late");
            } finally {
                appEnded.countDown();
            }
        };
        ReferenceServer server = fixture.start(app);
        try (RawHttp c = RawHttp.connect(server.port())) {
            c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
            TrackedBody.await(entered);
            server.stop(Duration.ofMillis(100));
            assertTrue(c.closedByServer(), "the connection of an unfinished request is closed after the grace period");
        } finally {
            release.countDown();
        }
        TrackedBody.await(appEnded);
        assertTrue(fixture.log().contains("still running after the grace period"), fixture::log);
        assertRefused(server.port());
    }

    @Test
    void noThreadsAreLeftAfterStop() throws Exception {
        Predicate<String> jdkThreads = n -> n.startsWith("HTTP-Dispatcher") || n.startsWith("idle-timeout-task");
        int jdkBefore = countThreads(jdkThreads);
        TrackedBody failing = new TrackedBody(i -> {
            if (i == 0) {
                return "x".getBytes(UTF_8);
            }
            throw new IllegalStateException("abort this one");
        });
        AtomicInteger n = new AtomicInteger();
        Application app = (environ, start) -> {
            start.start("200 OK", TEXT);
            return n.getAndIncrement() == 0 ? failing : Body.ofUtf8("ok");
        };
        ReferenceServer server = fixture.start(app, b -> b.threads(4).virtualThreads(false));
        String prefix = server.threadNamePrefix();
        assertFalse(RawHttp.get(server.port(), "/").complete); // an aborted exchange too
        CompletableFuture<?>[] all = new CompletableFuture<?>[12];
        for (int i = 0; i < all.length; i++) {
            all[i] = CLIENT.sendAsync(HttpRequest.newBuilder(server.uri()).build(), HttpResponse.BodyHandlers.ofString());
        }
        CompletableFuture.allOf(all).get(RawHttp.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        assertTrue(countThreads(name -> name.startsWith(prefix)) > 0);
        assertTrue(countThreads(jdkThreads) > jdkBefore);

        server.stop(Duration.ofSeconds(5));
        // threads end just after stop() returns (timer threads are only told to); poll for liveness
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline
                && (countThreads(name -> name.startsWith(prefix)) > 0 || countThreads(jdkThreads) > jdkBefore)) {
            Thread.sleep(20);
        }
        assertEquals(0, countThreads(name -> name.startsWith(prefix)), "this server's own threads");
        assertEquals(jdkBefore, countThreads(jdkThreads), "the JDK server's dispatcher and timer threads");
    }

    private static int countThreads(Predicate<String> name) {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && name.test(t.getName())) {
                n++;
            }
        }
        return n;
    }

    /** Answers whether the request ran on a virtual thread, and on which thread. */
    private static final Application WHICH_THREAD = (environ, start) -> {
        Thread t = Thread.currentThread();
        start.start("200 OK", TEXT);
        return Body.ofUtf8(Threads.isVirtual(t) + " " + t.getName());
    };

    @Test
    void virtualThreadsWhenAskedForAndAvailable() throws Exception {
        ReferenceServer server = fixture.start(WHICH_THREAD, b -> b.virtualThreads(true));
        String answer = RawHttp.get(server.port(), "/").text();
        boolean available = Threads.virtualThreadsAvailable();
        assertEquals(available, server.virtualThreads());
        assertEquals(Boolean.toString(available), answer.split(" ")[0], answer);
        if (!available) {
            assertTrue(answer.endsWith(" " + server.threadNamePrefix() + "-1"), answer);
            assertTrue(fixture.log().contains("virtual threads requested"), fixture::log);
        }
        System.out.println("[virtual-threads] Java " + Runtime.version().feature() + ": " + answer);
    }

    @Test
    void platformPoolWhenVirtualThreadsAreOff() throws Exception {
        ReferenceServer server = fixture.start(WHICH_THREAD, b -> b.virtualThreads(false));
        String answer = RawHttp.get(server.port(), "/").text();
        assertTrue(answer.startsWith("false " + server.threadNamePrefix() + "-"), answer);
    }

    @Test
    void virtualThreadsByDefaultWhenTheJvmHasThem() throws Exception {
        ReferenceServer server = fixture.start(WHICH_THREAD);
        assertEquals(Threads.virtualThreadsAvailable(), server.virtualThreads());
        String answer = RawHttp.get(server.port(), "/").text();
        assertTrue(answer.startsWith(Threads.virtualThreadsAvailable() + " "), answer);
        assertFalse(fixture.log().contains("virtual threads requested"), "the default does not log a fallback: " + fixture.log());
    }

    @Test
    @Covers("thread.multithread")
    void requestsRunConcurrently() throws Exception {
        CyclicBarrier both = new CyclicBarrier(2);
        Application app = (environ, start) -> {
            both.await(RawHttp.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS); // needs two requests in the app at once
            start.start("200 OK", TEXT);
            return Body.ofUtf8(String.valueOf(environ.get(Environ.JGI_MULTITHREAD)));
        };
        ReferenceServer server = fixture.start(app, b -> b.threads(2));
        CompletableFuture<HttpResponse<String>> a = CLIENT.sendAsync(HttpRequest.newBuilder(server.uri()).build(),
                HttpResponse.BodyHandlers.ofString());
        CompletableFuture<HttpResponse<String>> b = CLIENT.sendAsync(HttpRequest.newBuilder(server.uri()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("true", a.get(RawHttp.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).body());
        assertEquals("true", b.get(RawHttp.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).body());
    }

    @Test
    void staticStartAndIdempotentStop() throws Exception {
        ReferenceServer server = ReferenceServer.start((environ, start) -> {
            start.start("200 OK", TEXT);
            return Body.ofUtf8("hi");
        }, 0);
        try {
            assertTrue(server.port() > 0);
            assertEquals("hi", CLIENT.send(HttpRequest.newBuilder(server.uri()).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
        } finally {
            server.stop(Duration.ofSeconds(1));
            server.stop(Duration.ofSeconds(1));
            server.close();
        }
        assertRefused(server.port());
    }

    @Test
    void builderRejectsNonsense() {
        Application app = (environ, start) -> Body.empty();
        assertThrows(IllegalArgumentException.class, () -> ReferenceServer.builder(app).port(-1));
        assertThrows(IllegalArgumentException.class, () -> ReferenceServer.builder(app).port(65536));
        assertThrows(IllegalArgumentException.class, () -> ReferenceServer.builder(app).threads(0));
        assertThrows(IllegalArgumentException.class, () -> ReferenceServer.builder(app).bodyLimit(-2));
        assertThrows(IllegalArgumentException.class, () -> ReferenceServer.builder(app).mount("app"));
        assertThrows(NullPointerException.class, () -> ReferenceServer.builder(null));
    }

    @Test
    void portInUseIsAnIOException() throws Exception {
        ReferenceServer first = fixture.start((environ, start) -> Body.empty());
        assertThrows(IOException.class, () -> ReferenceServer.start((environ, start) -> Body.empty(), first.port()));
    }
}

package dev.jgi.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.Header;
import dev.jgi.conformance.http.HttpConnection;
import dev.jgi.conformance.http.Response;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The launcher: port 0, the reported port and URI, and the graceful stop. */
class ShutdownTest {

    static final class Gate {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
    }

    static Application blocking(Gate gate) {
        return (environ, start) -> {
            gate.entered.countDown();
            if (!gate.release.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
            start.start("200 OK", List.of(Header.of("Content-Type", "text/plain")));
            return Body.ofUtf8("finished");
        };
    }

    static boolean refused(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void portZeroIsReportedAndTheUriIncludesTheMount() throws Exception {
        try (UndertowServer s = TestServers.builder((environ, start) -> {
            start.start("200 OK", List.of());
            return Body.empty();
        }).port(0).mount("/base/").start()) {
            assertTrue(s.port() > 0);
            assertEquals(URI.create("http://127.0.0.1:" + s.port() + "/base"), s.uri());
            assertFalse(refused(s.port()));
        }
    }

    @Test
    void inFlightRequestsFinishWhileNewConnectionsAreRefused() throws Exception {
        Gate gate = new Gate();
        UndertowServer s = TestServers.start(blocking(gate));
        int port = s.port();
        HttpConnection inFlight = TestServers.connect(port);
        try {
            inFlight.sendRaw("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertTrue(gate.entered.await(20, TimeUnit.SECONDS));
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> s.stop(Duration.ofSeconds(30)));
            // the listening socket closes first; stop() itself waits for the request in flight
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!refused(port) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(refused(port), "new connections are refused during the stop");
            assertFalse(stopping.isDone(), "stop waits for the request in flight");
            gate.release.countDown();
            Response resp = inFlight.readResponse("GET");
            assertEquals(200, resp.status());
            assertEquals("finished", resp.text());
            stopping.get(20, TimeUnit.SECONDS);
        } finally {
            gate.release.countDown();
            inFlight.close();
            s.close();
        }
    }

    @Test
    void aRequestOutlivingTheGraceIsCutOffAndStopReturns() throws Exception {
        Gate gate = new Gate();
        UndertowServer s = TestServers.start(blocking(gate));
        try (HttpConnection inFlight = TestServers.connect(s.port())) {
            inFlight.sendRaw("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertTrue(gate.entered.await(20, TimeUnit.SECONDS));
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> s.stop(Duration.ofMillis(200)));
            stopping.get(30, TimeUnit.SECONDS);
            assertEquals(0, inFlight.readToClose().length, "the connection of the late request is closed");
        } finally {
            gate.release.countDown();
        }
        assertTrue(refused(s.port()));
    }

    @Test
    void stopReleasesTheServersThreads() throws Exception {
        UndertowServer s = TestServers.start((environ, start) -> {
            start.start("200 OK", List.of());
            return Body.ofUtf8("x");
        });
        try (HttpConnection r = TestServers.connect(s.port())) {
            r.sendRaw("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertEquals("x", r.readResponse("GET").text());
        }
        s.stop(Duration.ofSeconds(5));
        s.stop(Duration.ofSeconds(5)); // a second stop does nothing
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (liveServerThreads() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, liveServerThreads(), () -> Thread.getAllStackTraces().keySet().toString());
    }

    static long liveServerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("jgi-undertow")).count();
    }

    @Test
    void aPortInUseFailsTheStart() throws Exception {
        try (UndertowServer first = TestServers.start((environ, start) -> {
            start.start("200 OK", List.of());
            return Body.empty();
        })) {
            assertThrows(java.io.IOException.class, () -> TestServers.builder((environ, start) -> {
                start.start("200 OK", List.of());
                return Body.empty();
            }).port(first.port()).start());
        }
    }
}

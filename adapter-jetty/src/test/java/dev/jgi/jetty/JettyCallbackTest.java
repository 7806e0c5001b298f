package dev.jgi.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.ClientDisconnectedException;
import dev.jgi.Header;
import dev.jgi.Write;
import dev.jgi.conformance.http.HttpConnection;
import dev.jgi.conformance.http.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Jetty's {@link Callback} is completed exactly once on every path, and the body is closed exactly
 * once: a {@link JgiHandler} assembled by hand (as an embedder would) inside a handler that counts
 * the completions.
 */
class JettyCallbackTest {

    static final TestSupport.Log LOG = new TestSupport.Log();
    /** One entry per request: "succeeded=N failed=M closes=K" once the handler has returned. */
    static final BlockingQueue<String> OUTCOMES = new ArrayBlockingQueue<>(16);
    static final AtomicInteger CLOSES = new AtomicInteger();
    static volatile CountDownLatch clientGone;
    static final BlockingQueue<Throwable> APP_SAW = new ArrayBlockingQueue<>(4);
    static Server server;
    static int port;

    static final Application APP = (environ, start) -> {
        String q = (String) environ.get("QUERY_STRING");
        Body closing = Body.from(List.of("x".getBytes()), CLOSES::incrementAndGet);
        switch (q) {
            case "ok":
                start.start("200 OK", List.of());
                return closing;
            case "boom":
                throw new IllegalStateException("before commit");
            case "late-boom":
                start.start("200 OK", List.of());
                return Body.from(() -> new java.util.Iterator<byte[]>() {
                    int i;

                    @Override
                    public boolean hasNext() {
                        return true;
                    }

                    @Override
                    public byte[] next() {
                        if (i++ == 0) {
                            return "first".getBytes();
                        }
                        throw new IllegalStateException("after commit");
                    }
                }, CLOSES::incrementAndGet);
            case "close-fails":
                start.start("200 OK", List.of());
                return Body.from(List.of("x".getBytes()), () -> {
                    CLOSES.incrementAndGet();
                    throw new IOException("close failed");
                });
            case "disconnect": {
                Write w = start.start("200 OK", List.of());
                w.write("first".getBytes());
                try {
                    assertTrue(clientGone.await(30, TimeUnit.SECONDS));
                    byte[] big = new byte[64 * 1024];
                    // the client has closed its socket: writing must soon fail with ClientDisconnectedException
                    for (int i = 0; i < 100_000; i++) {
                        w.write(big);
                    }
                    APP_SAW.add(new AssertionError("writes to a closed connection never failed"));
                } catch (ClientDisconnectedException e) {
                    APP_SAW.add(e);
                    throw e;
                }
                return closing;
            }
            default:
                start.start("404 Not Found", List.of(Header.of("Content-Type", "text/plain")));
                return closing;
        }
    };

    @BeforeAll
    static void start() throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool(16, 4);
        if (TestSupport.VIRTUAL) {
            pool.setVirtualThreadsExecutor(VirtualThreads.getDefaultVirtualThreadsExecutor());
        }
        server = new Server(pool);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(JettyServer.httpConfiguration()));
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ContextHandler context = new ContextHandler(new JgiHandler(APP, -1, LOG.writer), "/app");
        context.setAllowNullPathInContext(true);
        server.setHandler(new Handler.Wrapper(context) {
            @Override
            public boolean handle(Request request, org.eclipse.jetty.server.Response response, Callback callback) throws Exception {
                AtomicInteger ok = new AtomicInteger();
                AtomicInteger failed = new AtomicInteger();
                boolean handled = super.handle(request, response, new Callback() {
                    @Override
                    public void succeeded() {
                        ok.incrementAndGet();
                        callback.succeeded();
                    }

                    @Override
                    public void failed(Throwable x) {
                        failed.incrementAndGet();
                        callback.failed(x);
                    }
                });
                // JgiHandler completes the callback before handle() returns
                OUTCOMES.add("handled=" + handled + " succeeded=" + ok.get() + " failed=" + failed.get() + " closes=" + CLOSES.get());
                return handled;
            }
        });
        server.start();
        port = connector.getLocalPort();
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    @BeforeEach
    void reset() {
        OUTCOMES.clear();
        CLOSES.set(0);
    }

    private static String outcome() throws InterruptedException {
        String o = OUTCOMES.poll(30, TimeUnit.SECONDS);
        assertNotNull(o, "the handler never returned");
        return o;
    }

    private static Response get(String query) throws IOException {
        return TestSupport.exchange(port, "GET /app?" + query + " HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
    }

    @Test
    void success() throws Exception {
        assertEquals(200, get("ok").status());
        assertEquals("handled=true succeeded=1 failed=0 closes=1", outcome());
    }

    @Test
    void applicationExceptionBeforeCommit() throws Exception {
        assertEquals(500, get("boom").status());
        assertEquals("handled=true succeeded=1 failed=0 closes=0", outcome());
    }

    @Test
    void applicationExceptionAfterCommitFailsTheCallback() throws Exception {
        Response r = get("late-boom");
        assertFalse(r.complete());
        assertEquals("handled=true succeeded=0 failed=1 closes=1", outcome());
    }

    @Test
    void closeFailureStillSucceeds() throws Exception {
        Response r = get("close-fails");
        assertEquals("x", r.text());
        assertEquals("handled=true succeeded=1 failed=0 closes=1", outcome());
        assertTrue(LOG.awaitContains("close failed"));
    }

    @Test
    void rejectedByThePathPolicyBeforeTheApplication() throws Exception {
        Response r = TestSupport.exchange(port, "GET /app/a%2Fb HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        assertEquals(400, r.status());
        assertEquals("handled=true succeeded=1 failed=0 closes=0", outcome());
        assertTrue(LOG.awaitContains("rejected before the application with 400"));
    }

    @Test
    void clientDisconnectFailsTheCallbackAndTheApplicationSeesIt() throws Exception {
        clientGone = new CountDownLatch(1);
        APP_SAW.clear();
        try (HttpConnection c = TestSupport.connect(port)) {
            Response.Head head = c.sendRaw("GET /app?disconnect HTTP/1.1\r\nHost: h\r\n\r\n").readHead();
            assertEquals("first", new String(c.body(head, "GET").readAtLeast(5), StandardCharsets.ISO_8859_1));
            c.reset(); // a TCP reset, so that the server's next writes fail at once
        }
        clientGone.countDown();
        Throwable seen = APP_SAW.poll(30, TimeUnit.SECONDS);
        assertTrue(seen instanceof ClientDisconnectedException, String.valueOf(seen));
        assertEquals("handled=true succeeded=0 failed=1 closes=0", outcome());
        assertTrue(LOG.awaitContains("client disconnected"));
    }
}

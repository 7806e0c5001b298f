package dev.jgi.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.conformance.http.HttpConnection;
import dev.jgi.conformance.http.Request;
import dev.jgi.conformance.http.Response;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every request head the suite sends stays within {@link Request#HEAD_BUDGET} (6 KiB), below the
 * 8 KiB default header limit of Jetty, Tomcat and nginx, so that no case tests a server's header
 * limit instead of JGI. {@link HttpConnection} enforces the budget on every request of every run,
 * and a case that exceeds it fails as a suite defect whatever the server declares. The tests here
 * check that enforcement, and run every case once to show that none exceeds the budget.
 */
class RequestHeadBudgetTest {

    private static Request withHeadOf(int size) {
        int one = Request.get("/x").header("X-Pad", "p").headBytes("h:1").length;
        return Request.get("/x").header("X-Pad", "p".repeat(size - one + 1));
    }

    @Test
    void aHeadOverTheBudgetIsNotSentAndOneAtTheBudgetIs() throws Exception {
        assertEquals(Request.HEAD_BUDGET, withHeadOf(Request.HEAD_BUDGET).headBytes("h:1").length);
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
                try (Socket s = ss.accept(); InputStream in = s.getInputStream()) {
                    ByteArrayOutputStream all = new ByteArrayOutputStream();
                    in.transferTo(all); // until the client closes
                    return all.toByteArray();
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            List<Exchange> transcript = new ArrayList<>();
            try (HttpConnection c = HttpConnection.open("127.0.0.1", ss.getLocalPort(), "h:1", "budget", transcript::add, 5000)) {
                Request.HeadTooLargeException e = assertThrows(Request.HeadTooLargeException.class,
                        () -> c.send(withHeadOf(Request.HEAD_BUDGET + 1)));
                assertTrue(e.getMessage().contains((Request.HEAD_BUDGET + 1) + " bytes, over its budget of " + Request.HEAD_BUDGET),
                        e.getMessage());
                assertThrows(Request.HeadTooLargeException.class, () -> c.sendHead(withHeadOf(Request.HEAD_BUDGET + 100)));
                c.send(withHeadOf(Request.HEAD_BUDGET));
            }
            byte[] got = received.get(5, TimeUnit.SECONDS);
            assertEquals(Request.HEAD_BUDGET, got.length, "only the request within the budget went out");
        }
    }

    @Test
    void noCaseSendsAHeadOverTheBudget() throws Exception {
        List<String> defects = new ArrayList<>();
        int ran = 0;
        for (String mount : List.of("", ConformanceRun.DEFAULT_MOUNT)) {
            try (ServerUnderTest.Running server = new ReferenceServerUnderTest(false).start(ConformanceApp.create(), mount);
                    ServerUnderTest.Running reference = new ReferenceServerUnderTest(false).start(ConformanceApp.create(), mount)) {
                // every capability declared, so that the gated cases run (and send their requests) too
                Declaration all = ReferenceServerUnderTest.declaration(false).toBuilder().capability(Capability.values()).build();
                ConformanceRun run = new ConformanceRun(server.baseUri(), all, reference::baseUri, server::log, 5000);
                for (CaseResult r : run.runAll(dev.jgi.conformance.cases.Cases.all(), null)) {
                    ran++;
                    if (r.reason().contains("suite defect") || r.reason().contains("HeadTooLargeException")) {
                        defects.add(r.caseId() + " [" + r.mountLabel() + "]: " + r.reason());
                    }
                }
            }
        }
        assertTrue(ran > 250, "ran " + ran + " case runs");
        assertEquals(List.of(), defects, "cases whose request head is over the budget");
    }

    @Test
    void aCaseThatBuildsAnOversizedHeadFailsAsASuiteDefect() throws Exception {
        ConformanceCase oversized = ConformanceCase.of(Category.REQUEST_LINE, "test.oversized-head", "an oversized head")
                .rules("environ.required").sources("test")
                .check(ctx -> {
                    Response r = ctx.send(ctx.env("/big").header("X-Big", "b".repeat(Request.HEAD_BUDGET)));
                    ctx.status(r, 200, "unreachable");
                });
        try (ServerUnderTest.Running server = new ReferenceServerUnderTest(false).start(ConformanceApp.create(), "")) {
            CaseResult r = new ConformanceRun(server.baseUri(), ReferenceServerUnderTest.declaration(false), null, 5000).run(oversized);
            assertEquals(Verdict.FAIL, r.verdict(), r.toString());
            assertTrue(r.reason().startsWith("suite defect: the suite's request head for \"GET /big HTTP/1.1\" is "), r.reason());
        }
    }
}

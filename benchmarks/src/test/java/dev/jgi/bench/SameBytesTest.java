package dev.jgi.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.bench.app.Payloads;
import dev.jgi.bench.load.OpenLoop;
import dev.jgi.bench.load.RawHttp;
import dev.jgi.bench.load.Workload;
import dev.jgi.bench.server.BenchServer;
import dev.jgi.bench.server.Variant;
import dev.jgi.bench.server.Variants;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Smoke test of the harness: every variant built into it starts, answers every workload, and sends
 * the same bytes as its server's native baseline (the rule the benchmark checks before timing).
 * Servers run in this JVM, one at a time, on port 0; no timing.
 */
class SameBytesTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void file() throws Exception {
        System.setProperty(Payloads.FILE_PROPERTY, Payloads.writeFile(dir.resolve("file-10m.bin")).toString());
    }

    /** @return one test per pair whose variants are all built in */
    @TestFactory
    List<DynamicTest> everyPairSendsTheSameBytes() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Variants.Pair p : Variants.pairs()) {
            if (!p.available()) {
                continue; // its adapter is not on this branch yet; the driver reports the pair as missing
            }
            tests.add(DynamicTest.dynamicTest(p.server(), () -> {
                Map<String, String> reference = responses(p.nativeVariant());
                assertTrue(reference.get(Workload.HELLO.label).startsWith("HTTP/1.1 200"), reference.get(Workload.HELLO.label));
                List<Variant> others = new ArrayList<>(List.of(p.jgi()));
                p.ceiling().ifPresent(others::add);
                for (Variant v : others) {
                    Map<String, String> got = responses(v);
                    for (Workload w : Workload.values()) {
                        assertEquals(reference.get(w.label), got.get(w.label), v.name() + " " + w.label);
                    }
                }
            }));
        }
        return tests;
    }

    private static Map<String, String> responses(Variant v) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        try (BenchServer s = v.create().orElseThrow()) {
            int port = s.start("127.0.0.1", 0);
            for (Workload w : Workload.values()) {
                byte[] body = w.requestBodyBytes();
                RawHttp.Response r = RawHttp.exchange(port, w.requestHead(port), body, 30_000);
                assertEquals(200, r.status(), v.name() + " " + w.label);
                assertEquals(w.responseBody, r.body().length, v.name() + " " + w.label);
                if (w == Workload.UPLOAD) {
                    assertTrue(Arrays.equals(body, r.body()), v.name() + " echoed a different body");
                }
                out.put(w.label, r.canonical());
            }
        }
        return out;
    }

    @Test
    void openLoopClientMeasuresEveryRequest() throws Exception {
        Variant v = Variants.byName("jdk-native");
        try (BenchServer s = v.create().orElseThrow()) {
            int port = s.start("127.0.0.1", 0);
            OpenLoop.Result r = OpenLoop.run(port, Workload.HELLO.requestHead(port), 4, 500, 0.1, 0.4);
            assertEquals(0, r.errors());
            // 500/s for 0.4 s: about 200 requests intended in the measured window, all answered
            assertTrue(r.completed() >= 150 && r.completed() <= 210, "completed " + r.completed());
            assertTrue(r.total() >= r.completed());
            assertTrue(r.p50() > 0 && r.p99() >= r.p50(), r.toString());
        }
    }
}

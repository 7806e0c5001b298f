package dev.jgi.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.conformance.cases.Cases;
import dev.jgi.conformance.report.ConsoleReport;
import dev.jgi.conformance.report.ServerResults;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The black-box runner against the reference server that it starts itself with --command
 * ({@code java -cp <class path> dev.jgi.conformance.ServeReference}), compared verdict by verdict
 * with an in-process run of the same cases.
 */
class CliTest {

    static String java() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    static String serveReferenceCommand(String classpath) {
        return "'" + java() + "' -cp '" + classpath + "' dev.jgi.conformance.ServeReference --port={port} --mount={mount}";
    }

    /** Runs the CLI, returning its exit status and output. */
    static Object[] cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Object[] {status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    static Map<String, Verdict> verdicts(List<CaseResult> results) {
        Map<String, Verdict> m = new TreeMap<>();
        for (CaseResult r : results) {
            m.put(r.caseId() + " [" + r.mountLabel() + "]", r.verdict());
        }
        return m;
    }

    @Test
    void theRunnerStartsTheServerAndPrintsTheSameVerdictsAsTheInProcessSuite(@TempDir Path dir) throws Exception {
        Path decl = dir.resolve("reference.properties");
        try (OutputStream o = Files.newOutputStream(decl)) {
            ReferenceServerUnderTest.declaration(false).toProperties().store(o, "the reference server");
        }
        Object[] run = cli("--name", "reference-cli", "--command", serveReferenceCommand(System.getProperty("java.class.path")),
                "--url", "http://127.0.0.1:{port}{mount}", "--declarations", decl.toString(), "--report-dir", dir.toString());
        String out = (String) run[1];
        // the reference server's JDK deviations are declared in the file, so they do not fail the run
        assertEquals(0, run[0], out + run[2]);

        ServerResults cli = ServerResults.read(dir.resolve("reference-cli.json"));
        List<CaseResult> inProcess = new java.util.ArrayList<>();
        for (String mount : List.of("", ConformanceRun.DEFAULT_MOUNT)) {
            try (ServerUnderTest.Running s = new ReferenceServerUnderTest(false).start(ConformanceApp.create(), mount);
                    ServerUnderTest.Running ref = new ReferenceServerUnderTest(false).start(ConformanceApp.create(), mount)) {
                inProcess.addAll(new ConformanceRun(s.baseUri(), ReferenceServerUnderTest.declaration(false), ref::baseUri, s::log, 10_000)
                        .runAll(Cases.all(), null));
            }
        }
        assertEquals(verdicts(inProcess), verdicts(cli.results()));
        assertTrue(verdicts(cli.results()).size() > 250, "every case at both mounts");

        // the printed lines carry the same verdicts
        for (CaseResult r : cli.results()) {
            assertTrue(out.contains(ConsoleReport.tag(r.verdict()) + r.caseId() + " [" + r.mountLabel() + "]"), "printed: " + r);
        }
        // every declared deviation of the reference server is reported as one, with its reason, at its mounts
        Declaration declared = ReferenceServerUnderTest.declaration(false);
        assertEquals(declared.deviations(), Declaration.fromProperties(loadProperties(decl)).deviations(), "the file carries them");
        assertTrue(!declared.deviations().isEmpty());
        for (CaseResult r : cli.results()) {
            String reason = declared.deviation(r.caseId(), r.mount());
            if (reason != null) {
                assertEquals(Verdict.DEVIATION, r.verdict(), r::toString);
                assertTrue(r.reason().startsWith("declared deviation: " + reason + "\nobserved: "), r.reason());
                assertTrue(!r.transcript().isEmpty(), "a deviation keeps its transcript: " + r);
                assertTrue(out.contains("DEV  " + r.caseId() + " [" + r.mountLabel() + "]\n      declared deviation: " + reason), out);
            } else {
                assertTrue(r.verdict() != Verdict.DEVIATION, r::toString);
            }
        }
        assertEquals(0, cli.count(Verdict.FAIL), out);
        assertTrue(out.contains("reference-cli: " + cli.count(Verdict.PASS) + " passed, 0 failed, " + cli.count(Verdict.DEVIATION)
                + " declared deviations, " + cli.count(Verdict.NOT_DECLARED) + " not declared\n"), out);
        assertTrue(Files.exists(dir.resolve("reference-cli.xml")) && Files.exists(dir.resolve("index.html")));
    }

    static java.util.Properties loadProperties(Path file) throws java.io.IOException {
        java.util.Properties p = new java.util.Properties();
        try (java.io.InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        return p;
    }

    @Test
    void aDeviationFromTheCommandLineIsReportedAsOneAndFailsTheRunOnceItPasses(@TempDir Path dir) throws Exception {
        try (ServerUnderTest.Running s = new ReferenceServerUnderTest(false).start(ConformanceApp.create(), "")) {
            // the reference server lacks reason-phrase; claimed, the case fails, which the deviation declares
            Object[] dev = cli("--name", "dev", "--url", s.baseUri().toString(), "--no-diff", "--declare", "reason-phrase",
                    "--only", "^(response\\.reason-phrase|request\\.query-raw)$", "--report-dir", dir.toString(),
                    "--deviation", "response.reason-phrase@/=the JDK sends its own phrase", "--verbose");
            String out = (String) dev[1];
            assertEquals(0, dev[0], out + dev[2]);
            assertTrue(out.contains("DEV  response.reason-phrase [/]\n      declared deviation: the JDK sends its own phrase\n"
                    + "      observed: 201 FooBar: reason phrase"), out);
            assertTrue(out.contains("        | GET /"), "--verbose prints the deviation's transcript: " + out);
            assertTrue(out.contains("dev: 1 passed, 0 failed, 1 declared deviations, 0 not declared\n"), out);
            ServerResults written = ServerResults.read(dir.resolve("dev.json"));
            assertEquals("the JDK sends its own phrase", written.declaration().get("deviation.response.reason-phrase@/"));
            assertEquals(Verdict.DEVIATION, written.results().stream().filter(r -> r.caseId().equals("response.reason-phrase"))
                    .findFirst().orElseThrow().verdict());
            String xml = Files.readString(dir.resolve("dev.xml"));
            assertTrue(xml.contains("failures=\"0\" errors=\"0\" skipped=\"1\""), xml);
            assertTrue(xml.contains("<skipped message=\"declared deviation: the JDK sends its own phrase&#10;observed: 201 FooBar"), xml);

            // the same deviation through --property, for a case that passes: stale, so the run fails
            Object[] stale = cli("--name", "stale", "--url", s.baseUri().toString(), "--no-diff", "--only", "^request\\.query-raw$",
                    "--property", "deviation.request.query-raw=thought to be broken", "--report-dir", dir.toString());
            assertEquals(1, stale[0], stale[1] + "" + stale[2]);
            assertTrue(((String) stale[1]).contains("FAIL request.query-raw [/]\n      declared deviation no longer holds; remove it"),
                    (String) stale[1]);

            Object[] unknown = cli("--url", s.baseUri().toString(), "--deviation", "no.such-case=whatever");
            assertEquals(2, unknown[0]);
            assertTrue(((String) unknown[2]).contains("a deviation names the unknown case \"no.such-case\""), (String) unknown[2]);
        }
    }

    @Test
    void exitStatusIsZeroWhenEveryCaseRunPassesAndTwoForAServerThatDoesNotStart(@TempDir Path dir) throws Exception {
        Object[] ok = cli("--name", "subset", "--command", serveReferenceCommand(System.getProperty("java.class.path")),
                "--url", "http://127.0.0.1:{port}{mount}", "--only", "^(request\\.query-raw|headers\\.repeated|response\\.reason-phrase)$",
                "--mounts", "/only/here", "--report-dir", dir.toString(), "--no-diff");
        assertEquals(0, ok[0], ok[1] + "" + ok[2]);
        assertTrue(((String) ok[1]).contains("PASS request.query-raw [/only/here]"), (String) ok[1]);
        assertTrue(((String) ok[1]).contains("N/D  response.reason-phrase [/only/here]"), (String) ok[1]);

        Object[] dead = cli("--command", "false", "--url", "http://127.0.0.1:{port}", "--report-dir", dir.toString(), "--start-timeout", "5");
        assertEquals(2, dead[0]);
        assertTrue(((String) dead[2]).contains("exited with status 1"), (String) dead[2]);

        Object[] usage = cli("--url", "http://127.0.0.1:1", "--property", "expect-continue=sometimes");
        assertEquals(2, usage[0]);
        assertTrue(((String) usage[2]).contains("unknown value \"sometimes\" for expect-continue"), (String) usage[2]);
    }
}

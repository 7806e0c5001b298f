package dev.jgi.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.conformance.cases.Cases;
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
        // the JDK deviations of the reference server are failures, so the exit status is 1
        assertEquals(1, run[0], out + run[2]);

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
            String tag = r.verdict() == Verdict.PASS ? "PASS " : r.verdict() == Verdict.FAIL ? "FAIL " : "N/D  ";
            assertTrue(out.contains(tag + r.caseId() + " [" + r.mountLabel() + "]"), "printed: " + r);
        }
        assertTrue(out.contains("reference-cli: " + cli.count(Verdict.PASS) + " passed, " + cli.count(Verdict.FAIL) + " failed, "
                + cli.count(Verdict.NOT_DECLARED) + " not declared  -- NOT CONFORMANT"), out);
        assertTrue(Files.exists(dir.resolve("reference-cli.xml")) && Files.exists(dir.resolve("index.html")));
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

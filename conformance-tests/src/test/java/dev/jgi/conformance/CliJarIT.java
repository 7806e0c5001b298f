package dev.jgi.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.conformance.report.ConsoleReport;
import dev.jgi.conformance.report.ServerResults;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded CLI jar, run from the command line exactly as a server author would: {@code java -jar}
 * with {@code --command} starting {@code ServeReference} from the same jar. Its verdicts must equal
 * those of the in-process suite ({@code ReferenceServerConformanceTest}, whose result file the
 * unit-test phase wrote), and it must run without JUnit on its class path.
 */
class CliJarIT {

    @Test
    void theCliJarGivesTheSameVerdictsAsTheInProcessSuite(@TempDir Path dir) throws Exception {
        Path jar = Paths.get(System.getProperty("jgi.conformance.cliJar"));
        assertTrue(Files.exists(jar), "the cli jar is built: " + jar);
        try (JarFile j = new JarFile(jar.toFile())) {
            assertEquals("dev.jgi.conformance.Main", j.getManifest().getMainAttributes().getValue("Main-Class"));
            assertTrue(j.getEntry("dev/jgi/server/ReferenceServer.class") != null, "jgi-core is inside");
            assertFalse(j.stream().anyMatch(e -> e.getName().startsWith("org/junit/") || e.getName().startsWith("dev/jgi/conformance/junit/")),
                    "no JUnit in the cli jar");
        }
        Path inProcessFile = Paths.get(System.getProperty("jgi.conformance.reportDir"), ReferenceServerUnderTest.NAME + ".json");
        ServerResults inProcess = ServerResults.read(inProcessFile);
        Properties decl = new Properties();
        inProcess.declaration().forEach(decl::setProperty);
        Path declFile = dir.resolve("reference.properties");
        try (OutputStream o = Files.newOutputStream(declFile)) {
            decl.store(o, "as declared by the in-process run");
        }
        boolean vt = inProcess.declaration().getOrDefault(Declaration.CAPABILITIES, "").contains(Capability.VIRTUAL_THREADS.id());
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        String command = "'" + java + "' -cp '" + jar + "' dev.jgi.conformance.ServeReference --port={port} --mount={mount}"
                + (vt ? " --virtual-threads" : "");
        Path out = dir.resolve("cli-output.txt");
        Process p = new ProcessBuilder(java, "-jar", jar.toString(), "--name", "reference-cli-jar", "--command", command,
                "--url", "http://127.0.0.1:{port}{mount}", "--declarations", declFile.toString(), "--report-dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the runner finished");
        String printed = Files.readString(out, StandardCharsets.UTF_8);
        // the reference server's JDK deviations are declared, so they do not fail the run
        assertEquals(0, p.exitValue(), printed);
        ServerResults cli = ServerResults.read(dir.resolve("reference-cli-jar.json"));
        assertEquals(CliTest.verdicts(inProcess.results()), CliTest.verdicts(cli.results()));
        for (CaseResult r : cli.results()) {
            assertTrue(printed.contains(ConsoleReport.tag(r.verdict()) + r.caseId() + " [" + r.mountLabel() + "]"), "printed: " + r);
        }
        for (String key : ReferenceServerUnderTest.DEVIATIONS.keySet()) {
            String id = key.replaceAll("@.*", "");
            assertTrue(printed.contains("DEV  " + id + " ["), "the deviation " + key + " is printed as one");
        }
        assertEquals(0, cli.count(Verdict.FAIL), printed);
        assertTrue(Files.readString(dir.resolve("index.html")).contains("reference-cli-jar"));
    }
}

package dev.jgi.conformance;

import dev.jgi.conformance.junit.ConformanceSuite;
import dev.jgi.gateway.Threads;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The conformance suite against core's reference server, exactly as a server author would run it
 * against theirs. Its JDK deviations are part of its declaration
 * ({@link ReferenceServerUnderTest#DEVIATIONS}), so they are reported as declared deviations here
 * and in the command-line runs alike.
 */
class ReferenceServerConformanceTest extends ConformanceSuite {

    @Override
    protected ServerUnderTest server() {
        try {
            // the server log (application errors the cases provoke on purpose) goes next to the results
            Path log = reportDir().resolve("reference-server.log");
            Files.createDirectories(reportDir());
            PrintWriter errors = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true);
            return new ReferenceServerUnderTest(Threads.virtualThreadsAvailable(), errors);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

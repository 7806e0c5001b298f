package dev.jgi.conformance;

import dev.jgi.conformance.junit.ConformanceSuite;
import dev.jgi.gateway.Threads;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The conformance suite against core's reference server, exactly as a server author would run it
 * against theirs.
 */
class ReferenceServerConformanceTest extends ConformanceSuite {

    /**
     * Deviations of the JDK {@code HttpServer} under the reference server that no JGI code can
     * repair; the cases still run, fail, and appear as failures in every report.
     */
    static final Map<String, String> JDK_DEVIATIONS = Map.of(
            "body.chunked-trailers", "the JDK HttpServer closes the connection when a chunked request body has a trailer section"
                    + " (sun.net.httpserver.ChunkedInputStream expects CRLF right after the last chunk)",
            "protocol.expect-http10", "the JDK HttpServer sends 100 Continue to an HTTP/1.0 request with Expect: 100-continue"
                    + " (sun.net.httpserver.ServerImpl checks no version)",
            "path.raw-space", "the JDK HttpServer takes \"GET /a b HTTP/1.1\" as target /a (the rest of the line is dropped),"
                    + " so the reference server cannot see the space",
            "request.absolute-form-empty-path [/]", "the JDK HttpServer answers an absolute-form target with an empty path"
                    + " (http://host?q) with 404 \"No context found\" before any handler");

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

    @Override
    protected Map<String, String> knownDeviations() {
        return JDK_DEVIATIONS;
    }
}

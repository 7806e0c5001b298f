package dev.jgi.samples.war;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.conformance.CaseResult;
import dev.jgi.conformance.Declaration;
import dev.jgi.conformance.Main;
import dev.jgi.conformance.Verdict;
import dev.jgi.conformance.http.HttpConnection;
import dev.jgi.conformance.http.Response;
import dev.jgi.conformance.report.ServerResults;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * What the sample WAR must do on every container it is deployed to: the router's mounts, the
 * environ of the servlet adapter, and JGI's path policy.
 */
abstract class WarChecks {

    /** The context path the WAR is deployed at. */
    static final String CTX = "/jgi-samples";

    static Path war() {
        return Path.of(System.getProperty("jgi.war", "target/jgi-samples.war"));
    }

    static Path work() {
        return Path.of(System.getProperty("jgi.work", "target/it"));
    }

    abstract int port();

    /**
     * Sends {@code request} (which should say {@code Connection: close}) on a new raw connection and
     * reads the response, then up to the close, which must bring nothing more.
     */
    static Response exchange(int port, String request) throws IOException {
        try (HttpConnection c = HttpConnection.open("127.0.0.1", port, "localhost:" + port, "war test", null, 30_000)) {
            Response r = c.sendRaw(request).readResponse(request.substring(0, request.indexOf(' ')));
            assertEquals("", new String(c.readToClose(), StandardCharsets.ISO_8859_1), () -> "bytes after the response " + r);
            return r;
        }
    }

    /** @return the status code and the body of a GET of {@code target}, as {@code "200 body"} */
    static String get(int port, String target) throws IOException {
        Response r = exchange(port, "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        return r.status() + " " + r.text();
    }

    /**
     * Runs the conformance suite's black-box runner (the command line's entry point, talking only
     * HTTP) against the WAR's conformance application, with the declaration written to a
     * declarations file as a server author would (deviations included, so that they are reported
     * as declared deviations), and writes its report next to the others. Fails unless the run has
     * no failure: no case failed, and no declared deviation stopped failing.
     *
     * @param name the server name in the report
     * @param declaration what the server declares
     * @param args other runner options
     * @return the ids of the cases reported as declared deviations
     */
    static Set<String> runConformance(int port, String name, Declaration declaration, String... args) throws Exception {
        Path reportDir = Path.of(System.getProperty("jgi.conformance.reportDir", "target/jgi-conformance"));
        Files.createDirectories(work());
        Path declarations = work().resolve(ServerResults.fileName(name) + ".properties");
        try (java.io.Writer w = Files.newBufferedWriter(declarations, StandardCharsets.UTF_8)) {
            declaration.toProperties().store(w, "the declaration of " + name);
        }
        List<String> all = new ArrayList<>(List.of("--url", "http://127.0.0.1:" + port + CTX + "/conformance",
                "--name", name, "--declarations", declarations.toString(), "--report-dir", reportDir.toString()));
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Main.run(all.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        ServerResults results = ServerResults.read(reportDir.resolve(ServerResults.fileName(name) + ".json"));
        assertEquals(name, results.server());
        assertEquals(declaration.asMap(), results.declaration(), "the run used the declaration");
        Set<String> failed = new TreeSet<>();
        Set<String> deviations = new TreeSet<>();
        for (CaseResult r : results.results()) {
            if (r.verdict() == Verdict.FAIL) {
                failed.add(r.caseId() + ": " + r.reason());
            } else if (r.verdict() == Verdict.DEVIATION) {
                deviations.add(r.caseId());
            }
        }
        assertTrue(results.count(Verdict.PASS) > 100, "the runner ran the suite: " + out);
        assertEquals(Set.of(), failed, out.toString(StandardCharsets.UTF_8));
        assertEquals(0, status, out.toString(StandardCharsets.UTF_8));
        return deviations;
    }

    @Test
    void helloIsMounted() throws Exception {
        Response r = exchange(port(), "GET " + CTX + "/hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertEquals(200, r.status());
        assertEquals("Hello, world!\n", r.text());
        assertEquals("14", r.header("Content-Length"));
    }

    @Test
    void indexAtTheContextRootWithoutRedirect() throws Exception {
        String r = get(port(), CTX);
        assertTrue(r.startsWith("200 JGI samples"), r);
        assertTrue(r.contains(CTX + "/environ"), r);
        assertTrue(get(port(), CTX + "/").startsWith("200 JGI samples"));
    }

    @Test
    void environOfTheServletAdapter() throws Exception {
        String r = get(port(), CTX + "/environ/a%20b/caf%C3%A9?x=1+2&y=%2F");
        assertTrue(r.startsWith("200 {"), r);
        assertTrue(r.contains("\"SCRIPT_NAME\": \"" + CTX + "/environ\""), r);
        assertTrue(r.contains("\"PATH_INFO\": \"/a b/café\""), r);
        assertTrue(r.contains("\"QUERY_STRING\": \"x=1+2&y=%2F\""), r);
        assertTrue(r.contains("\"REQUEST_URI\": \"" + CTX + "/environ/a%20b/caf%C3%A9?x=1+2&y=%2F\""), r);
        assertTrue(r.contains("\"SERVER_NAME\": \"localhost\""), r);
        assertTrue(r.contains("\"REMOTE_ADDR\": \"127.0.0.1\""), r);
        assertTrue(r.contains("\"jgi.url_scheme\": \"http\""), r);
    }

    @Test
    void pathPolicyIsJgisNotTheContainers() throws Exception {
        assertTrue(get(port(), CTX + "/environ/a//b").contains("\"PATH_INFO\": \"/a//b\""));
        assertTrue(get(port(), CTX + "/environ/a%25b").contains("\"PATH_INFO\": \"/a%b\""));
        assertTrue(get(port(), CTX + "/environ/a/../b").contains("\"PATH_INFO\": \"/b\""));
        assertEquals(400, exchange(port(), "GET " + CTX + "/environ/%2e%2e/x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n").status());
        assertEquals(400, exchange(port(), "GET " + CTX + "/environ/a%2Fb HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n").status());
    }

    @Test
    void unknownMountIs404FromTheRouter() throws Exception {
        String r = get(port(), CTX + "/nope/x");
        assertTrue(r.startsWith("404 No application is mounted at /nope"), r);
    }
}

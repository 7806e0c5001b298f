package dev.jgi.samples.war;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.conformance.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
     * Runs the conformance suite's black-box runner (the command line's entry point, talking only
     * HTTP) against the WAR's conformance application, writes its report next to the others, and
     * returns the ids of the failed cases.
     *
     * @param name the server name in the report
     * @param args declarations and other runner options
     * @return the failed case ids
     */
    static Set<String> runConformance(int port, String name, String... args) throws Exception {
        Path reportDir = Path.of(System.getProperty("jgi.conformance.reportDir", "target/jgi-conformance"));
        List<String> all = new ArrayList<>(List.of("--url", "http://127.0.0.1:" + port + CTX + "/conformance",
                "--name", name, "--report-dir", reportDir.toString()));
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Main.run(all.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        String json = Files.readString(reportDir.resolve(name + ".json"), StandardCharsets.UTF_8);
        Set<String> failed = new TreeSet<>();
        int passed = 0;
        Matcher m = Pattern.compile("\"case\": \"([^\"]+)\".*?\"verdict\": \"([a-z-]+)\"", Pattern.DOTALL).matcher(json);
        while (m.find()) {
            if (m.group(2).equals("fail")) {
                failed.add(m.group(1));
            } else if (m.group(2).equals("pass")) {
                passed++;
            }
        }
        assertTrue(passed > 100, "the runner ran the suite: " + out);
        assertEquals(failed.isEmpty() ? 0 : 1, status, out.toString(StandardCharsets.UTF_8));
        return failed;
    }

    @Test
    void helloIsMounted() throws Exception {
        Http r = Http.exchange(port(), "GET " + CTX + "/hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertEquals(200, r.status);
        assertEquals("Hello, world!\n", r.body);
        assertEquals("14", r.header("Content-Length"));
    }

    @Test
    void indexAtTheContextRootWithoutRedirect() throws Exception {
        String r = Http.get(port(), CTX);
        assertTrue(r.startsWith("200 JGI samples"), r);
        assertTrue(r.contains(CTX + "/environ"), r);
        assertTrue(Http.get(port(), CTX + "/").startsWith("200 JGI samples"));
    }

    @Test
    void environOfTheServletAdapter() throws Exception {
        String r = Http.get(port(), CTX + "/environ/a%20b/caf%C3%A9?x=1+2&y=%2F");
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
        assertTrue(Http.get(port(), CTX + "/environ/a//b").contains("\"PATH_INFO\": \"/a//b\""));
        assertTrue(Http.get(port(), CTX + "/environ/a%25b").contains("\"PATH_INFO\": \"/a%b\""));
        assertTrue(Http.get(port(), CTX + "/environ/a/../b").contains("\"PATH_INFO\": \"/b\""));
        assertEquals(400, Http.exchange(port(), "GET " + CTX + "/environ/%2e%2e/x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n").status);
        assertEquals(400, Http.exchange(port(), "GET " + CTX + "/environ/a%2Fb HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n").status);
    }

    @Test
    void unknownMountIs404FromTheRouter() throws Exception {
        String r = Http.get(port(), CTX + "/nope/x");
        assertTrue(r.startsWith("404 No application is mounted at /nope"), r);
    }
}

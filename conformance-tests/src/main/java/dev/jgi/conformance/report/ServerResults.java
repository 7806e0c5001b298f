package dev.jgi.conformance.report;

import dev.jgi.conformance.CaseResult;
import dev.jgi.conformance.Declaration;
import dev.jgi.conformance.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every result of one server: its name, its declaration, when and on which Java it ran, and the
 * case results at every mount. Stored as {@code <server>.json}; the HTML matrix reads every such
 * file in a directory.
 */
public final class ServerResults {

    private final String server;
    private final Map<String, String> declaration;
    private final String generated;
    private final String java;
    private final List<CaseResult> results;

    /**
     * Creates the results of a run that just happened.
     *
     * @param server the server name
     * @param declaration its declaration
     * @param results the case results
     */
    public ServerResults(String server, Declaration declaration, List<CaseResult> results) {
        this(server, declaration.asMap(), Instant.now().toString(), System.getProperty("java.version"), results);
    }

    private ServerResults(String server, Map<String, String> declaration, String generated, String java, List<CaseResult> results) {
        this.server = Objects.requireNonNull(server);
        this.declaration = new LinkedHashMap<>(declaration);
        this.generated = generated;
        this.java = java;
        this.results = List.copyOf(results);
    }

    /** @return the server name */
    public String server() {
        return server;
    }

    /** @return the declaration as property key to value */
    public Map<String, String> declaration() {
        return declaration;
    }

    /** @return when the run finished, ISO-8601 */
    public String generated() {
        return generated;
    }

    /** @return the Java version the suite ran on */
    public String java() {
        return java;
    }

    /** @return the case results */
    public List<CaseResult> results() {
        return results;
    }

    /**
     * @param v a verdict
     * @return how many results have it
     */
    public long count(Verdict v) {
        return results.stream().filter(r -> r.verdict() == v).count();
    }

    /** @return whether no case failed */
    public boolean passed() {
        return count(Verdict.FAIL) == 0;
    }

    /** @return the results as a JSON-ready map */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "jgi-conformance-results/1");
        m.put("server", server);
        m.put("declaration", declaration);
        m.put("generated", generated);
        m.put("java", java);
        Map<String, Object> counts = new LinkedHashMap<>();
        for (Verdict v : Verdict.values()) {
            counts.put(v.id(), count(v));
        }
        m.put("counts", counts);
        List<Object> rs = new ArrayList<>();
        for (CaseResult r : results) {
            rs.add(r.toMap());
        }
        m.put("results", rs);
        return m;
    }

    /**
     * Reads results written by {@link #write}.
     *
     * @param m the JSON object
     * @return the results
     */
    public static ServerResults fromMap(Map<String, Object> m) {
        Map<String, String> decl = new LinkedHashMap<>();
        Object d = m.get("declaration");
        if (d instanceof Map) {
            ((Map<?, ?>) d).forEach((k, v) -> decl.put(String.valueOf(k), String.valueOf(v)));
        }
        List<CaseResult> rs = new ArrayList<>();
        Object r = m.get("results");
        if (r instanceof List) {
            for (Object o : (List<?>) r) {
                rs.add(CaseResult.fromMap((Map<?, ?>) o));
            }
        }
        return new ServerResults(String.valueOf(m.get("server")), decl, String.valueOf(m.get("generated")),
                String.valueOf(m.get("java")), rs);
    }

    /**
     * Writes {@code <dir>/<server>.json}.
     *
     * @param dir the directory, created if needed
     * @return the file written
     * @throws IOException if writing failed
     */
    public Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path p = dir.resolve(fileName(server) + ".json");
        Files.writeString(p, Json.writePretty(toMap()), StandardCharsets.UTF_8);
        return p;
    }

    /**
     * Reads a result file.
     *
     * @param file the file
     * @return the results
     * @throws IOException if reading failed
     */
    public static ServerResults read(Path file) throws IOException {
        return fromMap(Json.parseObject(Files.readString(file, StandardCharsets.UTF_8)));
    }

    /**
     * Reads every {@code *.json} result file in a directory, sorted by server name.
     *
     * @param dir the directory
     * @return the results; files that are not result files are skipped
     * @throws IOException if the directory cannot be listed
     */
    public static List<ServerResults> readAll(Path dir) throws IOException {
        List<ServerResults> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files.sorted()::iterator) {
                if (!p.getFileName().toString().endsWith(".json")) {
                    continue;
                }
                try {
                    Map<String, Object> m = Json.parseObject(Files.readString(p, StandardCharsets.UTF_8));
                    if ("jgi-conformance-results/1".equals(m.get("format"))) {
                        out.add(fromMap(m));
                    }
                } catch (IllegalArgumentException e) {
                    // not a result file
                }
            }
        }
        out.sort((a, b) -> a.server.compareTo(b.server));
        return out;
    }

    /**
     * @param server a server name
     * @return a safe file name for it
     */
    public static String fileName(String server) {
        return server.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}

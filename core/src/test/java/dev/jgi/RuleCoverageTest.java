package dev.jgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.commons.annotation.Testable;

/**
 * The meta-test of issue 2's "Done when": every rule in SPEC.md's Rule Index has tests, found
 * through the {@link Covers} tags of the compiled test classes.
 *
 * <ul>
 *   <li>A rule that binds the <b>server</b> needs an in-process test (TestClient, Gateway,
 *       EnvironBuilder, RequestPath, BodyInput) and a test on the reference server over real HTTP,
 *       whatever its "checked by" column says: the conformance suite is another module.</li>
 *   <li>A rule that binds the <b>application</b> needs a Validator test that makes a broken
 *       application (or server) fail with the rule's name.</li>
 *   <li>A rule that binds <b>middleware</b> needs an in-process test with a middleware.</li>
 * </ul>
 *
 * A party's requirement may be waived only through {@link #WAIVERS}, with the reason. A rule added
 * to SPEC.md without tests fails here. The table of which tests cover which rule is written to
 * {@code target/rule-coverage.md} and must equal {@code core/RULE-COVERAGE.md}; run with
 * {@code -Djgi.rule-coverage.update=true} to rewrite that file after changing tags.
 */
class RuleCoverageTest {

    /** Where a tagged test exercises its rules, decided by the test class's package. */
    enum Via {
        IN_PROCESS("In-process (TestClient / gateway)"),
        REFERENCE_SERVER("Reference server (real HTTP)"),
        VALIDATOR("Validator");

        final String title;

        Via(String title) {
            this.title = title;
        }

        static Via of(Class<?> testClass) {
            switch (testClass.getPackageName()) {
                case "dev.jgi.server":
                    return REFERENCE_SERVER;
                case "dev.jgi.validate":
                    return VALIDATOR;
                case "dev.jgi.gateway":
                case "dev.jgi.testing":
                case "dev.jgi.util":
                    return IN_PROCESS;
                default:
                    return null;
            }
        }
    }

    /** One row of the Rule Index. */
    record Rule(String name, String summary, List<String> binds, String checkedBy) {
    }

    /** A party's requirement that is not met on purpose, and why. */
    record Waiver(String rule, String party, String reason) {
        String key() {
            return rule + "/" + party;
        }
    }

    /**
     * Requirements that no test can meet. Each entry says why; an entry whose requirement becomes
     * met, or whose rule leaves the index, fails {@link #everyWaiverIsStillNeeded()}.
     */
    static final List<Waiver> WAIVERS = List.of(
            // advice to applications that no run-time check can observe (SPEC.md "checked by: —")
            new Waiver("headers.hop-by-hop", "app",
                    "advice: applications must not rely on inbound hop-by-hop fields; reliance is not observable"),
            new Waiver("body.chunk-reuse", "app",
                    "not checked mechanically (SPEC: —): the Validator would have to copy and compare every chunk"),
            new Waiver("body.close", "app",
                    "not checked mechanically (SPEC: —): whether close() would work on another path is not observable"),
            new Waiver("thread.threadlocal", "app",
                    "advice: what an application keeps in a ThreadLocal is not observable from outside"),
            new Waiver("thread.pinning", "app",
                    "advice: blocking inside synchronized is a performance property of application code"),
            new Waiver("start.exc-info", "app",
                    "the application side is intent (excInfo only from a catch block, for the caught error); "
                            + "the replacement call's status and headers are checked under start.status and start.headers"),
            new Waiver("file.close", "app",
                    "the channel belongs to the application's code; the Validator never sees it being closed or used"));

    private static final Pattern ROW = Pattern.compile(
            "^\\| \\[`([a-z0-9.-]+)`\\]\\(#([a-z0-9.-]+)\\) \\| (.+?) \\| ([a-z, ]+) \\| (.+?) \\|$");
    private static final Pattern DEFINITION = Pattern.compile("<a id=\"([a-z0-9-]+\\.[a-z0-9.-]+)\"></a>\\s*\\*\\*\\[([a-z0-9.-]+)\\]\\*\\*");
    private static final Set<String> PARTIES = Set.of("server", "app", "middleware");

    private static Path spec;
    private static String specText;
    private static Map<String, Rule> rules;
    /** rule -> via -> "Class.method" entries, sorted. */
    private static Map<String, Map<Via, Set<String>>> coverage;
    private static List<String> tagProblems;

    @BeforeAll
    static void scan() throws Exception {
        spec = findSpec();
        specText = Files.readString(spec, StandardCharsets.UTF_8);
        rules = parseIndex(specText);
        coverage = new TreeMap<>();
        tagProblems = new ArrayList<>();
        for (Class<?> c : testClasses()) {
            Covers onClass = c.getAnnotation(Covers.class);
            List<Method> tests = Arrays.stream(c.getDeclaredMethods()).filter(RuleCoverageTest::isTest).collect(Collectors.toList());
            if (onClass != null) {
                if (tests.isEmpty()) {
                    tagProblems.add(c.getName() + ": @Covers on a class without test methods");
                }
                record(c, c.getSimpleName() + " (class)", onClass);
            }
            for (Method m : c.getDeclaredMethods()) {
                Covers tag = m.getAnnotation(Covers.class);
                if (tag == null) {
                    continue;
                }
                if (!isTest(m)) {
                    tagProblems.add(c.getName() + "." + m.getName() + ": @Covers on a method that is not a test");
                }
                record(c, label(c) + "." + m.getName(), tag);
            }
        }
    }

    private static void record(Class<?> c, String label, Covers tag) {
        Via via = Via.of(c);
        if (via == null) {
            tagProblems.add(label + ": @Covers in package " + c.getPackageName()
                    + ", which is neither in-process, reference-server nor validator tests");
            return;
        }
        if (tag.value().length == 0) {
            tagProblems.add(label + ": @Covers without rule names");
        }
        for (String rule : tag.value()) {
            if (!rules.containsKey(rule)) {
                tagProblems.add(label + ": \"" + rule + "\" is not a rule of SPEC.md's Rule Index");
                continue;
            }
            coverage.computeIfAbsent(rule, r -> new EnumMap<>(Via.class))
                    .computeIfAbsent(via, v -> new TreeSet<>()).add(label);
        }
    }

    private static String label(Class<?> c) {
        Class<?> top = c;
        StringBuilder name = new StringBuilder(c.getSimpleName());
        while (top.getEnclosingClass() != null) {
            top = top.getEnclosingClass();
            name.insert(0, top.getSimpleName() + ".");
        }
        return name.toString();
    }

    /**
     * JUnit's @Test, @ParameterizedTest, @RepeatedTest and @TestFactory are all (meta-)annotated
     * with @Testable, @ParameterizedTest through @TestTemplate.
     */
    private static boolean isTest(Method m) {
        for (Annotation a : m.getAnnotations()) {
            if (isTestable(a.annotationType(), new java.util.HashSet<>())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTestable(Class<? extends Annotation> type, Set<Class<?>> seen) {
        if (type == Testable.class) {
            return true;
        }
        if (!seen.add(type)) {
            return false;
        }
        for (Annotation meta : type.getAnnotations()) {
            if (isTestable(meta.annotationType(), seen)) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ the checks

    @Test
    void ruleIndexListsEveryDefinedRuleWithItsParties() {
        assertTrue(rules.size() >= 100, "the Rule Index of " + spec + " has only " + rules.size() + " rules; parsing broke?");
        Set<String> defined = new TreeSet<>();
        Matcher m = DEFINITION.matcher(specText);
        while (m.find()) {
            assertEquals(m.group(1), m.group(2), "anchor and bold name differ");
            defined.add(m.group(1));
        }
        assertEquals(new TreeSet<>(rules.keySet()), defined,
                "every rule defined in the text (<a id> + **[name]**) must be in the Rule Index, and the reverse");
        for (Rule r : rules.values()) {
            assertTrue(PARTIES.containsAll(r.binds()), r + ": unknown party");
        }
    }

    @Test
    void everyTagNamesARuleAndSitsOnATest() {
        assertTrue(tagProblems.isEmpty(), () -> "bad @Covers tags:\n  " + String.join("\n  ", tagProblems));
    }

    @Test
    void everyRuleHasTheTestsItsPartiesNeed() {
        Map<String, String> waived = waivers();
        List<String> missing = new ArrayList<>();
        for (Rule r : rules.values()) {
            for (String party : r.binds()) {
                if (waived.containsKey(r.name() + "/" + party)) {
                    continue;
                }
                for (Via via : required(party)) {
                    if (tests(r.name(), via).isEmpty()) {
                        missing.add(r.name() + " (binds " + party + "): no " + via.title + " test");
                    }
                }
            }
        }
        assertTrue(missing.isEmpty(), () -> missing.size() + " rule requirement(s) without a @Covers test:\n  "
                + String.join("\n  ", missing));
    }

    @Test
    void everyWaiverIsStillNeeded() {
        List<String> stale = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Waiver w : WAIVERS) {
            if (!seen.add(w.key())) {
                stale.add(w.key() + ": listed twice");
            }
            Rule r = rules.get(w.rule());
            if (r == null || !r.binds().contains(w.party())) {
                stale.add(w.key() + ": no such rule and party in the Rule Index");
                continue;
            }
            boolean met = required(w.party()).stream().noneMatch(via -> tests(w.rule(), via).isEmpty());
            if (met) {
                stale.add(w.key() + ": now has its tests; remove the waiver");
            }
        }
        assertTrue(stale.isEmpty(), () -> "stale waivers:\n  " + String.join("\n  ", stale));
    }

    @Test
    void coverageTableIsCurrent() throws IOException {
        String table = table();
        Path generated = Path.of("target", "rule-coverage.md");
        Files.createDirectories(generated.getParent());
        Files.writeString(generated, table, StandardCharsets.UTF_8);
        Path committed = spec.getParent().resolve("core").resolve("RULE-COVERAGE.md");
        if (Boolean.getBoolean("jgi.rule-coverage.update")) {
            Files.writeString(committed, table, StandardCharsets.UTF_8);
        }
        String current = Files.exists(committed) ? Files.readString(committed, StandardCharsets.UTF_8) : "";
        assertTrue(current.equals(table), () -> committed + " is out of date: compare it with " + generated.toAbsolutePath()
                + ", or rerun this test with -Djgi.rule-coverage.update=true");
    }

    // ------------------------------------------------------------------ helpers

    private static List<Via> required(String party) {
        switch (party) {
            case "server":
                return List.of(Via.IN_PROCESS, Via.REFERENCE_SERVER);
            case "app":
                return List.of(Via.VALIDATOR);
            case "middleware":
                return List.of(Via.IN_PROCESS);
            default:
                throw new IllegalArgumentException(party);
        }
    }

    private static Set<String> tests(String rule, Via via) {
        return coverage.getOrDefault(rule, Map.of()).getOrDefault(via, Set.of());
    }

    private static Map<String, String> waivers() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Waiver w : WAIVERS) {
            m.put(w.key(), w.reason());
        }
        return m;
    }

    private static String table() {
        Map<String, String> waived = waivers();
        StringBuilder sb = new StringBuilder();
        sb.append("# Rule coverage of the JGI core tests\n\n");
        sb.append("Generated by `dev.jgi.RuleCoverageTest` from SPEC.md's Rule Index and the `@Covers` tags of the\n");
        sb.append("compiled tests (`core/src/test/java`). Do not edit by hand: change the tags, then run\n");
        sb.append("`mvn -o -q -pl core test -Dtest=RuleCoverageTest -Djgi.rule-coverage.update=true`.\n\n");
        sb.append("- **In-process**: through the TestClient, or directly on the shared gateway (Gateway, EnvironBuilder,\n");
        sb.append("  RequestPath, BodyInput); test classes in `dev.jgi.gateway`, `dev.jgi.testing`, `dev.jgi.util`.\n");
        sb.append("- **Reference server**: `dev.jgi.server.ReferenceServer` over real HTTP (java.net.http.HttpClient,\n");
        sb.append("  raw sockets); test classes in `dev.jgi.server`.\n");
        sb.append("- **Validator**: a broken party fails with the rule's name; test classes in `dev.jgi.validate`.\n\n");
        sb.append("A rule that binds the server needs both of the first two; one that binds the application needs a\n");
        sb.append("Validator test; one that binds middleware needs an in-process test with a middleware. The waived\n");
        sb.append("requirements are listed after the table.\n\n");
        int tagged = 0;
        for (Map<Via, Set<String>> m : coverage.values()) {
            for (Set<String> s : m.values()) {
                tagged += s.size();
            }
        }
        sb.append(rules.size()).append(" rules; ").append(tagged).append(" (rule, test) pairs.\n\n");
        sb.append("| Rule | Binds | Checked by (SPEC) |");
        for (Via via : Via.values()) {
            sb.append(' ').append(via.title).append(" |");
        }
        sb.append("\n|---|---|---|---|---|---|\n");
        for (Rule r : rules.values()) {
            sb.append("| `").append(r.name()).append("` | ").append(String.join(", ", r.binds())).append(" | ")
                    .append(r.checkedBy()).append(" |");
            for (Via via : Via.values()) {
                Set<String> t = tests(r.name(), via);
                List<String> cell = new ArrayList<>(t);
                for (String party : r.binds()) {
                    if (required(party).contains(via) && waived.containsKey(r.name() + "/" + party)) {
                        cell.add("*waived (" + party + ")*");
                    }
                }
                sb.append(' ').append(cell.isEmpty() ? "" : String.join("<br>", cell)).append(" |");
            }
            sb.append('\n');
        }
        sb.append("\n## Waived requirements\n\n| Rule | Party | Reason |\n|---|---|---|\n");
        for (Waiver w : WAIVERS) {
            sb.append("| `").append(w.rule()).append("` | ").append(w.party()).append(" | ").append(w.reason()).append(" |\n");
        }
        return sb.toString();
    }

    static Map<String, Rule> parseIndex(String text) {
        int start = text.indexOf("\n## Rule Index");
        if (start < 0) {
            fail("SPEC.md has no \"## Rule Index\" section");
        }
        Map<String, Rule> out = new LinkedHashMap<>();
        for (String line : text.substring(start).split("\n")) {
            if (!line.startsWith("| [`")) {
                continue;
            }
            Matcher m = ROW.matcher(line);
            if (!m.matches()) {
                fail("unparsable Rule Index row: " + line);
            }
            assertEquals(m.group(1), m.group(2), "rule name and anchor differ: " + line);
            List<String> binds = Stream.of(m.group(4).split(",")).map(String::trim).collect(Collectors.toList());
            if (out.put(m.group(1), new Rule(m.group(1), m.group(3), binds, m.group(5))) != null) {
                fail("rule listed twice: " + m.group(1));
            }
        }
        return out;
    }

    private static Path findSpec() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve("SPEC.md");
            if (Files.isRegularFile(p) && Files.isDirectory(dir.resolve("core"))) {
                return p;
            }
        }
        throw new AssertionError("SPEC.md not found above " + Path.of("").toAbsolutePath());
    }

    private static List<Class<?>> testClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(RuleCoverageTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> names;
        try (Stream<Path> files = Files.walk(root)) {
            names = files.filter(p -> p.toString().endsWith(".class"))
                    .map(p -> root.relativize(p).toString())
                    .map(s -> s.substring(0, s.length() - ".class".length()).replace(root.getFileSystem().getSeparator(), "."))
                    .filter(n -> !n.endsWith("module-info") && !n.endsWith("package-info"))
                    .sorted()
                    .collect(Collectors.toList());
        }
        List<Class<?>> out = new ArrayList<>();
        ClassLoader loader = RuleCoverageTest.class.getClassLoader();
        for (String n : names) {
            out.add(Class.forName(n, false, loader));
        }
        return out;
    }
}

package dev.jgi.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.conformance.cases.Cases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The cases against SPEC.md's Rule Index: every rule a case cites exists, and every rule that binds
 * servers and that the index assigns to the conformance suite ("conformance" or "both") is covered
 * by at least one case. The rules that cannot be checked over HTTP are listed here with the reason;
 * the test fails if one of them becomes covered (so the list stays exact) or a new gap appears.
 */
class SpecCoverageTest {

    /** Server rules assigned to the suite that no case can check over HTTP, and why. */
    static final Map<String, String> GAPS = Map.of();

    private static final Pattern ROW = Pattern.compile("^\\| \\[`([a-z0-9.-]+)`\\]\\(#[^)]*\\) \\| (.*?) \\| (.*?) \\| (.*?) \\|$");

    static Map<String, String[]> ruleIndex() throws Exception {
        Path spec = Paths.get("..", "SPEC.md");
        Assumptions.assumeTrue(Files.exists(spec), "SPEC.md is not next to the module (built outside the repository)");
        String text = Files.readString(spec, StandardCharsets.UTF_8);
        int at = text.indexOf("\n## Rule Index");
        assertTrue(at > 0, "SPEC.md has a Rule Index");
        Map<String, String[]> rules = new LinkedHashMap<>();
        for (String line : text.substring(at).split("\n")) {
            Matcher m = ROW.matcher(line.trim());
            if (m.matches()) {
                rules.put(m.group(1), new String[] {m.group(2), m.group(3), m.group(4)});
            }
        }
        assertTrue(rules.size() > 50, "parsed the Rule Index: " + rules.size() + " rules");
        return rules;
    }

    @Test
    void everyCitedRuleIsInTheRuleIndex() throws Exception {
        Set<String> index = ruleIndex().keySet();
        Map<String, String> unknown = new TreeMap<>();
        for (ConformanceCase c : Cases.all()) {
            for (String r : c.rules()) {
                if (!index.contains(r)) {
                    unknown.put(r, c.id());
                }
            }
            assertTrue(!c.rules().isEmpty(), c.id() + " cites no rule");
        }
        assertEquals(Map.of(), unknown, "rules cited by cases but missing from SPEC.md's Rule Index (rule -> case)");
    }

    @Test
    void everyServerRuleForTheSuiteIsCovered() throws Exception {
        Set<String> cited = new TreeSet<>();
        for (ConformanceCase c : Cases.all()) {
            cited.addAll(c.rules());
        }
        Set<String> uncovered = new TreeSet<>();
        for (Map.Entry<String, String[]> e : ruleIndex().entrySet()) {
            String binds = e.getValue()[1];
            String checkedBy = e.getValue()[2];
            boolean forSuite = checkedBy.equals("conformance") || checkedBy.equals("both");
            if (binds.contains("server") && forSuite && !cited.contains(e.getKey())) {
                uncovered.add(e.getKey());
            }
        }
        assertEquals(new TreeSet<>(GAPS.keySet()), uncovered,
                "server rules the Rule Index assigns to the conformance suite, without a case (known gaps: " + GAPS + ")");
    }
}

package dev.jgi.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.jgi.Covers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Keeps the {@link Covers} tag of {@link RuleCasesTest#brokenVariantFailsWithItsRule} honest: one
 * parameterized test covers many rules, one case each, so its tag must name exactly the rules
 * that have a broken-variant case (and are rules of SPEC.md).
 */
class RuleCasesCoversTest {

    /** Validator rule names that SPEC.md's Rule Index does not have (reported to the lead); none now. */
    static final Set<String> NOT_IN_SPEC = Set.of();

    @Test
    void theTagNamesExactlyTheRulesThatHaveCases() throws Exception {
        Covers tag = RuleCasesTest.class.getDeclaredMethod("brokenVariantFailsWithItsRule", RuleCasesTest.Case.class)
                .getAnnotation(Covers.class);
        Set<String> tagged = new TreeSet<>(Set.of(tag.value()));
        Set<String> withCases = RuleCasesTest.cases().map(RuleCasesTest.Case::rule)
                .filter(r -> !NOT_IN_SPEC.contains(r)).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(withCases, tagged);
    }

    @Test
    void theRulesLeftOutAreReallyNotInTheSpec() throws Exception {
        String spec = Files.readString(Path.of("..", "SPEC.md"));
        for (String rule : NOT_IN_SPEC) {
            assertFalse(spec.contains("[`" + rule + "`]"), rule + " is in SPEC.md now: tag it in RuleCasesTest");
        }
    }
}

package dev.jgi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the SPEC.md rules (the anchors of its Rule Index, for example {@code "path.nul"}) that a
 * test exercises. {@link RuleCoverageTest} reads these tags from the compiled test classes and
 * fails when a rule lacks the tests its binding party needs.
 *
 * <p>What a tag counts as depends on the package of the test class:
 * <ul>
 *   <li>{@code dev.jgi.server}: on the reference server, over real HTTP (HttpClient or raw sockets);</li>
 *   <li>{@code dev.jgi.gateway}, {@code dev.jgi.testing}, {@code dev.jgi.util}: in-process, through
 *       the TestClient or directly on the shared gateway (Gateway, EnvironBuilder, RequestPath,
 *       BodyInput);</li>
 *   <li>{@code dev.jgi.validate}: a Validator test that makes a broken party fail with the rule's
 *       name.</li>
 * </ul>
 * Tag only what the test really checks: a tag is a claim that the test fails when the rule is
 * broken.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Covers {

    /** @return the rule names, exactly as in SPEC.md's Rule Index */
    String[] value();
}

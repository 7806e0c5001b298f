package dev.jgi.conformance;

import dev.jgi.Application;
import dev.jgi.conformance.app.ConformanceApplication;

/**
 * The conformance application: the one JGI application every case talks to, to be hosted by the
 * server under test, unchanged. In-process suites get it from the suite; black-box deployments
 * (a WAR, a standalone server) host {@code ConformanceApp.create()} at any mount prefix and point
 * the runner's {@code --url} at it.
 *
 * <p>It is always wrapped in the core validator ({@code dev.jgi.validate.Validator.wrap}), and it
 * reports what happens server-side (close counts, validator errors, its own assertions) through
 * a journal the client reads over HTTP.
 */
public final class ConformanceApp {

    private ConformanceApp() {
    }

    /**
     * Creates a new conformance application with its own journal.
     *
     * @return the application
     */
    public static Application create() {
        return ConformanceApplication.create();
    }
}

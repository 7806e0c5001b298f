package dev.jgi.conformance.app;

import dev.jgi.Application;
import dev.jgi.validate.Validator;

/**
 * Assembles the conformance application: {@code Harness -> Validator -> Router}, sharing one
 * {@link Journal}. Use {@link dev.jgi.conformance.ConformanceApp#create()}.
 */
public final class ConformanceApplication {

    private ConformanceApplication() {
    }

    /**
     * Creates a new conformance application with its own journal.
     *
     * @return the application
     */
    public static Application create() {
        Journal journal = new Journal();
        return new Harness(validated(new Router(journal)), journal);
    }

    private static Application validated(Application app) {
        return Validator.wrap(app);
    }
}

package dev.jgi.conformance.app;

import dev.jgi.Application;

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

    // TEMPORARY until dev.jgi.validate.Validator lands on main: then this becomes Validator.wrap(app).
    private static Application validated(Application app) {
        try {
            Class<?> v = Class.forName("dev.jgi.validate.Validator");
            return (Application) v.getMethod("wrap", Application.class).invoke(null, app);
        } catch (ClassNotFoundException e) {
            return app;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}

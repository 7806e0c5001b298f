package dev.jgi.samples.war;

import dev.jgi.Application;
import dev.jgi.conformance.ConformanceApp;

/** The conformance suite's application, which the black-box runner drives over HTTP. */
final class ConformanceMount {

    private ConformanceMount() {
    }

    /** @return a new conformance application */
    static Application application() {
        return ConformanceApp.create();
    }
}

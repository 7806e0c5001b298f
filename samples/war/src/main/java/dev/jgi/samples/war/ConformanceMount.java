package dev.jgi.samples.war;

import dev.jgi.Application;

/** Finds the conformance suite's application, which the black-box runner drives over HTTP. */
final class ConformanceMount {

    private ConformanceMount() {
    }

    /** @return the conformance application, or {@code null} while the suite is not packaged */
    static Application application() {
        return null;
    }
}

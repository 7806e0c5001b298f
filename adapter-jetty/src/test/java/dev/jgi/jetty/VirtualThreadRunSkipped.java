package dev.jgi.jetty;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Stands in for the virtual-thread test run when its JDK is not installed: it is skipped and says
 * why, so the missing run is visible in the build log instead of silently absent. Only the
 * {@code virtual-threads-unavailable} profile of this module's pom runs it.
 */
class VirtualThreadRunSkipped {

    @Test
    void virtualThreadRun() {
        String reason = "virtual-thread test run skipped: no JDK 21+ at " + System.getProperty("jgi.vt.jdk")
                + "; the platform-thread run still ran";
        System.out.println("[WARNING] " + reason);
        Assumptions.abort(reason);
    }
}

package dev.jgi.validate;

import java.io.PrintWriter;

/**
 * The {@code jgi.errors} the application sees: writes go straight to the server's writer (this
 * one holds no buffer and does not auto-flush, so the server's own record boundaries stay where
 * the application's {@code flush()} puts them), and {@code close()} is a rule violation.
 */
final class CheckedErrors extends PrintWriter {

    CheckedErrors(PrintWriter server) {
        super(server, false);
    }

    @Override
    public void close() {
        throw Rules.application(Rules.ERRORS_CLOSE, "the application closed jgi.errors; the server owns the error stream");
    }
}

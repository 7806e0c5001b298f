package dev.jgi.conformance;

/**
 * Thrown by a case's check when the server did not do what SPEC.md requires. The message is the
 * reason shown in every report, so it says what was expected and what arrived.
 */
public final class CheckFailed extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the failure.
     *
     * @param message what was expected and what was seen
     */
    public CheckFailed(String message) {
        super(message);
    }
}

package dev.jgi.gateway;

/**
 * A request the gateway refuses before calling the application, with the status to answer:
 * 400 for a path SPEC.md does not allow (an encoded slash, invalid UTF-8, an encoded dot-segment),
 * 404 for a path outside the mount point, 413 for a body over the configured limit.
 */
public class RequestRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * Creates the exception.
     *
     * @param status the status to answer, for example 400
     * @param message the reason, safe to show to the client
     */
    public RequestRejectedException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** @return the status to answer */
    public int status() {
        return status;
    }
}

package dev.jgi.gateway;

import java.io.IOException;

/**
 * Thrown from {@code jgi.input} when a request body grows past the server's configured limit.
 * If the application lets it propagate before the response is committed, the gateway answers
 * 413 Content Too Large instead of 500.
 */
public class RequestBodyTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long limit;

    /**
     * Creates the exception.
     *
     * @param limit the configured limit in bytes
     */
    public RequestBodyTooLargeException(long limit) {
        super("request body is larger than the limit of " + limit + " bytes");
        this.limit = limit;
    }

    /** @return the configured limit in bytes */
    public long limit() {
        return limit;
    }
}

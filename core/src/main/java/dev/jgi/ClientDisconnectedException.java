package dev.jgi;

import java.io.IOException;

/**
 * Signals that the client went away while the server was sending the response or reading the
 * request body. Applications see it from {@link Write#write} and from {@code jgi.input}; the server
 * still closes the body.
 */
public class ClientDisconnectedException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what the server was doing
     * @param cause the server's own exception
     */
    public ClientDisconnectedException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.jgi;

import java.io.IOException;

/**
 * The legacy {@code write} callable returned by {@link StartResponse#start}, for applications that
 * must push output imperatively (PEP 3333 keeps it for the same reason). New applications should
 * return their output as a {@link Body} instead.
 *
 * <p>When {@code write} returns, the bytes have been sent or handed to the operating system. Data
 * written this way goes out before anything the returned body yields. It must not be called from
 * inside the body's iteration.
 */
@FunctionalInterface
public interface Write {

    /**
     * Sends bytes now, committing the status and headers first if they have not been sent yet.
     *
     * @param data the bytes; the server does not keep a reference after returning
     * @throws IOException if the client has gone away ({@link ClientDisconnectedException}) or the
     *     connection failed
     */
    void write(byte[] data) throws IOException;
}

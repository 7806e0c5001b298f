package dev.jgi;

import java.util.List;

/**
 * The {@code start_response} callback a server passes to {@link Application#call}.
 *
 * <p>It records the status and headers; it does not send them. The server sends them just before
 * the first non-empty body chunk (or when the body ends), so until then the application may replace
 * them by calling again with an {@code excInfo}. SPEC.md section "start_response" has the rules.
 */
@FunctionalInterface
public interface StartResponse {

    /**
     * Sets, or with {@code excInfo} replaces, the response status and headers.
     *
     * @param status a status line such as {@code "200 OK"}: three digits, one space, a reason phrase
     * @param headers the response headers; the list must not be changed after this call
     * @param excInfo {@code null} on the first call; on a later call, the exception that made the
     *     application change its response. If the headers were already sent, this method throws
     *     {@code excInfo} itself (unchanged, even when it is a checked exception) and the application
     *     must let it propagate.
     * @return the legacy {@link Write} callable
     * @throws ProtocolException if the status or a header breaks SPEC.md, or on a second call without
     *     {@code excInfo}
     */
    Write start(String status, List<Header> headers, Throwable excInfo);

    /**
     * Sets the response status and headers; the same as {@code start(status, headers, null)}.
     *
     * @param status a status line such as {@code "200 OK"}
     * @param headers the response headers
     * @return the legacy {@link Write} callable
     */
    default Write start(String status, List<Header> headers) {
        return start(status, headers, null);
    }
}

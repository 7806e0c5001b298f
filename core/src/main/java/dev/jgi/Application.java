package dev.jgi;

import java.util.Map;

/**
 * A JGI application: the one thing a server calls.
 *
 * <p>The server calls {@link #call} once per request, on a thread it owns, with a fresh mutable
 * <em>environ</em> (see {@link Environ} for its keys) and a {@link StartResponse} callback. The
 * application calls {@code startResponse} with the status and headers, then returns the response
 * {@link Body}: an iterable of byte chunks that the server sends in order and then closes, exactly
 * once, whatever happened. The full contract is in {@code SPEC.md}.
 *
 * <pre>{@code
 * Application hello = (environ, startResponse) -> {
 *     startResponse.start("200 OK", List.of(Header.of("Content-Type", "text/plain")));
 *     return Body.of("Hello, world!\n".getBytes(StandardCharsets.UTF_8));
 * };
 * }</pre>
 *
 * <p>Middleware is an {@code Application} that wraps another one: it may rewrite the environ, wrap
 * {@code startResponse}, and wrap or replace the returned body, as long as it keeps the rules of
 * SPEC.md on both sides (close, Content-Length, header delay).
 */
@FunctionalInterface
public interface Application {

    /**
     * Handles one request.
     *
     * @param environ the request: CGI-style keys plus {@code jgi.*} keys; new and mutable for each call
     * @param startResponse the callback that sets the status and headers; it must be called before the
     *     body yields its first chunk
     * @return the response body, never {@code null}
     * @throws Exception anything; before the response is committed the server answers 500, after that
     *     it aborts the connection
     */
    Body call(Map<String, Object> environ, StartResponse startResponse) throws Exception;
}

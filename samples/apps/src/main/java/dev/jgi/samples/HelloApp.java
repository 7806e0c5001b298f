package dev.jgi.samples;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.Header;
import dev.jgi.StartResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The smallest useful JGI application: answers every request with a plain-text greeting.
 * It runs unchanged on the reference server, in a servlet container, on Jetty and on Undertow.
 */
public final class HelloApp implements Application {

    private static final byte[] HELLO = "Hello, world!\n".getBytes(StandardCharsets.UTF_8);
    private static final List<Header> HEADERS = List.of(Header.of("Content-Type", "text/plain; charset=utf-8"));

    @Override
    public Body call(Map<String, Object> environ, StartResponse startResponse) {
        startResponse.start("200 OK", HEADERS);
        return Body.of(HELLO);
    }
}

package dev.jgi.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.Environ;
import dev.jgi.Header;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The gateway hands the chunk that completes a known Content-Length to
 * {@link ResponseChannel#writeLast}, so a server can end the response in the same write; every
 * other chunk goes to {@link ResponseChannel#write}.
 */
class WriteLastTest {

    private static List<String> serve(List<Header> headers, Body body) {
        List<String> events = new ArrayList<>();
        ResponseChannel ch = new ResponseChannel() {
            @Override
            public void sendHeaders(int status, String reason, List<Header> h, long contentLength, boolean bodyless) {
                events.add("headers " + contentLength);
            }

            @Override
            public void write(byte[] chunk, int offset, int length) {
                events.add("write " + length);
            }

            @Override
            public void writeLast(byte[] chunk, int offset, int length) {
                events.add("last " + length);
            }

            @Override
            public void finish() {
                events.add("finish");
            }

            @Override
            public void abort(Throwable cause) {
                events.add("abort");
            }
        };
        Application app = (env, sr) -> {
            sr.start("200 OK", headers);
            return body;
        };
        Map<String, Object> environ = new HashMap<>();
        environ.put(Environ.REQUEST_METHOD, "GET");
        new Gateway(app).serve(environ, ch);
        return events;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aOneChunkBodyIsWrittenAsTheLast() {
        assertEquals(List.of("headers 5", "last 5", "finish"), serve(List.of(), Body.of(b("hello"))));
    }

    @Test
    void theChunkThatCompletesADeclaredLengthIsTheLast() {
        List<Header> cl = List.of(Header.of("Content-Length", "5"));
        assertEquals(List.of("headers 5", "write 2", "last 3", "finish"),
                serve(cl, Body.from(List.of(b("he"), b("llo")), null)));
        // an over-long chunk is cut at the length, and that cut piece is the last
        assertEquals(List.of("headers 5", "write 2", "last 3", "finish"),
                serve(cl, Body.from(List.of(b("he"), b("llo world")), null)));
    }

    @Test
    void withoutAKnownLengthNothingIsTheLast() {
        assertEquals(List.of("headers -1", "write 2", "write 3", "finish"),
                serve(List.of(), Body.from(List.of(b("he"), b("llo")), null)));
    }
}

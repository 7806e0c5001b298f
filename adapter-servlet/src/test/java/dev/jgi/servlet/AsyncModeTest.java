package dev.jgi.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.Body;
import dev.jgi.Header;
import dev.jgi.Write;
import dev.jgi.conformance.http.HttpConnection;
import dev.jgi.conformance.http.Response;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Async mode specifics on a real Tomcat. */
class AsyncModeTest {

    /**
     * The container's default async timeout (30 s; here shortened to 200 ms) must not cut off a
     * stream: the adapter sets the timeout to none.
     */
    @Test
    void aStreamOutlivesTheContainersAsyncTimeout() throws Exception {
        JgiServlet servlet = new JgiServlet((env, sr) -> {
            Write w = sr.start("200 OK", List.of(Header.of("Content-Type", "text/plain")));
            w.write("before".getBytes(StandardCharsets.UTF_8));
            Thread.sleep(1000); // five times the container's async timeout
            return Body.ofUtf8("after");
        }).mode(JgiServlet.Mode.ASYNC);
        try (TomcatContainer c = TomcatContainer.start(servlet, "", "/*")) {
            c.tomcat().getConnector().setAsyncTimeout(200);
            try (HttpConnection http = Container.connect(c.port())) {
                Response r = http.sendRaw("GET /s HTTP/1.1\r\nHost: h\r\n\r\n").readResponse("GET");
                assertEquals(200, r.status());
                assertTrue(r.complete());
                assertEquals("beforeafter", r.text());
            }
        }
    }
}

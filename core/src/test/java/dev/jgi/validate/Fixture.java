package dev.jgi.validate;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.Header;
import dev.jgi.StartResponse;
import dev.jgi.Write;
import dev.jgi.gateway.BodyInput;
import dev.jgi.gateway.EnvironBuilder;
import dev.jgi.gateway.FileBody;
import dev.jgi.gateway.FileRegion;
import dev.jgi.gateway.Gateway;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** One test request: a well-formed environ built by the real EnvironBuilder, and its error log. */
final class Fixture {
    final StringWriter log = new StringWriter();
    final PrintWriter errors = new PrintWriter(log, true);
    final HashMap<String, Object> environ;

    private Fixture(EnvironBuilder b) {
        try {
            environ = b.errors(errors).build();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static EnvironBuilder builder(String method, String target) {
        return new EnvironBuilder("").method(method).target(target).protocol("HTTP/1.1").scheme("http")
                .header("Host", "example.com").header("Accept", "*/*").remote("127.0.0.1", 50000)
                .fileWrapper(FileBody.WRAPPER);
    }

    /** GET /hello?x=1. */
    static Fixture get() {
        return new Fixture(builder("GET", "/hello?x=1"));
    }

    static Fixture request(String method, String target) {
        return new Fixture(builder(method, target));
    }

    /** A request with a body behind the real BodyInput, CONTENT_LENGTH declared. */
    static Fixture post(byte[] body) {
        return new Fixture(builder("POST", "/form").header("Content-Length", Integer.toString(body.length))
                .header("Content-Type", "text/plain")
                .input(BodyInput.of(new ByteArrayInputStream(body), body.length, false, -1, null)));
    }

    static Fixture of(EnvironBuilder b) {
        return new Fixture(b);
    }

    /** The request served by the real Gateway onto a memory channel. */
    MemoryChannel serve(Application app) {
        MemoryChannel ch = new MemoryChannel();
        new Gateway(app).serve(environ, ch);
        return ch;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<Header> text() {
        return new ArrayList<>(List.of(Header.of("Content-Type", "text/plain")));
    }

    static List<Header> text(int contentLength) {
        List<Header> h = text();
        h.add(Header.of("Content-Length", Integer.toString(contentLength)));
        return h;
    }

    /** An application that answers 200 with {@code body} in one chunk. */
    static Application hello(String body) {
        return (env, start) -> {
            start.start("200 OK", text());
            return Body.ofUtf8(body);
        };
    }

    /**
     * A plain, direct "server" for tests that must see exceptions: calls the app, iterates once (or
     * sends the file region), closes once; start_response rethrows excInfo after commit. Unlike the Gateway it lets
     * every exception out, so a test can assert on the {@link ValidationError} itself.
     */
    static class Direct implements StartResponse, Write {
        String status;
        List<Header> headers;
        boolean committed;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        @Override
        public Write start(String status, List<Header> headers, Throwable excInfo) {
            if (excInfo != null && committed) {
                throw Direct.<RuntimeException>sneaky(excInfo);
            }
            this.status = status;
            this.headers = headers;
            return this;
        }

        @Override
        public void write(byte[] data) {
            send(data);
        }

        void send(byte[] data) {
            if (data.length > 0) {
                committed = true;
                out.writeBytes(data);
            }
        }

        /** Serves {@code app} (already wrapped) fully: call, iterate to the end, close. */
        Direct serve(Application app, Map<String, Object> environ) throws Exception {
            Body body = app.call(environ, this);
            Throwable failure = null;
            try {
                if (body instanceof FileRegion) {
                    // the way the Gateway sends a file body: by its region, never iterating it
                    FileRegion r = (FileRegion) body;
                    ByteBuffer buf = ByteBuffer.allocate((int) r.count());
                    r.channel().read(buf, r.position());
                    send(buf.array());
                } else {
                    Iterator<byte[]> it = body.iterator();
                    while (it.hasNext()) {
                        send(it.next());
                    }
                }
                committed = true;
            } catch (Throwable t) {
                failure = t;
                throw t;
            } finally {
                try {
                    body.close();
                } catch (IOException | RuntimeException | Error e) {
                    if (failure == null) {
                        throw e;
                    }
                    failure.addSuppressed(e);
                }
            }
            return this;
        }

        String text() {
            return out.toString(StandardCharsets.UTF_8);
        }

        @SuppressWarnings("unchecked")
        static <T extends Throwable> T sneaky(Throwable t) throws T {
            throw (T) t;
        }
    }

    /** Serves {@code app} through the validator with the direct server on this request. */
    Direct direct(Application app) throws Exception {
        return new Direct().serve(Validator.wrap(app), environ);
    }
}

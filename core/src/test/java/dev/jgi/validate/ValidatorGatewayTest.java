package dev.jgi.validate;

import static dev.jgi.validate.Fixture.bytes;
import static dev.jgi.validate.Fixture.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.Environ;
import dev.jgi.Header;
import dev.jgi.Write;
import dev.jgi.gateway.FileRegion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Well-behaved applications served by the real {@link dev.jgi.gateway.Gateway} through the
 * validator: no violation, and the response is what the application meant. Plus the gateway's
 * handling of what the validator throws.
 */
class ValidatorGatewayTest {

    /** Serves the validated app; asserts the response finished and nothing was logged. */
    private static MemoryChannel clean(Fixture f, Application app) {
        MemoryChannel ch = f.serve(Validator.wrap(app));
        assertEquals("", f.log.toString(), "nothing may be logged for a well-behaved exchange");
        assertTrue(ch.finished, "response finished");
        assertNull(ch.aborted, "response not aborted");
        return ch;
    }

    @Test
    void oneChunkBodyKeepsItsChunkCountSoTheGatewayComputesContentLength() {
        MemoryChannel ch = clean(Fixture.get(), Fixture.hello("hello"));
        assertEquals(200, ch.status);
        assertEquals("OK", ch.reason);
        assertEquals(5, ch.contentLength, "Content-Length computed from the single chunk: chunkCount() passed through");
        assertEquals("hello", ch.text());
    }

    @Test
    void lazyStartResponseInsideTheFirstNext() {
        MemoryChannel ch = clean(Fixture.get(), (env, start) -> Body.from(() -> new Iterator<>() {
            int i;

            @Override
            public boolean hasNext() {
                return i < 2;
            }

            @Override
            public byte[] next() {
                if (i == 0) {
                    start.start("201 Created", text());
                }
                return bytes(i++ == 0 ? "lazy " : "start");
            }
        }, null));
        assertEquals(201, ch.status);
        assertEquals(-1, ch.contentLength, "unknown length: the server frames it");
        assertEquals("lazy start", ch.text());
    }

    @Test
    void excInfoReplacesTheResponseBeforeCommit() {
        MemoryChannel ch = clean(Fixture.get(), (env, start) -> {
            start.start("200 OK", text());
            try {
                throw new IllegalStateException("the template failed");
            } catch (IllegalStateException e) {
                start.start("503 Service Unavailable", List.of(Header.of("Retry-After", "5")), e);
                return Body.ofUtf8("try later");
            }
        });
        assertEquals(503, ch.status);
        assertEquals("5", ch.header("Retry-After"));
        assertNull(ch.header("Content-Type"), "the first headers are gone");
        assertEquals("try later", ch.text());
    }

    @Test
    void excInfoAfterCommitIsRethrownToTheApplicationAndTheConnectionAborted() {
        Fixture f = Fixture.get();
        IOException boom = new IOException("failed half-way");
        AtomicReference<Throwable> seen = new AtomicReference<>();
        MemoryChannel ch = f.serve(Validator.wrap((env, start) -> {
            start.start("200 OK", text()).write(bytes("partial"));
            try {
                start.start("500 Internal Server Error", text(), boom);
            } catch (Throwable t) {
                seen.set(t);
                throw t;
            }
            return Body.empty();
        }));
        assertSame(boom, seen.get(), "the gateway threw excInfo itself, through the validator");
        assertNotNull(ch.aborted, "committed response aborted");
        assertEquals("partial", ch.text());
        assertFalse(f.log.toString().contains("[jgi.validate]"), f.log.toString());
        assertFalse(f.log.toString().contains("server.exc-info-rethrow"), f.log.toString());
    }

    @Test
    void writeCallableThenBody() {
        MemoryChannel ch = clean(Fixture.get(), (env, start) -> {
            Write w = start.start("200 OK", text(6));
            w.write(bytes("wr"));
            w.write(new byte[0]);
            w.write(bytes("it"));
            return Body.of(bytes("e"), bytes("!"));
        });
        assertEquals(6, ch.contentLength);
        assertEquals("write!", ch.text());
    }

    @Test
    void headGetsTheLengthAndNoBodyAndTheBodyIsClosedOnce() {
        Fixture f = Fixture.request("HEAD", "/page");
        AtomicInteger closes = new AtomicInteger();
        MemoryChannel ch = clean(f, (env, start) -> {
            start.start("200 OK", text(11));
            return Body.from(List.of(bytes("hello "), bytes("world")), closes::incrementAndGet);
        });
        assertTrue(ch.bodyless);
        assertEquals(11, ch.contentLength);
        assertEquals("", ch.text());
        assertEquals(1, closes.get());
    }

    @Test
    void headWithAnEmptyBodyAndADeclaredLength() {
        MemoryChannel ch = clean(Fixture.request("HEAD", "/page"), (env, start) -> {
            start.start("200 OK", text(1234));
            return Body.empty();
        });
        assertEquals(1234, ch.contentLength);
    }

    @Test
    void fileBodyStaysAFileRegionThroughTheValidator(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("f.txt");
        byte[] content = new byte[200_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) ('a' + i % 26);
        }
        Files.write(file, content);
        Application app = (env, start) -> {
            start.start("200 OK", text(content.length));
            return Environ.of(env).fileWrapper().wrap(file);
        };

        Fixture direct = Fixture.get();
        Body body = Validator.wrap(app).call(direct.environ, new Fixture.Direct());
        assertInstanceOf(FileRegion.class, body, "the wrapper must still be a FileRegion");
        body.close();

        MemoryChannel ch = clean(Fixture.get(), app);
        assertEquals(1, ch.transfers, "the gateway took the file path, not iteration");
        assertEquals(content.length, ch.contentLength);
        assertArrayEquals(content, ch.body.toByteArray());

        // validators stack, as middleware does, and the region still gets through both
        MemoryChannel twice = clean(Fixture.get(), Validator.wrap(app));
        assertEquals(1, twice.transfers);
        assertArrayEquals(content, twice.body.toByteArray());
    }

    @Test
    void headOfAFileBody(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("f.txt");
        Files.writeString(file, "0123456789");
        MemoryChannel ch = clean(Fixture.request("HEAD", "/f"), (env, start) -> {
            start.start("200 OK", text());
            return Environ.of(env).fileWrapper().wrap(file);
        });
        assertTrue(ch.bodyless);
        assertEquals(10, ch.contentLength);
        assertEquals(0, ch.transfers);
    }

    @Test
    void postBodyReadThroughTheCheckedInput() {
        Fixture f = Fixture.post(bytes("name=value"));
        MemoryChannel ch = clean(f, (env, start) -> {
            byte[] in = Environ.of(env).input().readAllBytes();
            start.start("200 OK", text());
            return Body.of(in);
        });
        assertEquals("name=value", ch.text());
    }

    @Test
    void emptyBody204And304() {
        MemoryChannel empty = clean(Fixture.get(), (env, start) -> {
            start.start("200 OK", text());
            return Body.empty();
        });
        assertEquals(0, empty.contentLength);

        MemoryChannel noContent = clean(Fixture.get(), (env, start) -> {
            start.start("204 No Content", List.of());
            return Body.of(new byte[0]);
        });
        assertEquals(204, noContent.status);
        assertTrue(noContent.bodyless);

        MemoryChannel notModified = clean(Fixture.get(), (env, start) -> {
            start.start("304 Not Modified", text(42));
            return Body.empty();
        });
        assertEquals(304, notModified.status);
        assertEquals(42, notModified.contentLength);
    }

    @Test
    void streamedBodyOfUnknownLength() {
        MemoryChannel ch = clean(Fixture.get(), (env, start) -> {
            start.start("200 OK", text());
            return Body.from(List.of(bytes("a"), new byte[0], bytes("b"), bytes("c")), null);
        });
        assertEquals(-1, ch.contentLength);
        assertEquals("abc", ch.text());
    }

    @Test
    void optionsAsteriskPasses() {
        MemoryChannel ch = clean(Fixture.request("OPTIONS", "*"), (env, start) -> {
            assertEquals("*", env.get(Environ.REQUEST_URI));
            start.start("200 OK", List.of(Header.of("Allow", "GET, HEAD, OPTIONS")));
            return Body.empty();
        });
        assertEquals(200, ch.status);
    }

    @Test
    void mountedApplicationAtItsMountPoint() throws Exception {
        Fixture f = Fixture.of(new dev.jgi.gateway.EnvironBuilder("/app").method("GET").target("/app").protocol("HTTP/1.0")
                .scheme("https").header("Host", "[::1]:8443").remote("::1", 1234));
        MemoryChannel ch = clean(f, (env, start) -> {
            assertEquals("/app", env.get(Environ.SCRIPT_NAME));
            assertEquals("", env.get(Environ.PATH_INFO));
            start.start("200 OK", text());
            return Body.ofUtf8("mounted");
        });
        assertEquals("mounted", ch.text());
    }

    // ---------------------------------------------------------------- what the gateway makes of violations

    @Test
    void applicationViolationBeforeCommitBecomesA500NamingTheRule() {
        Fixture f = Fixture.get();
        MemoryChannel ch = f.serve(Validator.wrap((env, start) -> {
            start.start("200 OK", List.of(Header.of("Connection", "close")));
            return Body.empty();
        }));
        assertEquals(500, ch.status);
        assertTrue(f.log.toString().contains("[start.hop-by-hop] application broke rule"), f.log.toString());
    }

    @Test
    void shortBodyAfterCommitAbortsAndNamesTheRule() {
        Fixture f = Fixture.get();
        MemoryChannel ch = f.serve(Validator.wrap((env, start) -> {
            start.start("200 OK", text(10));
            return Body.from(List.of(bytes("12345")), null);
        }));
        assertEquals(200, ch.status);
        assertNotNull(ch.aborted);
        assertTrue(f.log.toString().contains("[body.content-length] application broke rule"), f.log.toString());
    }

    @Test
    void brokenEnvironBecomesA500AndIsLoggedAsTheServersFault() {
        Fixture f = Fixture.get();
        f.environ.put(Environ.PATH_INFO, "/a/../etc/passwd");
        AtomicInteger calls = new AtomicInteger();
        MemoryChannel ch = f.serve(Validator.wrap((env, start) -> {
            calls.incrementAndGet();
            start.start("200 OK", text());
            return Body.empty();
        }));
        assertEquals(500, ch.status);
        assertEquals(0, calls.get(), "the application is not called with a broken environ");
        assertTrue(f.log.toString().contains("[jgi.validate] GET /hello?x=1: [environ.path-info] server broke rule"), f.log.toString());
    }
}

package dev.jgi.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.Body;
import dev.jgi.FileWrapper;
import dev.jgi.Header;
import dev.jgi.conformance.http.HttpConnection;
import dev.jgi.conformance.http.Response;
import dev.jgi.conformance.testing.RecordingFileChannel;
import dev.jgi.gateway.FileBody;
import dev.jgi.gateway.FileWindows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * jgi.file_wrapper on Tomcat and Jetty's servlet layer: the region goes out as memory-mapped
 * windows through {@code ServletOutputStream.write(ByteBuffer)}, never read into a heap buffer,
 * which a channel that counts its calls proves; hiding the file region from the gateway makes the
 * same counter record reads, so the check can fail. A region that names its file goes to Tomcat's
 * sendfile in blocking mode: the body's channel is then never touched at all.
 */
class FileWrapperOnContainersTest {

    @TempDir
    static Path dir;
    static Path file;
    static byte[] content;
    static Targets targets;
    static final AtomicReference<RecordingFileChannel> LAST = new AtomicReference<>();
    static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

    @BeforeAll
    static void start() throws Exception {
        content = new byte[(int) (FileWindows.MAX_WINDOW + 54321)];
        new Random(5).nextBytes(content);
        file = Files.write(dir.resolve("data.bin"), content);
        targets = Targets.start();
    }

    @AfterAll
    static void stop() throws Exception {
        targets.close();
    }

    static Stream<Arguments> targets() {
        return targets.arguments();
    }

    private static void install(Targets.Target t, boolean hidden) {
        t.with((environ, start) -> {
            RecordingFileChannel ch = RecordingFileChannel.open(file);
            LAST.set(ch);
            Body body = ((FileWrapper) environ.get("jgi.file_wrapper")).wrap(ch, 3, content.length - 3);
            start.start("200 OK", List.of(Header.of("Content-Type", "application/octet-stream")));
            // a middleware that drops the FileRegion interface leaves the server only iteration
            return hidden ? Body.from(body, body) : body;
        });
    }

    private static Response get(Targets.Target t) throws Exception {
        try (HttpConnection http = Container.connect(t.port())) {
            return http.sendRaw("GET /ctx/app/file HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n").readResponse("GET");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void theRegionIsSentAsMappedWindowsNeverRead(Targets.Target t) throws Exception {
        install(t, false);
        Response r = get(t);
        assertEquals(200, r.status());
        assertEquals(Integer.toString(content.length - 3), r.header("Content-Length"));
        assertArrayEquals(Arrays.copyOfRange(content, 3, content.length), r.body());
        RecordingFileChannel ch = LAST.get();
        assertEquals(2, ch.maps(), "two windows: one full, one for the rest");
        assertEquals(0, ch.reads(), "the region must not pass through a heap buffer");
        assertTrue(ch.awaitClosed(CLOSE_WAIT), "the body closes the channel");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void aHiddenRegionFallsBackToReading(Targets.Target t) throws Exception {
        install(t, true);
        Response r = get(t);
        assertArrayEquals(Arrays.copyOfRange(content, 3, content.length), r.body());
        RecordingFileChannel ch = LAST.get();
        assertEquals(0, ch.maps());
        assertTrue(ch.reads() > 0);
        assertTrue(ch.awaitClosed(CLOSE_WAIT));
    }

    private static void installNamed(Targets.Target t, Path path, List<Header> headers) {
        t.with((environ, start) -> {
            RecordingFileChannel ch = RecordingFileChannel.open(file);
            LAST.set(ch);
            start.start("200 OK", headers);
            // the body wrap(Path) makes, over a channel that counts its calls
            return new FileBody(ch, 5, content.length - 5, path);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void aNamedRegionGoesToSendfileOnBlockingTomcatAndIsMappedElsewhere(Targets.Target t) throws Exception {
        installNamed(t, file, List.of(Header.of("Content-Type", "application/octet-stream")));
        Response r = get(t);
        assertEquals(200, r.status());
        assertEquals(Integer.toString(content.length - 5), r.header("Content-Length"));
        assertArrayEquals(Arrays.copyOfRange(content, 5, content.length), r.body());
        RecordingFileChannel ch = LAST.get();
        if (t.kind == Container.Kind.TOMCAT && t.mode == JgiServlet.Mode.BLOCKING) {
            assertEquals(0, ch.maps(), "Tomcat's sendfile reads the file by name");
            assertEquals(0, ch.reads(), "Tomcat's sendfile reads the file by name");
        } else {
            assertEquals(2, ch.maps(), "no sendfile here: mapped windows");
            assertEquals(0, ch.reads());
        }
        assertTrue(ch.awaitClosed(CLOSE_WAIT), "the body closes the channel");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void aNamedFileThatIsGoneOrShorterIsSentFromTheChannel(Targets.Target t) throws Exception {
        Path shorter = Files.write(dir.resolve("shorter-" + t + ".bin"), Arrays.copyOf(content, 100));
        for (Path named : List.of(dir.resolve("missing.bin"), shorter)) {
            installNamed(t, named, List.of(Header.of("Content-Type", "application/octet-stream")));
            Response r = get(t);
            assertEquals(200, r.status());
            assertArrayEquals(Arrays.copyOfRange(content, 5, content.length), r.body(), named.toString());
            assertEquals(2, LAST.get().maps(), "the channel's mapped windows, not the name: " + named);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void aShorterDeclaredLengthSendsOnlyThatMuchEitherWay(Targets.Target t) throws Exception {
        // the app declares fewer bytes than the region: the gateway sends only those (and logs it)
        long declared = 1000;
        installNamed(t, file, List.of(Header.of("Content-Type", "application/octet-stream"),
                Header.of("Content-Length", Long.toString(declared))));
        Response r = get(t);
        assertEquals(200, r.status());
        assertEquals(Long.toString(declared), r.header("Content-Length"));
        assertArrayEquals(Arrays.copyOfRange(content, 5, 5 + (int) declared), r.body());
        boolean sendfile = t.kind == Container.Kind.TOMCAT && t.mode == JgiServlet.Mode.BLOCKING;
        assertEquals(sendfile ? 0 : 1, LAST.get().maps(), sendfile ? "by name" : "one mapped window of the declared length");
    }
}

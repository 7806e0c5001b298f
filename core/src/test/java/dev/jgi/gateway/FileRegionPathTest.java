package dev.jgi.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.Covers;
import dev.jgi.Environ;
import dev.jgi.Header;
import dev.jgi.validate.Validator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A body made by {@code FileWrapper.wrap(Path)} names its file ({@link FileRegion#path()}), and
 * the gateway hands the region itself to {@link ResponseChannel#transfer(FileRegion, long)}, so a
 * server whose direct path takes a file name (Tomcat's sendfile) can use it; through the validator
 * the name survives.
 */
class FileRegionPathTest {

    @TempDir
    Path dir;

    /** A channel that records the region it was handed, and what the default would send. */
    private static final class RegionChannel implements ResponseChannel {
        final List<String> events = new ArrayList<>();
        FileRegion region;

        @Override
        public void sendHeaders(int status, String reason, List<Header> headers, long contentLength, boolean bodyless) {
            events.add("headers " + contentLength);
        }

        @Override
        public void write(byte[] chunk, int offset, int length) {
            events.add("write " + new String(chunk, offset, length, java.nio.charset.StandardCharsets.ISO_8859_1));
        }

        @Override
        public void transfer(FileRegion r, long count) throws IOException {
            region = r;
            events.add("region " + r.path() + " " + r.position() + "+" + count);
            ResponseChannel.super.transfer(r, count); // the default: the channel, through write
        }

        @Override
        public void finish() {
            events.add("finish");
        }

        @Override
        public void abort(Throwable cause) {
            events.add("abort " + cause);
        }
    }

    private static RegionChannel serve(Application app) throws RequestRejectedException {
        // a whole environ, as a server builds it: the validator checks every key
        Map<String, Object> environ = new EnvironBuilder("")
                .method("GET")
                .target("/file")
                .protocol("HTTP/1.1")
                .scheme("http")
                .header("Host", "example.com")
                .local(InetSocketAddress.createUnresolved("example.com", 80))
                .remote("127.0.0.1", 50000)
                .errors(new PrintWriter(new StringWriter()))
                .fileWrapper(FileBody.WRAPPER)
                .put(Environ.SERVER_SOFTWARE, "test")
                .build();
        RegionChannel ch = new RegionChannel();
        new Gateway(app).serve(environ, ch);
        return ch;
    }

    private static Application wrapping(Path path) {
        return (env, sr) -> {
            sr.start("200 OK", List.of());
            return Environ.of(env).fileWrapper().wrap(path);
        };
    }

    @Test
    @Covers("file.region")
    void aWrappedPathNamesItsFileAndTheRegionReachesTheChannel() throws Exception {
        Path file = Files.writeString(dir.resolve("named.txt"), "named file");
        RegionChannel ch = serve(wrapping(file));
        assertEquals(List.of("headers 10", "region " + file + " 0+10", "write named file", "finish"), ch.events);
        assertFalse(ch.region.channel().isOpen(), "the body was closed, and its channel with it");
    }

    @Test
    @Covers("file.region")
    void aWrappedChannelNamesNoFile() throws Exception {
        Path file = Files.writeString(dir.resolve("channel.txt"), "0123456789");
        RegionChannel ch = serve((env, sr) -> {
            sr.start("200 OK", List.of());
            return Environ.of(env).fileWrapper().wrap(FileChannel.open(file, StandardOpenOption.READ), 2, 3);
        });
        assertNull(ch.region.path());
        assertEquals(List.of("headers 3", "region null 2+3", "write 234", "finish"), ch.events);
    }

    @Test
    @Covers({"file.region", "middleware.file-region"})
    void theValidatorKeepsTheName() throws Exception {
        Path file = Files.writeString(dir.resolve("validated.txt"), "validated");
        RegionChannel ch = serve(Validator.wrap(wrapping(file)));
        // (the region itself may not be used once the body is closed: the validator would say so)
        assertEquals(List.of("headers 9", "region " + file + " 0+9", "write validated", "finish"), ch.events);
    }

    @Test
    void aBodyMadeFromAPathKeepsIt() throws Exception {
        Path file = Files.writeString(dir.resolve("kept.txt"), "kept");
        try (Body b = FileBody.WRAPPER.wrap(file)) {
            FileBody fb = (FileBody) b;
            assertSame(file, fb.path());
            assertEquals(0, fb.position());
            assertEquals(4, fb.count());
        }
    }
}

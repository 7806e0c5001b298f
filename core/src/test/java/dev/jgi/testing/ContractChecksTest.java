package dev.jgi.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.Body;
import dev.jgi.Header;
import dev.jgi.gateway.FileBody;
import dev.jgi.gateway.FileRegion;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checks the TestClient makes on the gateway's side of the contract must be able to fail:
 * here they are fed calls a broken gateway would make.
 */
class ContractChecksTest {

    private final List<String> events = new ArrayList<>();

    @Test
    void channelReportsEveryBrokenCall() throws Exception {
        MemoryChannel ch = new MemoryChannel(events, -1);
        ch.write(new byte[1], 0, 1);
        ch.sendHeaders(200, "OK", List.of(Header.of("Content-Length", "1")), 1, false);
        ch.sendHeaders(200, "OK", List.of(), 1, false);
        ch.write(new byte[3], 0, 2);
        ch.write(new byte[0], 0, 0);
        ch.finish();
        ch.finish();
        ch.abort(new IOException());
        ch.write(new byte[1], 0, 1);
        String all = String.join("\n", ch.violations);
        for (String expected : List.of("before sendHeaders", "Content-Length header", "second time",
                "more body bytes than the declared Content-Length", "empty write", "finish called after",
                "abort called after", "written after the response ended", "finish with 3 body bytes")) {
            assertTrue(all.contains(expected), expected + " missing from:\n" + all);
        }
    }

    @Test
    void channelReportsBodyBytesOnABodylessResponse() throws Exception {
        MemoryChannel ch = new MemoryChannel(events, -1);
        ch.sendHeaders(204, "No Content", List.of(), -1, true);
        ch.write(new byte[2], 0, 2);
        assertEquals(List.of("body bytes written on a bodyless response"), ch.violations);
    }

    @Test
    void channelSimulatesADisconnect() throws Exception {
        MemoryChannel ch = new MemoryChannel(events, 3);
        ch.sendHeaders(200, "OK", List.of(), -1, false);
        ch.write(new byte[3], 0, 3);
        assertThrows(IOException.class, () -> ch.write(new byte[1], 0, 1));
        assertEquals(List.of("headers", "chunk:3", "disconnect"), events);
        assertEquals(List.of(), ch.violations);
    }

    @Test
    void recorderReportsMissingAndDoubleCloseAndUseAfterClose() throws Exception {
        List<String> violations = new ArrayList<>();
        Recorder twice = new Recorder((env, sr) -> Body.ofUtf8("x"), events, violations);
        Body b = twice.call(new HashMap<>(), (s, h, e) -> null);
        Iterator<byte[]> it = b.iterator();
        b.close();
        it.hasNext();
        b.close();
        b.iterator();
        twice.checkClosed();

        Recorder never = new Recorder((env, sr) -> Body.empty(), events, violations);
        never.call(new HashMap<>(), (s, h, e) -> null);
        never.checkClosed();

        String all = String.join("\n", violations);
        for (String expected : List.of("hasNext() on the body after close()", "called 2 times, not exactly once",
                "iterator() was called 2 times", "called 0 times")) {
            assertTrue(all.contains(expected), expected + " missing from:\n" + all);
        }
    }

    @Test
    void recorderKeepsChunkCountAndFileRegion(@TempDir Path tmp) throws Exception {
        List<String> violations = new ArrayList<>();
        Recorder r = new Recorder((env, sr) -> Body.of(new byte[1], new byte[2]), events, violations);
        assertEquals(2, r.call(new HashMap<>(), (s, h, e) -> null).chunkCount());

        Path p = Files.writeString(tmp.resolve("f"), "file");
        FileChannel fc = FileChannel.open(p, StandardOpenOption.READ);
        Recorder f = new Recorder((env, sr) -> new FileBody(fc, 1, 2), events, violations);
        FileRegion region = assertInstanceOf(FileRegion.class, f.call(new HashMap<>(), (s, h, e) -> null));
        assertSame(fc, region.channel());
        assertEquals(1, region.position());
        assertEquals(2, region.count());
        ((Body) region).close();
        assertTrue(!fc.isOpen());
        assertEquals(List.of(), violations);
    }

    @Test
    void recorderKeepsTheFirstAssertionError() throws Exception {
        AssertionError first = new AssertionError("first");
        Recorder r = new Recorder((env, sr) -> {
            throw first;
        }, events, new ArrayList<>());
        assertSame(first, assertThrows(AssertionError.class, () -> r.call(new HashMap<>(), (s, h, e) -> null)));
        assertSame(first, r.failure);
    }
}

package dev.jgi.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mapped-window file path the Jetty core and servlet adapters send file bodies with. */
class FileWindowsTest {

    @TempDir
    Path tmp;

    @Test
    void aRegionGoesOutAsMappedWindowsOfAtMostTheMaximum() throws IOException {
        byte[] content = new byte[(int) (FileWindows.MAX_WINDOW * 2 + 1000)];
        new Random(7).nextBytes(content);
        Path f = Files.write(tmp.resolve("big"), content);
        List<Integer> sizes = new ArrayList<>();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            FileWindows.send(ch, 500, content.length - 600, w -> {
                assertTrue(w instanceof MappedByteBuffer, "a mapping, not a heap copy");
                sizes.add(w.remaining());
                byte[] b = new byte[w.remaining()];
                w.get(b);
                got.writeBytes(b);
            });
        }
        assertEquals(List.of((int) FileWindows.MAX_WINDOW, (int) FileWindows.MAX_WINDOW, 400 - 100 + 200 - 100), sizes);
        assertArrayEquals(Arrays.copyOfRange(content, 500, content.length - 100), got.toByteArray());
    }

    @Test
    void aFileShorterThanTheRegionSendsWhatItHasThenFails() throws IOException {
        Path f = Files.write(tmp.resolve("short"), new byte[] {1, 2, 3});
        List<ByteBuffer> windows = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            IOException e = assertThrows(IOException.class, () -> FileWindows.send(ch, 0, 10, windows::add));
            assertTrue(e.getMessage().contains("7 bytes"), e.getMessage());
        }
        assertEquals(1, windows.size());
        assertEquals(3, windows.get(0).remaining());
    }
}

package dev.jgi.gateway;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Sends a file region as read-only memory-mapped windows: the most direct file path on a server
 * that takes {@link ByteBuffer}s but has no sendfile (Jetty core, Servlet 6.1's
 * {@code ServletOutputStream.write(ByteBuffer)}). The socket write reads the page cache directly;
 * the region never passes through a Java heap array, so nothing is allocated per byte sent.
 */
public final class FileWindows {

    /**
     * The largest window mapped at once. Mappings are released only when collected, so a bound
     * keeps the address space a long transfer holds small; each window is still one write.
     */
    public static final long MAX_WINDOW = 16L * 1024 * 1024;

    /** Where each window goes: one blocking write of the whole buffer. */
    @FunctionalInterface
    public interface Sink {
        /**
         * Writes the window completely.
         *
         * @param window a read-only mapping of the next part of the region
         * @throws IOException if the connection failed
         */
        void write(ByteBuffer window) throws IOException;
    }

    private FileWindows() {
    }

    /**
     * Maps the region window by window and hands each one to {@code sink}.
     *
     * @param file the file
     * @param position the first byte
     * @param count how many bytes
     * @param sink where the windows go
     * @throws IOException if mapping or writing failed, or the file ends before the region does
     *     (what the file holds is sent first, so the gateway then aborts a short body)
     */
    public static void send(FileChannel file, long position, long count, Sink sink) throws IOException {
        long end = position + count;
        long available = Math.min(end, file.size());
        long pos = position;
        while (pos < available) {
            long n = Math.min(available - pos, MAX_WINDOW);
            MappedByteBuffer window = file.map(FileChannel.MapMode.READ_ONLY, pos, n);
            sink.write(window);
            pos += n;
        }
        if (pos < end) {
            throw new IOException("file ended " + (end - pos) + " bytes before the end of the region");
        }
    }
}

package dev.jgi.gateway;

import dev.jgi.Body;
import dev.jgi.FileWrapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The standard {@code jgi.file_wrapper} body: a file region that servers send with
 * {@link ResponseChannel#transfer}, and that still iterates as 64 KiB chunks for anything that
 * does not know it (middleware, a server without a file path).
 */
public final class FileBody implements Body, FileRegion {

    /** The wrapper servers put in the environ under {@code jgi.file_wrapper}. */
    public static final FileWrapper WRAPPER = new FileWrapper() {
        @Override
        public Body wrap(FileChannel file, long position, long count) {
            return new FileBody(file, position, count);
        }

        @Override
        public Body wrap(Path path) throws IOException {
            FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
            try {
                return new FileBody(ch, 0, ch.size(), path);
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        }
    };

    private static final int BLOCK = 64 * 1024;

    private final FileChannel channel;
    private final long position;
    private final long count;
    private final Path path;

    /**
     * Wraps a region of {@code channel}.
     *
     * @param channel the open channel, closed with the body
     * @param position the first byte
     * @param count the number of bytes
     */
    public FileBody(FileChannel channel, long position, long count) {
        this(channel, position, count, null);
    }

    /**
     * Wraps a region of {@code channel}, opened from {@code path}.
     *
     * @param channel the open channel, closed with the body
     * @param position the first byte
     * @param count the number of bytes
     * @param path the file {@code channel} was opened from, or {@code null}
     */
    public FileBody(FileChannel channel, long position, long count, Path path) {
        if (position < 0 || count < 0) {
            throw new IllegalArgumentException("negative position or count");
        }
        this.channel = channel;
        this.position = position;
        this.count = count;
        this.path = path;
    }

    @Override
    public FileChannel channel() {
        return channel;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public Iterator<byte[]> iterator() {
        return new Iterator<>() {
            private long pos = position;
            private final long end = position + count;

            @Override
            public boolean hasNext() {
                return pos < end;
            }

            @Override
            public byte[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ByteBuffer buf = ByteBuffer.allocate((int) Math.min(BLOCK, end - pos));
                try {
                    while (buf.hasRemaining()) {
                        int n = channel.read(buf, pos + buf.position());
                        if (n < 0) {
                            throw new IOException("file ended " + (end - pos - buf.position()) + " bytes early");
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                pos += buf.capacity();
                return buf.array();
            }
        };
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}

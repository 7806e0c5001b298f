package dev.jgi;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The optional {@code jgi.file_wrapper} extension: turns a file region into a {@link Body} that the
 * server may send with its most direct file path (sendfile or {@code FileChannel.transferTo})
 * instead of reading it into chunks. Like PEP 3333's {@code wsgi.file_wrapper}, using it is an
 * optimisation only: the body it returns is also an ordinary iterable of chunks.
 *
 * <p>The application still calls {@code start_response} before returning the wrapped body. The
 * body owns the channel and closes it when the server closes the body.
 */
@FunctionalInterface
public interface FileWrapper {

    /**
     * Wraps a region of an open file channel.
     *
     * @param file the channel, which the returned body closes
     * @param position where the region starts
     * @param count how many bytes to send
     * @return the body
     * @throws IOException if the region cannot be prepared
     */
    Body wrap(FileChannel file, long position, long count) throws IOException;

    /**
     * Opens {@code path} and wraps the whole file.
     *
     * @param path a regular file
     * @return the body
     * @throws IOException if the file cannot be opened
     */
    default Body wrap(Path path) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return wrap(ch, 0, ch.size());
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }
}

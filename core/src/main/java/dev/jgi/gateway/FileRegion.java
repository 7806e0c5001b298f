package dev.jgi.gateway;

import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A body that is a region of a file. The gateway recognises it and hands the region to
 * {@link ResponseChannel#transfer}, so a server with a zero-copy path (sendfile,
 * {@code FileChannel.transferTo}) can use it. Middleware that wraps such a body should keep this
 * interface, as the validator does, or the server falls back to iterating chunks.
 */
public interface FileRegion {

    /** @return the open channel; the body closes it */
    FileChannel channel();

    /** @return where the region starts */
    long position();

    /** @return how many bytes the region holds */
    long count();

    /**
     * The file's path, when the region was made from one ({@link dev.jgi.FileWrapper#wrap(Path)}),
     * so that a server whose zero-copy path takes a file name rather than a channel (Tomcat's
     * sendfile) can use it. Such a server reads the file by this name after the application has
     * returned, so it checks first that the file is still there and long enough. Wrappers forward it.
     *
     * @return the path, or {@code null} if the region was made from a channel alone
     */
    default Path path() {
        return null;
    }
}

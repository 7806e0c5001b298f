package dev.jgi.gateway;

import java.nio.channels.FileChannel;

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
}

package dev.jgi.validate;

import dev.jgi.Body;
import dev.jgi.gateway.FileRegion;
import dev.jgi.gateway.ResponseRules;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.Iterator;

/**
 * The body the server sees: the application's body, with the server's use of it checked (one
 * iteration, nothing after close, close once) and each chunk checked against the response state.
 */
class CheckedBody implements Body {

    final Exchange exchange;
    private final Body body;
    private boolean iterated;
    boolean closed;

    CheckedBody(Exchange exchange, Body body) {
        this.exchange = exchange;
        this.body = body;
    }

    /**
     * Wraps a body, keeping {@link FileRegion} so that the server's zero-copy path still sees it.
     */
    static Body wrap(Exchange exchange, Body body) {
        return body instanceof FileRegion ? new Region(exchange, body, (FileRegion) body) : new CheckedBody(exchange, body);
    }

    @Override
    public Iterator<byte[]> iterator() {
        if (closed) {
            throw exchange.serverViolation(Rules.SERVER_CHUNK_AFTER_CLOSE, "iterator() was called on a body the server had already closed", null);
        }
        if (iterated) {
            throw exchange.serverViolation(Rules.SERVER_ITERATE_ONCE, "iterator() was called a second time; a body is iterated once", null);
        }
        iterated = true;
        exchange.bodyBegun();
        Iterator<byte[]> it;
        exchange.iterating(Thread.currentThread());
        try {
            it = body.iterator();
        } finally {
            exchange.iterating(null);
        }
        if (it == null) {
            throw Rules.application(ResponseRules.BODY_NULL, "the body's iterator() returned null");
        }
        int claimed = body.chunkCount();
        if (claimed < -1) {
            throw Rules.application(Rules.CHUNK_COUNT, "chunkCount() returned " + claimed + "; it must be -1 (unknown) or the exact count");
        }
        return new Chunks(it, claimed);
    }

    @Override
    public int chunkCount() {
        return body.chunkCount();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            // after the response nobody else would see this: serverViolation also prints it on jgi.errors
            throw exchange.serverViolation(Rules.SERVER_CLOSE_ONCE, "close() was called a second time; a body is closed exactly once", null);
        }
        closed = true;
        exchange.closed();
        body.close();
    }

    @Override
    public String toString() {
        return "Validator(" + body + ")";
    }

    private final class Chunks implements Iterator<byte[]> {
        private final Iterator<byte[]> it;
        private final int claimed;
        private int count;
        private boolean ended;

        Chunks(Iterator<byte[]> it, int claimed) {
            this.it = it;
            this.claimed = claimed;
        }

        @Override
        public boolean hasNext() {
            requireOpen("hasNext()");
            boolean more;
            exchange.iterating(Thread.currentThread());
            try {
                more = it.hasNext();
            } finally {
                exchange.iterating(null);
            }
            if (!more && !ended) {
                ended = true;
                exchange.ended(count, claimed);
            }
            return more;
        }

        @Override
        public byte[] next() {
            requireOpen("next()");
            byte[] chunk;
            exchange.iterating(Thread.currentThread());
            try {
                chunk = it.next();
            } finally {
                exchange.iterating(null);
            }
            exchange.chunk(chunk, ++count, claimed);
            return chunk;
        }

        private void requireOpen(String what) {
            if (closed) {
                throw exchange.serverViolation(Rules.SERVER_CHUNK_AFTER_CLOSE, what + " was called on a body the server had already closed", null);
            }
        }
    }

    /** A file body: the same checks, and the region handed through. */
    private static final class Region extends CheckedBody implements FileRegion {
        private final FileRegion region;
        private boolean taken;

        Region(Exchange exchange, Body body, FileRegion region) {
            super(exchange, body);
            this.region = region;
        }

        @Override
        public FileChannel channel() {
            take("channel()");
            return region.channel();
        }

        @Override
        public long position() {
            take("position()");
            return region.position();
        }

        @Override
        public long count() {
            take("count()");
            return region.count();
        }

        @Override
        public java.nio.file.Path path() {
            take("path()");
            return region.path();
        }

        /** The first look at the region is where the server commits and sends it. */
        private void take(String what) {
            if (closed) {
                throw exchange.serverViolation(Rules.SERVER_CHUNK_AFTER_CLOSE, "the file region's " + what
                        + " was used after the server had closed the body", null);
            }
            if (!taken) {
                taken = true;
                exchange.region(region.count());
            }
        }
    }
}

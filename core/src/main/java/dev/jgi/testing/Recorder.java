package dev.jgi.testing;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.StartResponse;
import dev.jgi.gateway.FileRegion;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The outermost layer around the application under test, for one request. It keeps the first
 * {@link AssertionError} the application (or the validator inside it) throws, so that the test
 * fails with it rather than with a 500, and it checks the server side of the body contract: one
 * iteration, {@code close()} exactly once, no chunk asked for after {@code close()}.
 *
 * <p>It changes nothing the gateway can see: the chunk count and the {@link FileRegion} nature of
 * the body pass through.
 */
final class Recorder implements Application {

    private final Application app;
    private final List<String> events;
    final List<String> violations;
    AssertionError failure;
    boolean returnedBody;
    int closes;
    private int iterations;

    Recorder(Application app, List<String> events, List<String> violations) {
        this.app = app;
        this.events = events;
        this.violations = violations;
    }

    @Override
    public Body call(Map<String, Object> environ, StartResponse startResponse) throws Exception {
        Body body;
        try {
            body = app.call(environ, startResponse);
        } catch (AssertionError e) {
            throw keep(e);
        }
        if (body == null) {
            return null; // the gateway's rule body.null applies
        }
        returnedBody = true;
        return body instanceof FileRegion ? new RecordedFileBody(body, (FileRegion) body) : new RecordedBody(body);
    }

    private AssertionError keep(AssertionError e) {
        if (failure == null) {
            failure = e;
        }
        return e;
    }

    /** Checks after the exchange that the gateway closed a returned body exactly once. */
    void checkClosed() {
        if (returnedBody && closes != 1) {
            violations.add("body.close() was called " + closes + " times, not exactly once");
        }
    }

    private class RecordedBody implements Body {
        final Body body;

        RecordedBody(Body body) {
            this.body = body;
        }

        @Override
        public Iterator<byte[]> iterator() {
            if (++iterations > 1) {
                violations.add("body.iterator() was called " + iterations + " times");
            }
            Iterator<byte[]> it;
            try {
                it = body.iterator();
            } catch (AssertionError e) {
                throw keep(e);
            }
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    afterCloseCheck("hasNext()");
                    try {
                        return it.hasNext();
                    } catch (AssertionError e) {
                        throw keep(e);
                    }
                }

                @Override
                public byte[] next() {
                    afterCloseCheck("next()");
                    try {
                        return it.next();
                    } catch (AssertionError e) {
                        throw keep(e);
                    }
                }
            };
        }

        private void afterCloseCheck(String what) {
            if (closes > 0) {
                violations.add("the gateway called " + what + " on the body after close()");
            }
        }

        @Override
        public int chunkCount() {
            try {
                return body.chunkCount();
            } catch (AssertionError e) {
                throw keep(e);
            }
        }

        @Override
        public void close() throws IOException {
            closes++;
            events.add("close");
            try {
                body.close();
            } catch (AssertionError e) {
                throw keep(e);
            }
        }
    }

    private final class RecordedFileBody extends RecordedBody implements FileRegion {
        private final FileRegion region;

        RecordedFileBody(Body body, FileRegion region) {
            super(body);
            this.region = region;
        }

        @Override
        public FileChannel channel() {
            return region.channel();
        }

        @Override
        public long position() {
            return region.position();
        }

        @Override
        public long count() {
            return region.count();
        }

        @Override
        public java.nio.file.Path path() {
            return region.path();
        }
    }
}

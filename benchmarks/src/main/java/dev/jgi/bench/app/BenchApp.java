package dev.jgi.bench.app;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.Environ;
import dev.jgi.FileWrapper;
import dev.jgi.Header;
import dev.jgi.StartResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The one JGI application every JGI variant of the benchmark serves: the five workloads, written
 * as a careful JGI application would write them (the same care the native handlers get).
 *
 * <ul>
 *   <li>{@code /plaintext}: a constant header list and a constant one-chunk body (a {@link Body} over
 *       one pre-encoded array is stateless, so one instance serves every request); the gateway
 *       computes Content-Length from the single chunk.</li>
 *   <li>{@code /json}: the document is serialised per request ({@link Payloads#json}), as on the
 *       native side.</li>
 *   <li>{@code /echo}: declares Content-Length from CONTENT_LENGTH and streams {@code jgi.input} back
 *       in 64 KiB chunks. Each chunk is a new array: SPEC.md [body.chunk-reuse] forbids yielding an
 *       array that is modified afterwards, so this copy is the API's, not the server's (the report
 *       counts it separately).</li>
 *   <li>{@code /stream}: declares Content-Length and yields the same constant 64 KiB chunk 160 times
 *       (never modified, so allowed), 10 MiB in all.</li>
 *   <li>{@code /file}: the file through {@code jgi.file_wrapper}, so a server with a zero-copy path
 *       can take it.</li>
 * </ul>
 */
public final class BenchApp implements Application {

    private static final List<Header> TEXT = List.of(new Header("Content-Type", Payloads.TEXT_PLAIN));
    private static final List<Header> JSON = List.of(new Header("Content-Type", Payloads.APPLICATION_JSON));
    private static final List<Header> STREAM = List.of(new Header("Content-Type", Payloads.OCTET_STREAM),
            new Header("Content-Length", Integer.toString(Payloads.STREAM_SIZE)));
    private static final List<Header> FILE = List.of(new Header("Content-Type", Payloads.OCTET_STREAM));
    private static final List<Header> NOT_FOUND = List.of(new Header("Content-Type", Payloads.TEXT_PLAIN));

    private static final Body HELLO_BODY = Body.of(Payloads.HELLO);
    private static final Body NOT_FOUND_BODY = Body.of("not found".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    private final Path file;

    /**
     * @param file the file the file workload serves
     */
    public BenchApp(Path file) {
        this.file = file;
    }

    /** @return an application serving {@link Payloads#file()} */
    public static BenchApp fromSystemProperty() {
        return new BenchApp(Payloads.file());
    }

    @Override
    public Body call(Map<String, Object> environ, StartResponse startResponse) throws Exception {
        String path = (String) environ.get(Environ.PATH_INFO);
        switch (path) {
            case Payloads.HELLO_PATH:
                startResponse.start("200 OK", TEXT);
                return HELLO_BODY;
            case Payloads.JSON_PATH:
                startResponse.start("200 OK", JSON);
                return Body.of(Payloads.json(Payloads.MESSAGE));
            case Payloads.ECHO_PATH:
                return echo(environ, startResponse);
            case Payloads.STREAM_PATH:
                startResponse.start("200 OK", STREAM);
                return new Repeat(Payloads.CHUNK, Payloads.STREAM_CHUNKS);
            case Payloads.FILE_PATH:
                FileWrapper wrapper = (FileWrapper) environ.get(Environ.JGI_FILE_WRAPPER);
                startResponse.start("200 OK", FILE);
                return wrapper.wrap(file); // by name, so a server with a file-name path (Tomcat's sendfile) can take it
            default:
                startResponse.start("404 Not Found", NOT_FOUND);
                return NOT_FOUND_BODY;
        }
    }

    private static Body echo(Map<String, Object> environ, StartResponse startResponse) {
        String cl = (String) environ.get(Environ.CONTENT_LENGTH);
        long length = cl == null ? 0 : Long.parseLong(cl);
        startResponse.start("200 OK", List.of(new Header("Content-Type", Payloads.OCTET_STREAM),
                new Header("Content-Length", cl == null ? "0" : cl)));
        InputStream in = (InputStream) environ.get(Environ.JGI_INPUT);
        return new Echo(in, length);
    }

    /** The same chunk, {@code count} times; a fixed chunk count. */
    private static final class Repeat implements Body, Iterator<byte[]> {
        private final byte[] chunk;
        private final int count;
        private int left;

        Repeat(byte[] chunk, int count) {
            this.chunk = chunk;
            this.count = count;
            this.left = count;
        }

        @Override
        public Iterator<byte[]> iterator() {
            return this; // iterated once, as SPEC.md [server.iterate-once] promises
        }

        @Override
        public int chunkCount() {
            return count;
        }

        @Override
        public boolean hasNext() {
            return left > 0;
        }

        @Override
        public byte[] next() {
            if (left <= 0) {
                throw new NoSuchElementException();
            }
            left--;
            return chunk;
        }
    }

    /** Streams the request body back in chunks of up to 64 KiB, each a new array. */
    private static final class Echo implements Body, Iterator<byte[]> {
        private final InputStream in;
        private long left;

        Echo(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public Iterator<byte[]> iterator() {
            return this;
        }

        @Override
        public boolean hasNext() {
            return left > 0;
        }

        @Override
        public byte[] next() {
            if (left <= 0) {
                throw new NoSuchElementException();
            }
            byte[] b = new byte[(int) Math.min(Payloads.CHUNK_SIZE, left)];
            try {
                int n = in.readNBytes(b, 0, b.length);
                if (n < b.length) {
                    throw new IOException("request body ended " + (left - n) + " bytes early");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            left -= b.length;
            return b;
        }
    }
}

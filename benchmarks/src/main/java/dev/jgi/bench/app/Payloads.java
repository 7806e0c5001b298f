package dev.jgi.bench.app;

import dev.jgi.bench.report.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The workloads' constants, shared by every native handler and by the JGI application so that both
 * sides of a pair send the same bytes: the paths, the hello body, the JSON message, the 64 KiB chunk
 * of the streamed download, and the sizes.
 *
 * <p>Constants are pre-encoded once, as the best TechEmpower raw entries do; what a real application
 * computes per request (the JSON document) is computed per request on both sides by the same call.
 */
public final class Payloads {

    /** Path of the plaintext hello workload. */
    public static final String HELLO_PATH = "/plaintext";
    /** Path of the small JSON workload. */
    public static final String JSON_PATH = "/json";
    /** Path of the upload-echo workload (POST). */
    public static final String ECHO_PATH = "/echo";
    /** Path of the streamed-download workload. */
    public static final String STREAM_PATH = "/stream";
    /** Path of the file workload. */
    public static final String FILE_PATH = "/file";

    /** The hello body, "Hello, World!". */
    public static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    /** The message the JSON workload serialises per request. */
    public static final String MESSAGE = "Hello, World!";

    /** Content-Type of the hello response. */
    public static final String TEXT_PLAIN = "text/plain";
    /** Content-Type of the JSON response. */
    public static final String APPLICATION_JSON = "application/json";
    /** Content-Type of the binary responses. */
    public static final String OCTET_STREAM = "application/octet-stream";

    /** Size of one chunk of the streamed download (and the read size of the echo). */
    public static final int CHUNK_SIZE = 64 * 1024;
    /** Size of the streamed download: 10 MiB. */
    public static final int STREAM_SIZE = 10 * 1024 * 1024;
    /** Number of chunks in the streamed download. */
    public static final int STREAM_CHUNKS = STREAM_SIZE / CHUNK_SIZE;
    /** Size of the upload the echo workload sends: 1 MiB. */
    public static final int UPLOAD_SIZE = 1024 * 1024;
    /** Size of the file workload's file: 10 MiB. */
    public static final int FILE_SIZE = 10 * 1024 * 1024;

    /** The chunk of the streamed download; never modified. */
    public static final byte[] CHUNK = pattern(CHUNK_SIZE, 7);

    /** System property naming the file the file workload serves. */
    public static final String FILE_PROPERTY = "jgi.bench.file";

    private Payloads() {
    }

    /**
     * Returns the chunk as a read-only direct buffer, for servers that write buffers (slice or
     * duplicate it per use).
     *
     * @return a new direct buffer holding {@link #CHUNK}
     */
    public static ByteBuffer directChunk() {
        return direct(CHUNK);
    }

    /**
     * Copies bytes into a read-only direct buffer.
     *
     * @param bytes the bytes
     * @return the buffer
     */
    public static ByteBuffer direct(byte[] bytes) {
        ByteBuffer b = ByteBuffer.allocateDirect(bytes.length);
        b.put(bytes).flip();
        return b.asReadOnlyBuffer();
    }

    /**
     * Serialises {@code {"message":"Hello, World!"}} the way a small JSON library would: escaping
     * the value and encoding to UTF-8, per call. Both sides of the JSON pair call this per request.
     *
     * @param message the message
     * @return the UTF-8 document
     */
    public static byte[] json(String message) {
        StringBuilder sb = new StringBuilder(message.length() + 16);
        sb.append("{\"message\":");
        Json.quote(sb, message);
        sb.append('}');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Returns the file the file workload serves, from {@value #FILE_PROPERTY}.
     *
     * @return the path
     * @throws IllegalStateException if the property is not set
     */
    public static Path file() {
        String p = System.getProperty(FILE_PROPERTY);
        if (p == null) {
            throw new IllegalStateException("system property " + FILE_PROPERTY + " is not set");
        }
        return Path.of(p);
    }

    /**
     * Writes the file workload's file (10 MiB of a fixed pattern) if it does not exist with that size.
     *
     * @param path where
     * @return the path
     * @throws IOException if it cannot be written
     */
    public static Path writeFile(Path path) throws IOException {
        if (Files.exists(path) && Files.size(path) == FILE_SIZE) {
            return path;
        }
        byte[] block = pattern(CHUNK_SIZE, 13);
        try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            for (int i = 0; i < FILE_SIZE / CHUNK_SIZE; i++) {
                out.write(block);
            }
        }
        return path;
    }

    /** A deterministic, not very compressible byte pattern. */
    static byte[] pattern(int size, int seed) {
        byte[] b = new byte[size];
        int x = seed;
        for (int i = 0; i < size; i++) {
            x = x * 1103515245 + 12345;
            b[i] = (byte) (x >>> 16);
        }
        return b;
    }
}

package dev.jgi.bench.load;

import dev.jgi.bench.app.Payloads;
import java.nio.charset.StandardCharsets;

/**
 * The five workloads: what the load generator asks, how many connections it uses, and whether the
 * open-loop latency run applies.
 */
public enum Workload {
    /** GET /plaintext: 13 bytes of text. */
    HELLO("hello", "GET", Payloads.HELLO_PATH, 0, Payloads.HELLO.length, 16, true),
    /** GET /json: a small JSON document serialised per request. */
    JSON("json", "GET", Payloads.JSON_PATH, 0, Payloads.json(Payloads.MESSAGE).length, 16, true),
    /** POST /echo with 1 MiB, streamed back. */
    UPLOAD("upload-1m", "POST", Payloads.ECHO_PATH, Payloads.UPLOAD_SIZE, Payloads.UPLOAD_SIZE, 4, false),
    /** GET /stream: 10 MiB in 64 KiB chunks, Content-Length known. */
    DOWNLOAD("download-10m", "GET", Payloads.STREAM_PATH, 0, Payloads.STREAM_SIZE, 4, false),
    /** GET /file: a 10 MiB file through the file path (jgi.file_wrapper on the JGI side). */
    FILE("file-10m", "GET", Payloads.FILE_PATH, 0, Payloads.FILE_SIZE, 4, false);

    /** The workload's name in the results. */
    public final String label;
    /** The request method. */
    public final String method;
    /** The request path. */
    public final String path;
    /** The request body size (0 for none). */
    public final int requestBody;
    /** The response body size. */
    public final int responseBody;
    /** Connections the load generator opens. */
    public final int connections;
    /** Whether p50/p99 are measured at a fixed rate for this workload. */
    public final boolean latency;

    Workload(String label, String method, String path, int requestBody, int responseBody, int connections, boolean latency) {
        this.label = label;
        this.method = method;
        this.path = path;
        this.requestBody = requestBody;
        this.responseBody = responseBody;
        this.connections = connections;
        this.latency = latency;
    }

    /** @return whether the body dominates (MB/s is the throughput figure) */
    public boolean large() {
        return responseBody >= 1024 * 1024;
    }

    /** @return the request body the load generator sends: bytes of 'x', as the wrk script does */
    public byte[] requestBodyBytes() {
        return "x".repeat(requestBody).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The request exactly as wrk sends it (request line, Host, and for the upload Content-Type and
     * Content-Length), for the wire check, the startup probe and the open-loop client.
     *
     * @param port the server port
     * @return the request head; the body follows separately
     */
    public byte[] requestHead(int port) {
        StringBuilder sb = new StringBuilder();
        sb.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1:").append(port).append("\r\n");
        if (requestBody > 0) {
            sb.append("Content-Type: application/octet-stream\r\nContent-Length: ").append(requestBody).append("\r\n");
        }
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * @param label a label
     * @return the workload
     */
    public static Workload byLabel(String label) {
        for (Workload w : values()) {
            if (w.label.equals(label) || w.name().equalsIgnoreCase(label)) {
                return w;
            }
        }
        throw new IllegalArgumentException("no workload " + label);
    }
}

package dev.jgi.conformance;

/**
 * The groups cases are reported in; the first seven follow the union of the anchor suites
 * (Plack::Test::Suite, rack-conform, http4k ServerContract, Spring's handler tests).
 */
public enum Category {
    /** Request line, method, target forms, query. */
    REQUEST_LINE("Request line and query"),
    /** The path policy of SPEC.md "Paths" and the mount point. */
    PATHS("Paths and mount point"),
    /** Request headers to environ keys. */
    REQUEST_HEADERS("Request headers"),
    /** jgi.input, Content-Length, chunked bodies, 100-continue. */
    REQUEST_BODY("Request body"),
    /** Status line, response headers, framing, bodyless responses, start_response rules. */
    RESPONSE_STATUS_HEADERS("Response status and headers"),
    /** Body bytes, chunks, header delay, streaming, the write callable. */
    RESPONSE_BODY("Response body and streaming"),
    /** jgi.file_wrapper and file-backed bodies. */
    FILES("Files"),
    /** Errors, excInfo, close(), disconnects, keep-alive. */
    ERRORS_LIFECYCLE("Errors and lifecycle"),
    /** Optional protocol features a server declares. */
    PROTOCOL("Optional protocol features"),
    /** The same request fixtures through this server and the reference server give the same environ. */
    ENVIRON_DIFF("Differential environ");

    private final String title;

    Category(String title) {
        this.title = title;
    }

    /** @return the heading used in reports */
    public String title() {
        return title;
    }
}

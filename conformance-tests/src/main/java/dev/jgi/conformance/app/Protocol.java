package dev.jgi.conformance.app;

/**
 * The request headers by which the suite drives the conformance application. Dispatch is by
 * header, not by path, so that the path-policy cases can send any path at all (Plack::Test::Suite
 * does the same with {@code X-Plack-Test}).
 */
public final class Protocol {

    private Protocol() {
    }

    /** Which endpoint handles the request; {@link #ENV} when absent. */
    public static final String CASE = "X-Jgi-Case";
    /** The request id the journal records under. */
    public static final String ID = "X-Jgi-Id";
    /** A fault the harness injects between the validator and the server (see {@code Sabotage}). */
    public static final String SABOTAGE = "X-Jgi-Sabotage";
    /** The endpoint's main argument. */
    public static final String ARG = "X-Jgi-Arg";
    /** Status line for {@link #RESPOND}, percent-encoded. */
    public static final String STATUS = "X-Jgi-Status";
    /** Prefix of the response header specs for {@link #RESPOND}: {@code X-Jgi-H1} to {@code X-Jgi-H9}, each {@code pct(name): pct(value)}. */
    public static final String HEADER_PREFIX = "X-Jgi-H";
    /** Body chunks for {@link #RESPOND}: comma-separated, each percent-encoded. For small chunk lists only. */
    public static final String CHUNKS = "X-Jgi-Chunks";
    /**
     * Body chunks for {@link #RESPOND} carried in the request body instead of {@link #CHUNKS}: the
     * header lists the chunk lengths, comma-separated, and the request body is the chunks' bytes
     * back to back, which the endpoint reads in full before it calls start_response. Used for
     * chunk data too large for a header: every request head the suite sends stays under
     * {@code Request.HEAD_BUDGET} (servers commonly refuse heads over 8 KiB with 431).
     */
    public static final String CHUNK_LENGTHS = "X-Jgi-Chunk-Lengths";
    /** {@code known} (the body reports its chunk count) or {@code unknown}. */
    public static final String COUNT = "X-Jgi-Count";
    /** How the endpoint reads jgi.input: {@code sha}, {@code past-end}, or a byte count. */
    public static final String READ = "X-Jgi-Read";
    /** Request ids whose journal entries to return, comma-separated. */
    public static final String JOURNAL_IDS = "X-Jgi-Journal";
    /** {@code id/name} of the latch to release. */
    public static final String RELEASE = "X-Jgi-Release";
    /** A size in bytes. */
    public static final String SIZE = "X-Jgi-Size";
    /** A position in bytes. */
    public static final String POS = "X-Jgi-Pos";
    /** Whether the application declares Content-Length ({@code yes}). */
    public static final String LENGTH = "X-Jgi-Length";

    /** Endpoint: dump the environ as JSON (the default). */
    public static final String ENV = "env";
    /** Endpoint: return journal entries. */
    public static final String JOURNAL = "journal";
    /** Endpoint: release a latch. */
    public static final String RELEASE_CASE = "release";
    /** Endpoint: stream the request body back. */
    public static final String ECHO = "echo";
    /** Endpoint: respond as the headers say. */
    public static final String RESPOND = "respond";
    /** Endpoint: chunks paced by the client. */
    public static final String STREAM = "stream";
    /** Endpoint: the write callable, paced by the client. */
    public static final String WRITE = "write";
    /** Endpoint: empty chunks, then a status replaced with excInfo. */
    public static final String DELAY = "delay";
    /** Endpoint: start_response called inside the first next(). */
    public static final String LAZY_START = "lazy-start";
    /** Endpoint: throw at a chosen point. */
    public static final String THROW = "throw";
    /** Endpoint: start_response with excInfo before or after commit. */
    public static final String EXC_INFO = "excinfo";
    /** Endpoint: produce output until the client goes away. */
    public static final String ENDLESS = "endless";
    /** Endpoint: a file body. */
    public static final String FILE = "file";
    /** Endpoint: a body over an InputStream. */
    public static final String INPUT_STREAM = "input-stream";
    /** Endpoint: chunks produced by another thread. */
    public static final String ASYNC = "async";
    /** Endpoint: write to jgi.errors. */
    public static final String ERRORS = "errors";
    /** Endpoint: a large deterministic body. */
    public static final String LARGE = "large";
    /** Endpoint: answer with or without reading the body (Expect: 100-continue). */
    public static final String EXPECT = "expect";
    /** Endpoint: send 103 Early Hints through jgi.early_hints, then a final response. */
    public static final String EARLY_HINTS = "early-hints";
    /** Endpoint: a body whose close() throws. */
    public static final String CLOSE_THROWS = "close-throws";

    /** The secret an error message carries, which must never reach the client. */
    public static final String SECRET = "SECRET-jgi-4711";

    /** How long the application waits for a client release before giving up (liveness only). */
    public static final long RELEASE_TIMEOUT_MILLIS = 20_000;
}

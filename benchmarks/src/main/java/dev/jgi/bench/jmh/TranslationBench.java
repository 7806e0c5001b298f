package dev.jgi.bench.jmh;

import dev.jgi.Header;
import dev.jgi.bench.app.BenchApp;
import dev.jgi.bench.app.Payloads;
import dev.jgi.gateway.Gateway;
import dev.jgi.gateway.HeaderKeys;
import dev.jgi.gateway.RequestPath;
import dev.jgi.gateway.RequestRejectedException;
import dev.jgi.gateway.ResponseRules;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Micro-benchmarks of core's per-request translation, the part of JGI that is the same on every
 * server: the environ ({@code EnvironBuilder}), header names ({@code HeaderKeys}), the path policy
 * ({@code RequestPath}, fast and slow path), response validation ({@code ResponseRules}), and the
 * {@code Gateway} driving an in-memory channel for the hello response. Run with {@code -prof gc}
 * for bytes allocated per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TranslationBench {

    private static final List<Header> RESPONSE_HEADERS = List.of(new Header("Content-Type", "text/html; charset=utf-8"),
            new Header("Cache-Control", "no-cache"), new Header("Set-Cookie", "id=a3fWa; Max-Age=2592000"));

    private Gateway gateway;
    private HashMap<String, Object> helloEnviron;
    private final Requests.CountingChannel channel = new Requests.CountingChannel();

    /** Creates the benchmark state. */
    public TranslationBench() {
    }

    /**
     * Prepares the gateway and a hello environ.
     *
     * @throws RequestRejectedException never
     */
    @Setup
    public void setup() throws RequestRejectedException {
        gateway = new Gateway(new BenchApp(Path.of("/nonexistent")), Requests.ERRORS);
        helloEnviron = Requests.environ(Payloads.HELLO_PATH, null, Requests.WRK_HEADERS);
    }

    /**
     * The environ of wrk's hello request (request line and Host).
     *
     * @return the environ
     * @throws RequestRejectedException never
     */
    @Benchmark
    public HashMap<String, Object> environWrkHello() throws RequestRejectedException {
        return Requests.environ(Payloads.HELLO_PATH, null, Requests.WRK_HEADERS);
    }

    /**
     * The environ of a browser-like GET with eight header fields and a query.
     *
     * @return the environ
     * @throws RequestRejectedException never
     */
    @Benchmark
    public HashMap<String, Object> environBrowser() throws RequestRejectedException {
        return Requests.environ("/shop/items/42", "color=red&size=m", Requests.BROWSER_HEADERS);
    }

    /**
     * A common header name (from the table of known spellings).
     *
     * @return the key
     */
    @Benchmark
    public String headerKeyCommon() {
        return HeaderKeys.environKey("User-Agent");
    }

    /**
     * A header name that is not in the table: validated and built.
     *
     * @return the key
     */
    @Benchmark
    public String headerKeyUncommon() {
        return HeaderKeys.environKey("X-Request-Id");
    }

    /**
     * A plain path: nothing to decode (the fast path).
     *
     * @return the decoded path
     * @throws RequestRejectedException never
     */
    @Benchmark
    public String pathFast() throws RequestRejectedException {
        return RequestPath.decode("/api/v1/users/42/profile");
    }

    /**
     * A path with escapes, a parameter and dot-segments (the slow path).
     *
     * @return the decoded path
     * @throws RequestRejectedException never
     */
    @Benchmark
    public String pathSlow() throws RequestRejectedException {
        return RequestPath.decode("/files/a%20b/./c;v=1/../d%C3%A9");
    }

    /**
     * Validation of a status and three response headers, as start_response does.
     *
     * @return the declared length (-1)
     */
    @Benchmark
    public long responseRules() {
        ResponseRules.checkStatus("200 OK");
        return ResponseRules.checkHeaders(RESPONSE_HEADERS);
    }

    /**
     * The gateway serving the hello application into an in-memory channel (environ prebuilt).
     *
     * @return bytes the channel saw
     */
    @Benchmark
    public long gatewayHello() {
        gateway.serve(helloEnviron, channel);
        return channel.bytes;
    }

    /**
     * Everything core does per hello request: the environ, then the gateway.
     *
     * @return bytes the channel saw
     * @throws RequestRejectedException never
     */
    @Benchmark
    public long environAndGatewayHello() throws RequestRejectedException {
        gateway.serve(Requests.environ(Payloads.HELLO_PATH, null, Requests.WRK_HEADERS), channel);
        return channel.bytes;
    }
}

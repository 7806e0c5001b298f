package dev.jgi.conformance;

import dev.jgi.conformance.app.Protocol;
import dev.jgi.conformance.http.HttpConnection;
import dev.jgi.conformance.http.Request;
import dev.jgi.conformance.http.Response;
import dev.jgi.conformance.report.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What a case's check works with: where the conformance application is, what the server declares,
 * request helpers that tag requests for the journal, the journal itself, and assertions that fail
 * with a readable reason. Every connection it opens lands in the case's transcript.
 *
 * <p>One context serves one case run; it is not thread-safe except for the transcript.
 */
public final class CaseContext {

    private final URI base;
    private final String host;
    private final int port;
    private final String mountRaw;
    private final String mount;
    private final Declaration declaration;
    private final String runId;
    private final AtomicInteger counter;
    private final Supplier<URI> comparison;
    private final Supplier<String> serverLog;
    private final int timeoutMillis;
    private final List<Exchange> transcript = Collections.synchronizedList(new ArrayList<>());
    private final List<String> ids = new ArrayList<>();
    private final List<String> soft = new ArrayList<>();

    CaseContext(URI base, Declaration declaration, String runId, AtomicInteger counter, Supplier<URI> comparison,
            Supplier<String> serverLog, int timeoutMillis) {
        this.base = Objects.requireNonNull(base);
        this.host = base.getHost();
        this.port = base.getPort() < 0 ? 80 : base.getPort();
        String raw = base.getRawPath() == null ? "" : base.getRawPath();
        this.mountRaw = raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
        this.mount = URLDecoder.decode(mountRaw.replace("+", "%2B"), StandardCharsets.UTF_8);
        this.declaration = declaration;
        this.runId = runId;
        this.counter = counter;
        this.comparison = comparison;
        this.serverLog = serverLog;
        this.timeoutMillis = timeoutMillis;
    }

    // ---- where and what

    /** @return the base URI of the conformance application (no trailing slash) */
    public URI baseUri() {
        return base;
    }

    /** @return the host to connect to */
    public String host() {
        return host;
    }

    /** @return the port to connect to */
    public int port() {
        return port;
    }

    /** @return the Host header value requests carry: {@code host:port} */
    public String authority() {
        return base.getRawAuthority();
    }

    /** @return the mount prefix as it appears in request targets (raw), {@code ""} at the root */
    public String mountRaw() {
        return mountRaw;
    }

    /** @return the decoded mount prefix, which SCRIPT_NAME must equal, {@code ""} at the root */
    public String mount() {
        return mount;
    }

    /** @return whether the application is mounted at the root */
    public boolean atRoot() {
        return mountRaw.isEmpty();
    }

    /** @return what the server declares */
    public Declaration declaration() {
        return declaration;
    }

    /** @return the read timeout, a liveness bound */
    public int timeoutMillis() {
        return timeoutMillis;
    }

    // ---- requests

    /**
     * @param rel a raw path relative to the mount, starting with {@code /}, possibly with a query
     * @return the request target under the mount
     */
    public String target(String rel) {
        return mountRaw + rel;
    }

    /** @return a new request id, unique in this run */
    public String newId() {
        String id = runId + "-" + counter.incrementAndGet();
        ids.add(id);
        return id;
    }

    /**
     * Starts a request to an endpoint of the conformance application, tagged with a fresh id.
     *
     * @param endpoint the endpoint ({@code X-Jgi-Case}), see {@link Protocol}
     * @param method the method
     * @param rel the raw target relative to the mount
     * @return the request
     */
    public Request to(String endpoint, String method, String rel) {
        return Request.of(method, target(rel)).header(Protocol.CASE, endpoint).header(Protocol.ID, newId());
    }

    /**
     * Tags any request (for example one with an absolute-form or asterisk target) for an endpoint,
     * with a fresh id.
     *
     * @param r the request
     * @param endpoint the endpoint
     * @return {@code r}
     */
    public Request tag(Request r, String endpoint) {
        return r.header(Protocol.CASE, endpoint).header(Protocol.ID, newId());
    }

    /**
     * @param rel the raw target relative to the mount
     * @return a GET to the environ dump
     */
    public Request env(String rel) {
        return to(Protocol.ENV, "GET", rel);
    }

    /**
     * @param r a request made by {@link #to}
     * @return its id
     */
    public static String idOf(Request r) {
        String id = r.headerValue(Protocol.ID);
        if (id == null) {
            throw new IllegalArgumentException("request has no " + Protocol.ID);
        }
        return id;
    }

    /**
     * Opens a raw connection to the server; its transcript is kept when it is closed.
     *
     * @param title what it is for
     * @return the connection
     * @throws IOException if the server cannot be reached
     */
    public HttpConnection connect(String title) throws IOException {
        return HttpConnection.open(host, port, authority(), title, transcript::add, timeoutMillis);
    }

    /**
     * Sends a request on a new connection and reads the whole response.
     *
     * @param r the request
     * @return the response
     * @throws IOException if the connection failed or timed out
     */
    public Response send(Request r) throws IOException {
        try (HttpConnection c = connect(r.toString())) {
            return c.exchange(r);
        }
    }

    /**
     * Sends a request to another server hosting the conformance application at the same mount:
     * the reference server of the differential environ check.
     *
     * @param r the request
     * @param other the other server's base URI
     * @return the response
     * @throws IOException if the connection failed
     */
    public Response sendTo(Request r, URI other) throws IOException {
        int p = other.getPort() < 0 ? 80 : other.getPort();
        try (HttpConnection c = HttpConnection.open(other.getHost(), p, other.getRawAuthority(), "reference: " + r,
                transcript::add, timeoutMillis)) {
            return c.exchange(r);
        }
    }

    /**
     * @return the base URI of the reference server for the differential check
     * @throws CheckFailed if this run has no reference server
     */
    public URI comparisonUri() throws CheckFailed {
        URI u = comparison == null ? null : comparison.get();
        if (u == null) {
            throw new CheckFailed("no reference server is available for the differential environ check");
        }
        return u;
    }

    /**
     * Adds a transcript entry for an exchange made without {@link #connect}, for example with
     * {@code java.net.http.HttpClient}.
     *
     * @param exchange the entry
     */
    public void record(Exchange exchange) {
        transcript.add(exchange);
    }

    /**
     * @return the server's log so far, or {@code null} if the server does not make it available
     */
    public String serverLog() {
        return serverLog == null ? null : serverLog.get();
    }

    // ---- what came back

    /**
     * Parses a JSON response of the conformance application.
     *
     * @param r the response
     * @return the object
     * @throws CheckFailed if the status is not 200 or the body is not a JSON object
     */
    public Map<String, Object> json(Response r) throws CheckFailed {
        if (r.status() != 200) {
            throw new CheckFailed("expected 200 from the conformance application, got " + r.status() + " " + r.reason()
                    + bodyHint(r));
        }
        try {
            return Json.parseObject(r.text());
        } catch (IllegalArgumentException e) {
            throw new CheckFailed("the response body is not the application's JSON (" + e.getMessage() + ")" + bodyHint(r));
        }
    }

    private static String bodyHint(Response r) {
        String t = r.text();
        return t.isEmpty() ? "" : "; body: " + (t.length() > 200 ? t.substring(0, 200) + "..." : t).trim();
    }

    /**
     * @param r a response of the {@code env} endpoint
     * @return the environ dump
     * @throws CheckFailed if it is not one
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> environ(Response r) throws CheckFailed {
        Object e = json(r).get("environ");
        if (!(e instanceof Map)) {
            throw new CheckFailed("the response has no environ dump");
        }
        return (Map<String, Object>) e;
    }

    /**
     * Sends a request to the environ dump and returns the environ.
     *
     * @param r the request, made by {@link #env} or {@link #to}
     * @return the environ dump
     * @throws Exception if the request failed or did not reach the application
     */
    public Map<String, Object> environOf(Request r) throws Exception {
        return environ(send(r));
    }

    // ---- the journal

    /**
     * Reads the journal entries of request ids.
     *
     * @param requestIds the ids
     * @return id to entry ({@code null} for an id the application never saw)
     * @throws IOException if the journal request failed
     * @throws CheckFailed if the journal endpoint did not answer
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> journals(List<String> requestIds) throws IOException, CheckFailed {
        Request r = Request.get(target("/_jgi/journal")).header(Protocol.CASE, Protocol.JOURNAL)
                .header(Protocol.JOURNAL_IDS, String.join(",", requestIds));
        Response resp;
        try (HttpConnection c = connect("journal " + String.join(",", requestIds))) {
            resp = c.exchange(r);
        }
        return json(resp);
    }

    /**
     * Reads one request's journal entry.
     *
     * @param id the request id
     * @return the entry, or {@code null} if the application never saw the request
     * @throws Exception if the journal request failed
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> journal(String id) throws Exception {
        return (Map<String, Object>) journals(List.of(id)).get(id);
    }

    /**
     * Polls a request's journal entry until {@code condition} holds, up to the timeout.
     *
     * @param id the request id
     * @param condition what to wait for; gets {@code null} while the application has not seen the request
     * @param what what is awaited, for the failure message
     * @return the entry that satisfied the condition
     * @throws Exception {@link CheckFailed} if it never held
     */
    public Map<String, Object> awaitJournal(String id, Predicate<Map<String, Object>> condition, String what) throws Exception {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        Map<String, Object> j;
        long sleep = 5;
        while (true) {
            j = journal(id);
            if (condition.test(j)) {
                return j;
            }
            if (System.nanoTime() > deadline) {
                throw new CheckFailed("timed out after " + timeoutMillis + " ms waiting for " + what + "; journal: " + Json.write(j));
            }
            Thread.sleep(sleep);
            sleep = Math.min(100, sleep * 2);
        }
    }

    /**
     * @param journal a journal entry
     * @return its events
     */
    @SuppressWarnings("unchecked")
    public static List<String> events(Map<String, Object> journal) {
        return journal == null ? List.of() : (List<String>) journal.get("events");
    }

    /**
     * @param journal a journal entry
     * @param prefix an event prefix
     * @return whether an event starting with {@code prefix} was recorded
     */
    public static boolean hasEvent(Map<String, Object> journal, String prefix) {
        for (String e : events(journal)) {
            if (e.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param journal a journal entry
     * @return how often the server closed the body
     */
    public static int closes(Map<String, Object> journal) {
        return journal == null ? 0 : ((Number) journal.get("closes")).intValue();
    }

    /**
     * Lets the application continue past the latch {@code name} of request {@code id}.
     *
     * @param id the request id
     * @param name the latch
     * @throws Exception if the release request failed
     */
    public void release(String id, String name) throws Exception {
        Request r = Request.get(target("/_jgi/release")).header(Protocol.CASE, Protocol.RELEASE_CASE)
                .header(Protocol.RELEASE, id + "/" + name);
        Response resp;
        try (HttpConnection c = connect("release " + id + "/" + name)) {
            resp = c.exchange(r);
        }
        check(resp.status() == 200, "the release request got " + resp.status() + " instead of 200");
    }

    // ---- assertions

    /**
     * Fails the case now unless {@code ok}.
     *
     * @param ok the condition
     * @param message what went wrong
     * @throws CheckFailed unless {@code ok}
     */
    public void check(boolean ok, String message) throws CheckFailed {
        if (!ok) {
            throw new CheckFailed(message);
        }
    }

    /**
     * Fails the case now unless the values are equal.
     *
     * @param expected the expected value
     * @param actual the actual value
     * @param what what is compared
     * @throws CheckFailed if they differ
     */
    public void equal(Object expected, Object actual, String what) throws CheckFailed {
        if (!Objects.equals(expected, actual)) {
            throw new CheckFailed(what + ": expected " + show(expected) + ", got " + show(actual));
        }
    }

    /**
     * Records a failure but lets the case go on, so that one run reports every broken fixture.
     *
     * @param ok the condition
     * @param message what went wrong
     */
    public void expect(boolean ok, String message) {
        if (!ok) {
            soft.add(message);
        }
    }

    /**
     * Soft {@link #equal}.
     *
     * @param expected the expected value
     * @param actual the actual value
     * @param what what is compared
     */
    public void expectEqual(Object expected, Object actual, String what) {
        if (!Objects.equals(expected, actual)) {
            soft.add(what + ": expected " + show(expected) + ", got " + show(actual));
        }
    }

    /**
     * Checks a status code.
     *
     * @param r the response
     * @param status the expected status
     * @param what what the request was
     * @throws CheckFailed if it differs
     */
    public void status(Response r, int status, String what) throws CheckFailed {
        if (r.status() != status) {
            throw new CheckFailed(what + ": expected status " + status + ", got " + r.status() + " " + r.reason() + bodyHint(r));
        }
    }

    /**
     * Formats a value for a failure message: strings quoted with escapes, so whitespace differences show.
     *
     * @param v the value
     * @return the text
     */
    public static String show(Object v) {
        if (v instanceof String) {
            StringBuilder sb = new StringBuilder();
            Json.quote(sb, (String) v);
            return sb.toString();
        }
        return String.valueOf(v);
    }

    // ---- for the runner

    List<Exchange> transcript() {
        synchronized (transcript) {
            return new ArrayList<>(transcript);
        }
    }

    List<String> ids() {
        return ids;
    }

    List<String> softFailures() {
        return soft;
    }
}

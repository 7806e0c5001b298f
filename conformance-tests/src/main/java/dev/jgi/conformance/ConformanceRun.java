package dev.jgi.conformance;

import dev.jgi.conformance.http.HttpConnection;
import dev.jgi.conformance.report.Json;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs cases against one running server at one mount: decides "not declared", runs the check,
 * then reads the journal of every request the case made and fails the case if the server did not
 * close a body exactly once or the validator recorded a violation. A failure of a case the server
 * declares a deviation for becomes {@link Verdict#DEVIATION}, and a pass of such a case a
 * failure ({@link Declaration#deviations()}). A case that tries to send a request head over
 * {@link dev.jgi.conformance.http.Request#HEAD_BUDGET} fails whatever is declared: that is a
 * defect of the suite, which keeps every case's head small enough for any server's header limit. Shared by the JUnit suite and the command-line
 * runner, so both give the same verdicts.
 */
public final class ConformanceRun {

    /** The non-empty mount prefix every case also runs under. */
    public static final String DEFAULT_MOUNT = "/mnt/app";

    private final URI base;
    private final String mount;
    private final Declaration declaration;
    private final Supplier<URI> comparison;
    private final Supplier<String> serverLog;
    private final int timeoutMillis;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicInteger counter = new AtomicInteger();

    /**
     * Creates a run.
     *
     * @param base the base URI of the conformance application (scheme, host, port, raw mount path)
     * @param declaration what the server declares
     * @param comparison the base URI of a reference server hosting the conformance application at
     *     the same mount, for the differential environ cases; {@code null} to leave them out
     * @param timeoutMillis the read timeout for liveness, usually {@link HttpConnection#DEFAULT_TIMEOUT_MILLIS}
     */
    public ConformanceRun(URI base, Declaration declaration, Supplier<URI> comparison, int timeoutMillis) {
        this(base, declaration, comparison, null, timeoutMillis);
    }

    /**
     * Creates a run that can also read the server's log.
     *
     * @param base the base URI of the conformance application
     * @param declaration what the server declares
     * @param comparison the reference server's base URI at the same mount, or {@code null}
     * @param serverLog supplies the server's log so far, or {@code null} if it is not available
     *     (the cases that need it are then reported as not declared)
     * @param timeoutMillis the read timeout for liveness
     */
    public ConformanceRun(URI base, Declaration declaration, Supplier<URI> comparison, Supplier<String> serverLog, int timeoutMillis) {
        this.base = stripSlash(Objects.requireNonNull(base));
        this.declaration = Objects.requireNonNull(declaration);
        this.comparison = comparison;
        this.serverLog = serverLog;
        this.timeoutMillis = timeoutMillis;
        this.mount = new CaseContext(this.base, declaration, "", new AtomicInteger(), null, null, timeoutMillis).mount();
    }

    private static URI stripSlash(URI u) {
        String s = u.toString();
        return s.endsWith("/") ? URI.create(s.substring(0, s.length() - 1)) : u;
    }

    /** @return the decoded mount prefix of the base URI */
    public String mount() {
        return mount;
    }

    /** @return whether the differential environ cases can run */
    public boolean hasComparison() {
        return comparison != null;
    }

    /**
     * Whether a case applies at this run's mount (mount-only cases do not at the root) and, for the
     * differential cases, whether there is a reference server.
     *
     * @param c the case
     * @return whether to run it
     */
    public boolean applies(ConformanceCase c) {
        if (c.mountOnly() && mount.isEmpty()) {
            return false;
        }
        return c.category() != Category.ENVIRON_DIFF || comparison != null;
    }

    /**
     * Runs every applicable case in order.
     *
     * @param cases the cases
     * @param listener gets each result as it is known; may be {@code null}
     * @return the results
     */
    public List<CaseResult> runAll(List<ConformanceCase> cases, Consumer<CaseResult> listener) {
        List<CaseResult> out = new ArrayList<>();
        for (ConformanceCase c : cases) {
            if (!applies(c)) {
                continue;
            }
            CaseResult r = run(c);
            out.add(r);
            if (listener != null) {
                listener.accept(r);
            }
        }
        return out;
    }

    /**
     * Runs one case.
     *
     * @param c the case
     * @return its result; never throws
     */
    public CaseResult run(ConformanceCase c) {
        long start = System.nanoTime();
        if (c.requires() != null && !declaration.has(c.requires())) {
            return new CaseResult(c, mount, Verdict.NOT_DECLARED, "the server does not declare the capability "
                    + c.requires().id(), 0, List.of());
        }
        if (c.needsServerLog() && serverLog == null) {
            return new CaseResult(c, mount, Verdict.NOT_DECLARED, "the server's log is not available to the suite"
                    + " (ServerUnderTest.Running.log(), or --server-log / --command for the command line)", 0, List.of());
        }
        if (c.needsBodyLimit() && declaration.bodyLimit() < 0) {
            return new CaseResult(c, mount, Verdict.NOT_DECLARED, "the server declares no body-limit (the request-body limit"
                    + " it was started with)", 0, List.of());
        }
        CaseContext ctx = new CaseContext(base, declaration, runId, counter, comparison, serverLog, timeoutMillis);
        String failure = null;
        String suiteDefect = null;
        try {
            c.check().run(ctx);
            if (!ctx.softFailures().isEmpty()) {
                failure = String.join("\n", ctx.softFailures());
            }
        } catch (CheckFailed e) {
            failure = join(ctx.softFailures(), e.getMessage());
        } catch (SocketTimeoutException e) {
            failure = join(ctx.softFailures(), "no answer from the server within " + timeoutMillis + " ms ("
                    + e.getMessage() + ")");
        } catch (ConnectException e) {
            failure = join(ctx.softFailures(), "cannot connect to " + base + ": " + e.getMessage());
        } catch (dev.jgi.conformance.http.Request.HeadTooLargeException e) {
            suiteDefect = e.getMessage();
        } catch (InterruptedException | InterruptedIOException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        } catch (Exception | AssertionError e) {
            failure = join(ctx.softFailures(), e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        String journalProblem = null;
        try {
            journalProblem = verifyJournal(ctx);
        } catch (Exception e) {
            journalProblem = "could not read the journal: " + e;
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (suiteDefect != null) {
            // the case, not the server, is broken: no declaration can excuse it, and nothing was sent
            return new CaseResult(c, mount, Verdict.FAIL, "suite defect: " + suiteDefect, millis, ctx.transcript());
        }
        String deviation = declaration.deviation(c.id(), mount);
        if (failure == null && journalProblem == null) {
            if (deviation != null) {
                // a deviation that stopped failing is stale: the declaration must stay exact
                return new CaseResult(c, mount, Verdict.FAIL, "declared deviation no longer holds; remove it (the case passes)."
                        + " Declared: " + deviation, millis, ctx.transcript());
            }
            return new CaseResult(c, mount, Verdict.PASS, "", millis, List.of());
        }
        String reason = failure == null ? journalProblem
                : journalProblem == null ? failure : failure + "\nserver-side: " + journalProblem;
        if (deviation != null) {
            return new CaseResult(c, mount, Verdict.DEVIATION, "declared deviation: " + deviation + "\nobserved: " + reason, millis,
                    ctx.transcript());
        }
        return new CaseResult(c, mount, Verdict.FAIL, reason, millis, ctx.transcript());
    }

    private static String join(List<String> soft, String last) {
        if (soft.isEmpty()) {
            return last;
        }
        List<String> all = new ArrayList<>(soft);
        all.add(last);
        return String.join("\n", all);
    }

    /**
     * The checks every case gets for free: each body the application returned was closed exactly
     * once (waiting for it, since a server may close after the client has the last byte), and
     * neither the validator nor the application recorded a violation.
     */
    @SuppressWarnings("unchecked")
    private String verifyJournal(CaseContext ctx) throws Exception {
        List<String> ids = ctx.ids();
        if (ids.isEmpty()) {
            return null;
        }
        List<String> problems = new ArrayList<>();
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        List<String> pending = new ArrayList<>(ids);
        long sleep = 5;
        while (!pending.isEmpty()) {
            Map<String, Object> all = ctx.journals(pending);
            List<String> still = new ArrayList<>();
            for (String id : pending) {
                Map<String, Object> j = (Map<String, Object>) all.get(id);
                if (j == null) {
                    continue; // never reached the application (rejected by the server): nothing to close
                }
                boolean body = Boolean.TRUE.equals(j.get("body"));
                int closes = CaseContext.closes(j);
                if (body && closes == 0 && System.nanoTime() < deadline) {
                    still.add(id);
                    continue;
                }
                if (body && closes != 1) {
                    problems.add("[server.close-once] request " + id + ": the body was closed " + closes + " times, expected exactly once"
                            + (closes == 0 ? " (waited " + timeoutMillis + " ms)" : "") + "; journal: " + Json.write(j));
                }
                for (Object v : (List<Object>) j.get("violations")) {
                    String text = String.valueOf(v);
                    if (!(closes != 1 && text.contains("[server.close-once]"))) {
                        problems.add("request " + id + ": " + text);
                    }
                }
            }
            pending = still;
            if (!pending.isEmpty()) {
                Thread.sleep(sleep);
                sleep = Math.min(100, sleep * 2);
            }
        }
        return problems.isEmpty() ? null : String.join("\n", problems);
    }

    /**
     * Tells whether something answers HTTP at {@code base}, for waiting on a server to start.
     *
     * @param base the base URI
     * @param timeoutMillis the connect and read timeout
     * @return whether a response head arrived
     */
    public static boolean answers(URI base, int timeoutMillis) {
        int port = base.getPort() < 0 ? 80 : base.getPort();
        try (HttpConnection c = HttpConnection.open(base.getHost(), port, base.getRawAuthority(), "probe", null, timeoutMillis)) {
            String path = base.getRawPath() == null || base.getRawPath().isEmpty() ? "/" : base.getRawPath();
            c.send(dev.jgi.conformance.http.Request.get(path).header("Connection", "close"));
            c.readHead();
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

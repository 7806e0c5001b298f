package dev.jgi.conformance.junit;

import dev.jgi.conformance.CaseResult;
import dev.jgi.conformance.Category;
import dev.jgi.conformance.ConformanceApp;
import dev.jgi.conformance.ConformanceCase;
import dev.jgi.conformance.ConformanceRun;
import dev.jgi.conformance.Declaration;
import dev.jgi.conformance.Exchange;
import dev.jgi.conformance.ReferenceServerUnderTest;
import dev.jgi.conformance.ServerUnderTest;
import dev.jgi.conformance.Verdict;
import dev.jgi.conformance.cases.Cases;
import dev.jgi.conformance.http.HttpConnection;
import dev.jgi.conformance.report.HtmlReport;
import dev.jgi.conformance.report.JUnitXml;
import dev.jgi.conformance.report.ServerResults;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * The in-process conformance suite for JUnit 5. A server author implements
 * {@link ServerUnderTest} and adds one test class:
 *
 * <pre>{@code
 * class MyServerConformanceTest extends ConformanceSuite {
 *     @Override
 *     protected ServerUnderTest server() {
 *         return new MyServerUnderTest();
 *     }
 * }
 * }</pre>
 *
 * <p>Every case runs twice, at the root and under {@value ConformanceRun#DEFAULT_MOUNT}, as one
 * dynamic test each. A case for a capability the server does not declare is aborted (JUnit's
 * "skipped") with the reason, and recorded as not declared. A case the server declares a
 * deviation for ({@link Declaration.Builder#deviation(String, String)}) is aborted too when it
 * fails as declared, with the declared reason and the observed failure, and recorded as a
 * deviation; if it passes, it fails, because the declaration is stale. After the run the results are
 * written to {@code <reportDir>/<server>.json} and {@code .xml}, and {@code index.html} is rebuilt
 * from every result file in that directory, so several servers' runs make one matrix. The
 * directory is the system property {@code jgi.conformance.reportDir}, else
 * {@code target/jgi-conformance}.
 *
 * <p>The differential environ cases compare against a {@code ReferenceServer} that the suite starts
 * in-process at the same mount; nothing is needed from the server author for them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ConformanceSuite {

    private ServerUnderTest server;
    private Declaration declaration;
    private final Map<String, ServerUnderTest.Running> servers = new LinkedHashMap<>();
    private final Map<String, Throwable> startFailures = new LinkedHashMap<>();
    private final List<AutoCloseable> running = new ArrayList<>();
    private final List<CaseResult> results = Collections.synchronizedList(new ArrayList<>());

    /** @return the server to test; called once per test class instance */
    protected abstract ServerUnderTest server();

    /** @return the mount prefixes to run at: the root and {@value ConformanceRun#DEFAULT_MOUNT} */
    protected List<String> mounts() {
        return List.of("", ConformanceRun.DEFAULT_MOUNT);
    }

    /** @return the cases to run: all of them */
    protected List<ConformanceCase> cases() {
        return Cases.all();
    }

    /** @return whether to run the differential environ cases against an in-process reference server */
    protected boolean differential() {
        return true;
    }

    /** @return the read timeout of the cases, a liveness bound */
    protected int timeoutMillis() {
        return HttpConnection.DEFAULT_TIMEOUT_MILLIS;
    }

    /** @return where results are written */
    protected Path reportDir() {
        return Paths.get(System.getProperty("jgi.conformance.reportDir", "target/jgi-conformance"));
    }

    /**
     * One container per mount, one dynamic test per applicable case.
     *
     * @return the tests
     */
    @TestFactory
    Stream<DynamicNode> conformance() {
        server = server();
        Declaration declaration = server.declaration();
        this.declaration = declaration;
        List<DynamicNode> containers = new ArrayList<>();
        for (String mount : mounts()) {
            List<DynamicNode> tests = new ArrayList<>();
            ConformanceRun[] run = {null};
            for (ConformanceCase c : cases()) {
                if ((c.mountOnly() && mount.isEmpty()) || (c.category() == Category.ENVIRON_DIFF && !differential())) {
                    continue;
                }
                tests.add(DynamicTest.dynamicTest(c.id() + " \u2014 " + c.title(), () -> {
                    if (run[0] == null) {
                        ServerUnderTest.Running started;
                        try {
                            started = start(mount);
                        } catch (Exception | AssertionError e) {
                            results.add(new CaseResult(c, mount, Verdict.FAIL, server.name() + " did not start: " + e, 0, List.of()));
                            throw e;
                        }
                        run[0] = new ConformanceRun(started.baseUri(), declaration, differential() ? () -> comparison(mount) : null,
                                started.log() != null ? started::log : null, timeoutMillis());
                    }
                    report(run[0].run(c));
                }));
            }
            containers.add(DynamicContainer.dynamicContainer("[" + (mount.isEmpty() ? "/" : mount) + "] " + server.name(), tests));
        }
        return containers.stream();
    }

    private synchronized ServerUnderTest.Running start(String mount) throws Exception {
        ServerUnderTest.Running u = servers.get(mount);
        if (u != null) {
            return u;
        }
        Throwable failed = startFailures.get(mount);
        if (failed != null) {
            throw new AssertionError(server.name() + " did not start at mount \"" + mount + "\": " + failed, failed);
        }
        try {
            ServerUnderTest.Running r = server.start(ConformanceApp.create(), mount);
            running.add(r);
            servers.put(mount, r);
            return r;
        } catch (Exception | Error e) {
            startFailures.put(mount, e);
            throw e;
        }
    }

    private final Map<String, URI> comparisons = new LinkedHashMap<>();

    private synchronized URI comparison(String mount) {
        return comparisons.computeIfAbsent(mount, m -> {
            try {
                ServerUnderTest.Running r = new ReferenceServerUnderTest(false).start(ConformanceApp.create(), m);
                running.add(r);
                return r.baseUri();
            } catch (Exception e) {
                return null;
            }
        });
    }

    private void report(CaseResult r) {
        results.add(r);
        if (r.verdict() == Verdict.DEVIATION) {
            Assumptions.abort(server.name() + ": " + r.reason());
        }
        if (r.verdict() == Verdict.NOT_DECLARED) {
            Assumptions.abort("not declared: " + r.reason());
        }
        if (r.verdict() == Verdict.FAIL) {
            StringBuilder m = new StringBuilder(r.caseId()).append(" [").append(r.mountLabel()).append("] failed (rules ")
                    .append(String.join(", ", r.rules())).append("):\n").append(r.reason());
            for (Exchange x : r.transcript()) {
                m.append("\n\n").append(x);
            }
            throw new AssertionError(m.toString());
        }
    }

    /**
     * Stops the servers and writes the reports.
     *
     * @throws Exception if writing the reports failed
     */
    @AfterAll
    void finish() throws Exception {
        for (AutoCloseable r : running) {
            try {
                r.close();
            } catch (Exception e) {
                // a server that fails to stop must not hide the results
            }
        }
        if (server == null || results.isEmpty()) {
            return;
        }
        List<CaseResult> copy;
        synchronized (results) {
            copy = new ArrayList<>(results);
        }
        ServerResults sr = new ServerResults(server.name(), declaration, copy);
        Path dir = reportDir();
        sr.write(dir);
        JUnitXml.write(dir, sr);
        HtmlReport.aggregate(dir);
    }
}

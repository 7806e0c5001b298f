package dev.jgi.conformance;

import dev.jgi.conformance.cases.Cases;
import dev.jgi.conformance.http.HttpConnection;
import dev.jgi.conformance.report.ConsoleReport;
import dev.jgi.conformance.report.HtmlReport;
import dev.jgi.conformance.report.JUnitXml;
import dev.jgi.conformance.report.ServerResults;
import dev.jgi.server.ReferenceServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The black-box runner: runs the conformance cases against a server that hosts the conformance
 * application ({@link ConformanceApp#create()}), given by URL, optionally starting and stopping the
 * server with a command. Exit status 0 when no case failed (declared deviations and not-declared
 * cases do not fail a run), 1 when one did, 2 on a usage error or a server that did not start.
 *
 * <pre>
 * java -jar jgi-conformance-tests-VERSION-cli.jar --url http://127.0.0.1:8080/app --name tomcat \
 *      --property expect-continue=eager --property mount-point-without-slash=redirect
 *
 * java -jar jgi-conformance-tests-VERSION-cli.jar --name reference \
 *      --command "java -cp ... dev.jgi.conformance.ServeReference --port {port} --mount {mount}" \
 *      --url "http://127.0.0.1:{port}{mount}" --declarations reference.properties
 * </pre>
 *
 * <p>{@code {port}} is replaced by a free port for each start; when {@code {mount}} appears, the
 * whole suite runs once per mount ({@code ""} and {@value ConformanceRun#DEFAULT_MOUNT} by default),
 * restarting the server each time.
 */
public final class Main {

    private Main() {
    }

    static final String USAGE = String.join("\n",
            "usage: java -jar jgi-conformance-tests-cli.jar --url URL [options]",
            "       java -jar jgi-conformance-tests-cli.jar --aggregate DIR... [--html FILE]",
            "",
            "  --url URL              base URL of the conformance application (may contain {port} and {mount})",
            "  --command CMD          start the server with CMD (run by /bin/sh; may contain {port} and {mount}),",
            "                         wait until --url answers, run the cases, then stop it",
            "  --name NAME            server name for the reports (default: server)",
            "  --declare CAPS         comma-separated capabilities: file-wrapper-zero-copy, request-trailers,",
            "                         early-hints, http2, virtual-threads, reason-phrase",
            "  --property KEY=VALUE   a server property (repeatable): expect-continue=on-read|eager,",
            "                         options-asterisk=app|server, mount-point-without-slash=app|redirect,",
            "                         rejects-before-app=empty-segment,encoded-percent,encoded-dot,dot-segment,",
            "                         encoded-slash,params-dot,absolute-form-host-mismatch (any of them),",
            "                         body-limit=BYTES (the request-body limit the server was started with)",
            "  --deviation ID[@MOUNT]=REASON",
            "                         a declared deviation (repeatable): the server is known to fail case ID",
            "                         (at MOUNT only, \"/\" for the root); reported as DEV, and as a failure if it passes",
            "  --declarations FILE    a properties file with capabilities=, the properties above and",
            "                         deviation.ID[@MOUNT]=REASON lines",
            "  --mounts LIST          with {mount}: the mounts to run, comma-separated (default: \"\"," + ConformanceRun.DEFAULT_MOUNT + ")",
            "  --only REGEX           run only the cases whose id matches",
            "  --report-dir DIR       where to write NAME.json, NAME.xml and index.html (default: jgi-conformance)",
            "  --server-log FILE      the server's log, for the server.log case (with --command: its output)",
            "  --no-diff              leave out the differential environ cases (no in-process reference server)",
            "  --start-timeout SEC    how long to wait for a started server (default 60)",
            "  --timeout MS           read timeout for liveness (default 10000)",
            "  --verbose              print the transcript of each failure",
            "  --list                 list the cases and exit");

    /**
     * Runs the command line and exits with its status.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Thrown for a bad command line. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String m) {
            super(m);
        }
    }

    /**
     * Runs the command line.
     *
     * @param args the arguments
     * @param out where verdicts go
     * @param err where problems go
     * @return the exit status: 0 conformant (declared deviations allowed), 1 failures, 2 usage error or server start failure
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String url = null;
        String command = null;
        String name = "server";
        String only = null;
        String mountsArg = null;
        Path reportDir = Paths.get("jgi-conformance");
        Path html = null;
        Path serverLog = null;
        boolean diff = true;
        boolean verbose = false;
        int startTimeout = 60;
        int timeout = HttpConnection.DEFAULT_TIMEOUT_MILLIS;
        List<Path> aggregate = null;
        Declaration.Builder decl = Declaration.builder();
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--url": url = value(args, ++i, a); break;
                    case "--command": command = value(args, ++i, a); break;
                    case "--name": name = value(args, ++i, a); break;
                    case "--only": only = value(args, ++i, a); break;
                    case "--mounts": mountsArg = value(args, ++i, a); break;
                    case "--report-dir": reportDir = Paths.get(value(args, ++i, a)); break;
                    case "--html": html = Paths.get(value(args, ++i, a)); break;
                    case "--no-diff": diff = false; break;
                    case "--server-log": serverLog = Paths.get(value(args, ++i, a)); break;
                    case "--verbose": verbose = true; break;
                    case "--start-timeout": startTimeout = Integer.parseInt(value(args, ++i, a)); break;
                    case "--timeout": timeout = Integer.parseInt(value(args, ++i, a)); break;
                    case "--declare": decl.set(Declaration.CAPABILITIES, value(args, ++i, a)); break;
                    case "--property": {
                        String kv = value(args, ++i, a);
                        int eq = kv.indexOf('=');
                        if (eq <= 0) {
                            throw new UsageException("--property needs KEY=VALUE, got " + kv);
                        }
                        decl.set(kv.substring(0, eq), kv.substring(eq + 1));
                        break;
                    }
                    case "--deviation": {
                        String kv = value(args, ++i, a);
                        int eq = kv.indexOf('=');
                        if (eq <= 0) {
                            throw new UsageException("--deviation needs ID[@MOUNT]=REASON, got " + kv);
                        }
                        decl.set(Declaration.DEVIATION_PREFIX + kv.substring(0, eq), kv.substring(eq + 1));
                        break;
                    }
                    case "--declarations": {
                        Properties p = new Properties();
                        try (InputStream in = Files.newInputStream(Paths.get(value(args, ++i, a)))) {
                            p.load(in);
                        }
                        for (String k : p.stringPropertyNames()) {
                            decl.set(k, p.getProperty(k));
                        }
                        break;
                    }
                    case "--aggregate":
                        aggregate = new ArrayList<>();
                        while (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                            aggregate.add(Paths.get(args[++i]));
                        }
                        break;
                    case "--list":
                        for (ConformanceCase c : Cases.all()) {
                            out.println(c.id() + "  " + c.title() + "  " + c.rules()
                                    + (c.requires() != null ? "  requires " + c.requires().id() : "") + (c.mountOnly() ? "  (mount only)" : "")
                                    + (c.needsBodyLimit() ? "  needs body-limit" : ""));
                        }
                        return 0;
                    case "--help": case "-h":
                        out.println(USAGE);
                        return 0;
                    default:
                        throw new UsageException("unknown option " + a);
                }
            }
            if (aggregate != null) {
                return aggregate(aggregate, html, out);
            }
            if (url == null) {
                throw new UsageException("--url is required");
            }
        } catch (UsageException | IllegalArgumentException e) {
            err.println("jgi-conformance: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (IOException e) {
            err.println("jgi-conformance: " + e);
            return 2;
        }

        Declaration declaration = decl.build();
        List<ConformanceCase> cases = only == null ? Cases.all() : Cases.matching(only);
        boolean perMount = url.contains("{mount}") || (command != null && command.contains("{mount}"));
        List<String> mounts = new ArrayList<>();
        if (perMount) {
            for (String m : (mountsArg == null ? "," + ConformanceRun.DEFAULT_MOUNT : mountsArg).split(",", -1)) {
                mounts.add(m.trim().equals("/") ? "" : m.trim());
            }
        } else {
            mounts.add(null);
        }
        out.println("JGI conformance suite: " + cases.size() + " cases against " + name + " " + declaration);
        List<CaseResult> all = new ArrayList<>();
        for (String mount : mounts) {
            String m = mount == null ? "" : mount;
            int port = url.contains("{port}") || (command != null && command.contains("{port}")) ? freePort() : -1;
            URI base = URI.create(fill(url, port, m));
            Process server = null;
            Path log = serverLog;
            try {
                if (command != null) {
                    String cmd = fill(command, port, m);
                    log = reportDir.resolve(ServerResults.fileName(name) + "-server" + (m.isEmpty() ? "" : m.replace('/', '_')) + ".log");
                    Files.createDirectories(reportDir);
                    out.println("starting: " + cmd + "  (output in " + log + ")");
                    server = start(cmd, log);
                    if (!awaitReady(server, base, startTimeout)) {
                        err.println("jgi-conformance: the server did not answer at " + base + " within " + startTimeout + " s"
                                + (server.isAlive() ? "" : " (it exited with status " + server.exitValue() + ")")
                                + "; see " + log);
                        return 2;
                    }
                } else if (!ConformanceRun.answers(base, timeout)) {
                    err.println("jgi-conformance: nothing answers HTTP at " + base);
                    return 2;
                }
                all.addAll(runMount(base, declaration, cases, diff, log, timeout, out));
            } catch (IOException e) {
                err.println("jgi-conformance: " + e);
                return 2;
            } finally {
                if (server != null) {
                    stop(server);
                }
            }
        }
        ServerResults results = new ServerResults(name, declaration, all);
        try {
            Path json = results.write(reportDir);
            Path xml = JUnitXml.write(reportDir, results);
            Path page = html != null ? HtmlReport.write(html, ServerResults.readAll(reportDir)) : HtmlReport.aggregate(reportDir);
            if (verbose) {
                ConsoleReport.print(out, results, true);
            }
            out.println(ConsoleReport.summary(results));
            out.println("reports: " + json + ", " + xml + ", " + page);
        } catch (IOException e) {
            err.println("jgi-conformance: writing the reports failed: " + e);
            return 2;
        }
        return results.passed() ? 0 : 1;
    }

    private static List<CaseResult> runMount(URI base, Declaration declaration, List<ConformanceCase> cases, boolean diff, Path log,
            int timeout, PrintStream out) throws IOException {
        ReferenceServer[] reference = {null};
        String mount = URLDecoder.decode(base.getRawPath() == null ? "" : base.getRawPath().replace("+", "%2B"), StandardCharsets.UTF_8);
        java.util.function.Supplier<URI> comparison = !diff ? null : () -> {
            if (reference[0] == null) {
                try {
                    reference[0] = ReferenceServerUnderTest.start(ConformanceApp.create(), "127.0.0.1", 0, mount, false);
                } catch (IOException e) {
                    return null;
                }
            }
            return reference[0].uri();
        };
        try {
            java.util.function.Supplier<String> logText = log == null ? null : () -> {
                try {
                    return Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8) : "";
                } catch (IOException e) {
                    return "";
                }
            };
            ConformanceRun run = new ConformanceRun(base, declaration, comparison, logText, timeout);
            out.println("== " + base + " (mount " + (run.mount().isEmpty() ? "/" : run.mount()) + ")");
            return run.runAll(cases, r -> out.println(ConsoleReport.line(r)));
        } finally {
            if (reference[0] != null) {
                reference[0].stop(Duration.ofSeconds(2));
            }
        }
    }

    private static int aggregate(List<Path> dirs, Path html, PrintStream out) throws IOException, UsageException {
        if (dirs.isEmpty()) {
            throw new UsageException("--aggregate needs at least one directory");
        }
        List<ServerResults> all = new ArrayList<>();
        for (Path d : dirs) {
            all.addAll(ServerResults.readAll(d));
        }
        Path page = HtmlReport.write(html != null ? html : dirs.get(0).resolve(HtmlReport.FILE), all);
        out.println("matrix of " + all.size() + " server(s): " + page);
        return 0;
    }

    private static String value(String[] args, int i, String option) throws UsageException {
        if (i >= args.length) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }

    static String fill(String template, int port, String mount) {
        return template.replace("{port}", Integer.toString(port)).replace("{mount}", mount);
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    static Process start(String command, Path log) throws IOException {
        boolean windows = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
        ProcessBuilder pb = windows ? new ProcessBuilder("cmd", "/c", command) : new ProcessBuilder("/bin/sh", "-c", "exec " + command);
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        return pb.start();
    }

    static boolean awaitReady(Process p, URI base, int seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                return false;
            }
            if (ConformanceRun.answers(base, 2000)) {
                return true;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** Stops the server and everything it started: politely, then by force. */
    static void stop(Process p) {
        List<ProcessHandle> children = new ArrayList<>();
        p.descendants().forEach(children::add);
        p.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
        for (ProcessHandle c : children) {
            if (c.isAlive()) {
                c.destroyForcibly();
            }
        }
    }
}

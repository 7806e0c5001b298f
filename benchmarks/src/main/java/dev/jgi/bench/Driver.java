package dev.jgi.bench;

import dev.jgi.bench.app.Payloads;
import dev.jgi.bench.load.Settings;
import dev.jgi.bench.load.TrialResult;
import dev.jgi.bench.load.TrialRunner;
import dev.jgi.bench.load.Workload;
import dev.jgi.bench.load.Wrk;
import dev.jgi.bench.report.Json;
import dev.jgi.bench.report.Report;
import dev.jgi.bench.server.Variant;
import dev.jgi.bench.server.Variants;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark driver ({@code benchmarks/run.sh} runs it pinned to the load CPU): for every pair
 * whose adapter is built in, fresh server JVMs pinned to the server CPU in the order
 * native, JGI, ceiling, JGI, native (ABBA, with the ceiling in the middle so that a linear drift
 * cancels for both ratios), extra startup-only rounds, the JMH micro-benchmarks, then the report.
 *
 * <p>Options: {@code --out DIR}, {@code --pairs jdk,tomcat,...}, {@code --workloads hello,json,...},
 * {@code --quick} (1 s windows), {@code --no-jmh}, {@code --jmh-only}, {@code --report-only}
 * (re-render DIR/results.json), {@code --java PATH} (server JVM), {@code --server-cpu N},
 * {@code --load-cpu N}, {@code --command TEXT} (the command line to print in the report).
 */
public final class Driver {

    /** Flags of every server JVM: one CPU, a fixed heap and GC, Nagle off for the JDK server. */
    static final List<String> SERVER_FLAGS = List.of("-XX:ActiveProcessorCount=1", "-XX:+UseParallelGC", "-XX:ParallelGCThreads=1",
            "-Xms256m", "-Xmx256m", "-XX:-UseDynamicNumberOfCompilerThreads", "-Dsun.net.httpserver.nodelay=true");

    private Driver() {
    }

    /**
     * @param args see the class comment
     * @throws Exception if the run cannot proceed
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        Path out = Path.of(opt.getOrDefault("out", "benchmarks/results")).toAbsolutePath();
        Files.createDirectories(out);
        if (opt.containsKey("report-only")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> results = (Map<String, Object>) Json.parse(Files.readString(out.resolve("results.json")));
            Report.write(results, out);
            System.out.println("report written to " + out);
            return;
        }
        Settings settings = opt.containsKey("quick") ? Settings.quick() : Settings.defaults();
        if (opt.containsKey("workloads")) {
            List<Workload> ws = new ArrayList<>();
            for (String w : opt.get("workloads").split(",")) {
                ws.add(Workload.byLabel(w.trim()));
            }
            settings = settings.withWorkloads(ws);
        }
        String java = opt.getOrDefault("java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String cp = opt.getOrDefault("cp", System.getProperty("java.class.path"));
        String serverCpu = opt.getOrDefault("server-cpu", "1");
        String loadCpu = opt.getOrDefault("load-cpu", "0");
        Path work = out.resolve("../target/bench-work").normalize();
        if (!Files.isDirectory(out.resolve("..").resolve("src"))) {
            work = Files.createTempDirectory("jgi-bench");
        }
        Files.createDirectories(work);
        Path file = Payloads.writeFile(work.resolve("file-10m.bin"));
        Path logs = work.resolve("logs");
        Files.createDirectories(logs);
        PrintStream con = System.out;

        Map<String, Object> results = new LinkedHashMap<>();
        Map<String, Object> env = environment(java, opt.getOrDefault("command", "benchmarks/run.sh"), serverCpu, loadCpu);
        results.put("environment", env);
        results.put("settings", settingsMap(settings));
        List<Object> trials = new ArrayList<>();
        Map<String, Object> startups = new LinkedHashMap<>();
        List<Object> missing = new ArrayList<>();

        if (!opt.containsKey("jmh-only")) {
            if (!Wrk.available()) {
                throw new IllegalStateException("wrk is not installed (benchmarks/run.sh installs it with apt-get)");
            }
            List<String> command = new ArrayList<>(List.of("taskset", "-c", serverCpu, java));
            command.addAll(SERVER_FLAGS);
            command.add("-D" + Payloads.FILE_PROPERTY + "=" + file);
            command.addAll(List.of("-cp", cp));
            Wrk wrk = new Wrk(loadCpu, work);
            env.put("jitThreads", opt.containsKey("jit-on-server-cpu") ? "on the server CPU"
                    : "moved to CPU " + loadCpu + " once the server answers (so the JIT finishes during the warm-up)");
            TrialRunner runner = new TrialRunner(command, logs, wrk, settings, con, opt.containsKey("jit-on-server-cpu") ? null : loadCpu);
            List<String> only = opt.containsKey("pairs") ? Arrays.asList(opt.get("pairs").split(",")) : null;
            int index = 0;
            long t0 = System.nanoTime();
            List<Variants.Pair> run = new ArrayList<>();
            for (Variants.Pair p : Variants.pairs()) {
                if (only != null && !only.contains(p.server())) {
                    continue;
                }
                if (!p.available()) {
                    con.printf("pair %s: SKIPPED, %s is not built into this harness (adapter missing)%n", p.server(), p.jgi().className());
                    missing.add(p.server());
                    continue;
                }
                run.add(p);
            }
            for (Variants.Pair p : run) {
                con.printf("pair %s: %s vs %s%s%n", p.server(), p.jgi().name(), p.nativeVariant().name(),
                        p.ceiling().map(c -> " and " + c.name()).orElse(""));
                List<Variant> order = new ArrayList<>(List.of(p.nativeVariant(), p.jgi()));
                p.ceiling().ifPresent(order::add);
                order.add(p.jgi());
                order.add(p.nativeVariant());
                for (Variant v : order) {
                    TrialResult r = runner.run(++index, v);
                    trials.add(r.toMap());
                    addStartup(startups, v.name(), r.startupMillis());
                }
            }
            for (int round = 0; round < settings.startupRounds(); round++) {
                for (Variants.Pair p : run) {
                    // alternate which side goes first from round to round
                    Variant first = round % 2 == 0 ? p.jgi() : p.nativeVariant();
                    Variant second = round % 2 == 0 ? p.nativeVariant() : p.jgi();
                    addStartup(startups, first.name(), runner.startupOnly(first));
                    addStartup(startups, second.name(), runner.startupOnly(second));
                }
            }
            Map<String, Object> rates = new LinkedHashMap<>(runner.rates());
            results.put("fixedRates", rates);
            con.printf("server trials done in %.0f s%n", (System.nanoTime() - t0) / 1e9);
        }
        results.put("missingPairs", missing);
        results.put("trials", trials);
        results.put("startupMs", startups);
        if (!opt.containsKey("no-jmh")) {
            results.put("jmh", jmh(java, cp, out, opt.containsKey("quick"), con));
        }
        env.put("loadAverageAtEnd", loadAverage());
        env.put("finished", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        Files.writeString(out.resolve("results.json"), Json.write(results), StandardCharsets.UTF_8);
        Report.write(results, out);
        con.println("results written to " + out);
    }

    @SuppressWarnings("unchecked")
    private static void addStartup(Map<String, Object> startups, String variant, double ms) {
        if (!Double.isNaN(ms)) {
            ((List<Object>) startups.computeIfAbsent(variant, k -> new ArrayList<>())).add(ms);
        }
    }

    private static Map<String, Object> settingsMap(Settings s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("warmHelloSeconds", s.warmSmall());
        m.put("measureSmallSeconds", s.measureSmall());
        m.put("warmLargeSeconds", s.warmLarge());
        m.put("measureLargeSeconds", s.measureLarge());
        m.put("latencyWarmSeconds", s.latencyWarm());
        m.put("latencySeconds", s.latencySeconds());
        m.put("latencyLoad", s.latencyLoad());
        m.put("startupRounds", s.startupRounds());
        List<Object> ws = new ArrayList<>();
        Map<String, Object> conns = new LinkedHashMap<>();
        for (Workload w : s.workloads()) {
            ws.add(w.label);
            conns.put(w.label, w.connections);
        }
        m.put("workloads", ws);
        m.put("connections", conns);
        m.put("serverFlags", String.join(" ", SERVER_FLAGS));
        m.put("workerThreads", dev.jgi.bench.server.BenchServer.WORKER_THREADS);
        return m;
    }

    /** Runs the JMH micro-benchmarks with the gc profiler and returns their figures. */
    private static Map<String, Object> jmh(String java, String cp, Path out, boolean quick, PrintStream con)
            throws IOException, InterruptedException {
        Path json = out.resolve("jmh.json");
        Path txt = out.resolve("jmh.txt");
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", cp, "org.openjdk.jmh.Main", "dev.jgi.bench.jmh.",
                "-f", "1", "-wi", quick ? "1" : "2", "-w", "500ms", "-i", quick ? "1" : "3", "-r", "1s", "-prof", "gc",
                "-rf", "json", "-rff", json.toString()));
        con.println("JMH: " + String.join(" ", cmd.subList(3, cmd.size())));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(txt.toFile()).start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("JMH did not finish");
        }
        con.printf("JMH done in %.0f s (exit %d), output in %s%n", (System.nanoTime() - t0) / 1e9, p.exitValue(), txt);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", "java -cp <classpath> " + String.join(" ", cmd.subList(3, cmd.size())).replace(out.toString() + File.separator, ""));
        List<Object> rows = new ArrayList<>();
        if (Files.exists(json)) {
            for (Object o : (List<?>) Json.parse(Files.readString(json))) {
                Map<?, ?> b = (Map<?, ?>) o;
                Map<?, ?> primary = (Map<?, ?>) b.get("primaryMetric");
                Map<?, ?> secondary = (Map<?, ?>) b.get("secondaryMetrics");
                Map<String, Object> row = new LinkedHashMap<>();
                String name = (String) b.get("benchmark");
                row.put("benchmark", name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1));
                row.put("mode", b.get("mode"));
                row.put("score", primary.get("score"));
                row.put("error", primary.get("scoreError"));
                row.put("unit", primary.get("scoreUnit"));
                Object norm = secondary == null ? null : secondary.get("gc.alloc.rate.norm");
                row.put("bytesPerOp", norm == null ? null : ((Map<?, ?>) norm).get("score"));
                rows.add(row);
            }
        }
        m.put("results", rows);
        return m;
    }

    private static Map<String, Object> environment(String java, String command, String serverCpu, String loadCpu)
            throws IOException, InterruptedException {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("started", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        env.put("command", command);
        env.put("commit", gitCommit());
        String cpu = "unknown";
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                cpu = line.substring(line.indexOf(':') + 1).trim();
                break;
            }
        }
        env.put("cpu", cpu);
        // the driver runs pinned to one CPU, so count the machine's CPUs from /proc, not from the JVM
        env.put("cpus", Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("processor")).count());
        String mem = "";
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal")) {
                mem = line.substring(line.indexOf(':') + 1).trim();
            }
        }
        env.put("memory", mem);
        env.put("kernel", Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim());
        env.put("jdk", javaVersion(java));
        env.put("serverCpu", serverCpu);
        env.put("loadCpu", loadCpu);
        env.put("loadGenerator", Wrk.available() ? Wrk.version() + " (closed loop, -t1) + dev.jgi.bench.load.OpenLoop (fixed rate)"
                : "wrk missing");
        env.put("jetty", org.eclipse.jetty.util.Jetty.VERSION);
        env.put("undertow", io.undertow.Version.getVersionString());
        env.put("tomcat", org.apache.catalina.util.ServerInfo.getServerNumber());
        env.put("loadAverageAtStart", loadAverage());
        return env;
    }

    private static String javaVersion(String java) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(java, "-version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        List<String> lines = out.lines().toList();
        return lines.size() >= 2 ? lines.get(0) + "; " + lines.get(lines.size() - 1) : out.trim();
    }

    /**
     * The checked-out commit, with "-dirty" if tracked files other than the results differ from it,
     * so that a result names its code (the results of the previous run are rewritten by this one
     * and do not make the code dirty).
     */
    private static String gitCommit() {
        String commit = git("rev-parse", "--short", "HEAD");
        if (commit.isEmpty()) {
            return "unknown";
        }
        String changes = git("status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)benchmarks/results");
        return changes.isEmpty() ? commit : commit + "-dirty";
    }

    /** @return the command's output, trimmed, or "" if it failed */
    private static String git(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("git");
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + a);
            }
            String k = a.substring(2);
            int eq = k.indexOf('=');
            if (eq >= 0) {
                m.put(k.substring(0, eq), k.substring(eq + 1));
            } else if (List.of("quick", "no-jmh", "jmh-only", "report-only", "jit-on-server-cpu").contains(k)) {
                m.put(k, "true");
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option --" + k + " needs a value");
                }
                m.put(k, args[++i]);
            }
        }
        return m;
    }
}

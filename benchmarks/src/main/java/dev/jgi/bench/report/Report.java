package dev.jgi.bench.report;

import dev.jgi.bench.load.TrialResult;
import dev.jgi.bench.load.TrialResult.WorkloadResult;
import dev.jgi.bench.load.Workload;
import dev.jgi.bench.server.Variant;
import dev.jgi.bench.server.Variants;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Turns a run's results ({@code results.json}) into {@code results.md} (every pair, workload and
 * metric against the targets), {@code chart.svg} (throughput ratios, drawn here without external
 * tools) and {@code HEADLINE.md} (the figures for the project README).
 */
public final class Report {

    /** Target: throughput ratio against the blocking native baseline. */
    static final double TARGET_RATIO = 0.97;
    /** Target: extra server CPU per hello request, ns. */
    static final double TARGET_CPU_NS = 300;
    /** Target: extra allocation per hello request, bytes. */
    static final double TARGET_ALLOC = 512;
    /** Allowed growth of the extra allocation from hello to a large body, bytes per request. */
    static final double TARGET_GROWTH = 1024;
    /** Target: startup delta, ms. */
    static final double TARGET_STARTUP_MS = 5;
    /**
     * What the echo application itself must allocate per 1 MiB request: SPEC.md [body.chunk-reuse]
     * makes every yielded chunk a new array (16 arrays of 64 KiB, each with a 16-byte header).
     */
    static final double ECHO_APP_CHUNKS = 16 * (64 * 1024 + 16);

    private final Map<String, Object> results;
    private final List<TrialResult> trials = new ArrayList<>();
    private final List<String> workloads = new ArrayList<>();
    private final List<Cell> cells = new ArrayList<>();
    private final Map<String, Startup> startups = new LinkedHashMap<>();
    private final List<String> servers = new ArrayList<>();

    @SuppressWarnings("unchecked")
    private Report(Map<String, Object> results) {
        this.results = results;
        for (Object o : (List<Object>) results.get("trials")) {
            trials.add(TrialResult.fromMap((Map<String, Object>) o));
        }
        for (Object w : (List<Object>) ((Map<String, Object>) results.get("settings")).get("workloads")) {
            workloads.add((String) w);
        }
        for (Variants.Pair p : Variants.pairs()) {
            if (trials.stream().anyMatch(t -> t.server().equals(p.server()))) {
                servers.add(p.server());
                for (String w : workloads) {
                    cells.add(new Cell(p, w));
                }
                startups.put(p.server(), new Startup(p));
            }
        }
    }

    /**
     * Writes results.md, chart.svg and HEADLINE.md.
     *
     * @param results the run's results, as written to results.json
     * @param dir the output directory
     * @throws IOException if writing fails
     */
    public static void write(Map<String, Object> results, Path dir) throws IOException {
        Report r = new Report(results);
        Files.writeString(dir.resolve("results.md"), r.markdown(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("chart.svg"), r.svg(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("HEADLINE.md"), r.headline(), StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- aggregation

    private List<TrialResult> trials(String server, Variant.Role role) {
        List<TrialResult> out = new ArrayList<>();
        for (TrialResult t : trials) {
            if (t.server().equals(server) && t.role().equals(role.name()) && t.error() == null) {
                out.add(t);
            }
        }
        return out;
    }

    /** One pair x workload: every figure the tables show. */
    final class Cell {
        final Variants.Pair pair;
        final String workload;
        final boolean large;
        final List<WorkloadResult> n = new ArrayList<>();
        final List<WorkloadResult> j = new ArrayList<>();
        final List<WorkloadResult> c = new ArrayList<>();
        String wire = "not checked";
        boolean wireOk;
        boolean errors;

        Cell(Variants.Pair pair, String workload) {
            this.pair = pair;
            this.workload = workload;
            this.large = Workload.byLabel(workload).large();
            collect(trials(pair.server(), Variant.Role.NATIVE), n);
            collect(trials(pair.server(), Variant.Role.JGI), j);
            collect(trials(pair.server(), Variant.Role.CEILING), c);
            checkWire();
        }

        private void collect(List<TrialResult> ts, List<WorkloadResult> into) {
            for (TrialResult t : ts) {
                WorkloadResult w = t.workload(workload);
                if (w != null) {
                    into.add(w);
                    if (w.errors() > 0 || (w.latency() != null && w.latency().errors() > 0)) {
                        errors = true;
                    }
                }
            }
        }

        private void checkWire() {
            List<TrialResult> nt = trials(pair.server(), Variant.Role.NATIVE);
            if (nt.isEmpty() || !nt.get(0).wire().containsKey(workload)) {
                return;
            }
            String ref = nt.get(0).wire().get(workload);
            List<TrialResult> others = new ArrayList<>(trials(pair.server(), Variant.Role.JGI));
            others.addAll(trials(pair.server(), Variant.Role.CEILING));
            others.addAll(nt.subList(1, nt.size()));
            wireOk = true;
            StringBuilder diff = new StringBuilder();
            for (TrialResult t : others) {
                String w = t.wire().get(workload);
                if (w != null && !w.equals(ref)) {
                    wireOk = false;
                    diff.append(t.variant()).append(" differs: ").append(firstDifference(ref, w)).append("; ");
                }
            }
            wire = wireOk ? "same bytes" : diff.toString();
        }

        double tp(WorkloadResult w) {
            return large ? w.mibps() : w.rps();
        }

        double nTp() {
            return mean(n, this::tp);
        }

        double jTp() {
            return mean(j, this::tp);
        }

        double cTp() {
            return mean(c, this::tp);
        }

        /** JGI over native, both ABBA means: a linear drift cancels. */
        double ratio() {
            return jTp() / nTp();
        }

        double ratioCeiling() {
            return c.isEmpty() ? Double.NaN : jTp() / cTp();
        }

        /** The A/A control: the second native trial over the first. */
        double aa() {
            return n.size() >= 2 ? tp(n.get(n.size() - 1)) / tp(n.get(0)) : Double.NaN;
        }

        /** The two matched ratios (J1/N1, J2/N2) of the ABBA sequence. */
        String spread() {
            if (n.size() < 2 || j.size() < 2) {
                return "";
            }
            return f2(tp(j.get(0)) / tp(n.get(0))) + ", " + f2(tp(j.get(j.size() - 1)) / tp(n.get(n.size() - 1)));
        }

        /** CPU ns per request: the fixed-rate window for hello/json, the wrk window for large bodies. */
        double cpu(List<WorkloadResult> ws) {
            return mean(ws, w -> w.latency() != null ? w.latency().cpuNsPerReq() : w.cpuNsPerReq());
        }

        /** CPU of the Java threads only (no JIT compiler, no GC), same windows as {@link #cpu}. */
        double threadCpu(List<WorkloadResult> ws) {
            return mean(ws, w -> w.latency() != null ? w.latency().threadCpuNsPerReq() : w.threadCpuNsPerReq());
        }

        /** JIT time in the CPU windows of these trials, ms (the most of any trial). */
        double jit(List<WorkloadResult> ws) {
            double m = 0;
            for (WorkloadResult w : ws) {
                m = Math.max(m, w.latency() != null ? w.latency().jitMs() : w.jitMs());
            }
            return m;
        }

        double alloc(List<WorkloadResult> ws) {
            return mean(ws, w -> w.latency() != null ? w.latency().allocPerReq() : w.allocPerReq());
        }

        double allocWrk(List<WorkloadResult> ws) {
            return mean(ws, WorkloadResult::allocPerReq);
        }

        double cpuWrk(List<WorkloadResult> ws) {
            return mean(ws, WorkloadResult::cpuNsPerReq);
        }

        double p(List<WorkloadResult> ws, ToDoubleFunction<TrialResult.Latency> f) {
            return mean(ws, w -> w.latency() == null ? Double.NaN : f.applyAsDouble(w.latency()));
        }

        long max(List<WorkloadResult> ws, ToDoubleFunction<WorkloadResult> f) {
            double m = -1;
            for (WorkloadResult w : ws) {
                m = Math.max(m, f.applyAsDouble(w));
            }
            return (long) m;
        }

        /** Extra allocation per request of this workload, with the echo's API-mandated chunks taken out. */
        double extraAllocAdapter() {
            double d = alloc(j) - alloc(n);
            return workload.equals(Workload.UPLOAD.label) ? d - ECHO_APP_CHUNKS : d;
        }
    }

    private Cell cell(String server, String workload) {
        for (Cell c : cells) {
            if (c.pair.server().equals(server) && c.workload.equals(workload)) {
                return c;
            }
        }
        return null;
    }

    /** Startup samples of one pair. */
    final class Startup {
        final Variants.Pair pair;
        final List<Double> n;
        final List<Double> j;
        final List<Double> c;

        Startup(Variants.Pair pair) {
            this.pair = pair;
            this.n = samples(pair.nativeVariant().name());
            this.j = samples(pair.jgi().name());
            this.c = pair.ceiling().map(v -> samples(v.name())).orElse(List.of());
        }

        @SuppressWarnings("unchecked")
        private List<Double> samples(String variant) {
            Map<String, Object> s = (Map<String, Object>) results.getOrDefault("startupMs", Map.of());
            List<Double> out = new ArrayList<>();
            for (Object o : (List<Object>) s.getOrDefault(variant, List.of())) {
                out.add(((Number) o).doubleValue());
            }
            return out;
        }

        double delta() {
            return median(j) - median(n);
        }
    }

    // ---------------------------------------------------------------- markdown

    @SuppressWarnings("unchecked")
    private String markdown() {
        Map<String, Object> env = (Map<String, Object>) results.get("environment");
        Map<String, Object> set = (Map<String, Object>) results.get("settings");
        StringBuilder md = new StringBuilder();
        md.append("# JGI benchmark results\n\n");
        md.append("What JGI costs on each server, measured against that server's own native handler in the same run. ")
                .append("Method and how to read the tables: [../README.md](../README.md). Raw figures: `results.json`; ")
                .append("chart: `chart.svg`; hand-written analysis of misses: `ANALYSIS.md`.\n\n");
        md.append("| | |\n|---|---|\n");
        row(md, "Run", env.get("started") + " to " + env.get("finished"));
        row(md, "Command", "`" + env.get("command") + "` at commit " + env.getOrDefault("commit", "(not recorded)"));
        row(md, "Machine", env.get("cpu") + ", " + f0(num(env.get("cpus"))) + " CPUs, " + env.get("memory") + ", Linux " + env.get("kernel"));
        row(md, "JDK", String.valueOf(env.get("jdk")));
        row(md, "Servers", "Jetty " + env.get("jetty") + ", Undertow " + env.get("undertow") + ", Tomcat " + env.get("tomcat")
                + ", JDK HttpServer");
        row(md, "Load generator", env.get("loadGenerator") + " on CPU " + env.get("loadCpu") + "; server JVM on CPU " + env.get("serverCpu"));
        row(md, "Server JVM", "`" + set.get("serverFlags") + "`, " + set.get("workerThreads") + " worker threads (blocking variants); "
                + "JIT compiler threads " + env.getOrDefault("jitThreads", "on the server CPU"));
        row(md, "Load average", "at start " + env.get("loadAverageAtStart") + ", at end " + env.get("loadAverageAtEnd"));
        row(md, "Windows", "every workload warmed before any is measured: hello " + set.get("warmHelloSeconds") + " s, json "
                + Math.max(1, ((Number) set.get("warmHelloSeconds")).intValue() / 4) + " s, then hello and json 1 s each until such a pass compiles"
                + " under 20 ms of JIT time (at most 4 s); hello and json measured " + set.get("measureSmallSeconds") + " s; large bodies " + set.get("warmLargeSeconds") + " s + "
                + set.get("measureLargeSeconds") + " s; fixed rate " + set.get("latencyWarmSeconds") + " s + " + set.get("latencySeconds")
                + " s at " + Math.round(((Number) set.get("latencyLoad")).doubleValue() * 100) + " % of the first native trial's throughput");
        row(md, "Connections", String.valueOf(set.get("connections")));
        List<Object> missing = (List<Object>) results.getOrDefault("missingPairs", List.of());
        if (!missing.isEmpty()) {
            row(md, "**Missing pairs**", missing + " (adapter not built into this harness)");
        }
        md.append('\n');
        md.append("Trial order per pair: native, JGI, ceiling, JGI, native: each a fresh JVM running every workload. ")
                .append("Ratios are JGI over native with both ABBA trials averaged; *pairs* are the two matched ratios (J1/N1, J2/N2); ")
                .append("*A/A* is the second native trial over the first (the noise floor: a difference smaller than |1 - A/A| ")
                .append("is not a measured difference). *Blocking native* is the fair baseline for a blocking gateway; *ceiling* is the ")
                .append("native handler answering on the IO thread (Jetty core and Undertow only).\n\n");

        headlineTable(md);
        throughputTable(md);
        costTable(md);
        latencyTable(md);
        largeTable(md);
        startupTable(md);
        wireTable(md);
        jmhTable(md);
        failures(md);
        return md.toString();
    }

    private void headlineTable(StringBuilder md) {
        md.append("## Against the targets\n\n");
        md.append("| Server | hello ratio (>= 0.97) | json ratio (>= 0.97) | large bodies, lowest MB/s ratio (>= 0.97) | ")
                .append("extra CPU / hello (<= 300 ns) | extra alloc / hello (<= 512 B) | alloc growth on 10 MiB (<= 1 KiB) | ")
                .append("startup delta (<= 5 ms) | same bytes |\n");
        md.append("|---|---|---|---|---|---|---|---|---|\n");
        for (String s : servers) {
            Cell hello = cell(s, Workload.HELLO.label);
            Cell json = cell(s, Workload.JSON.label);
            StringBuilder line = new StringBuilder("| ").append(s).append(" | ");
            line.append(hello == null ? "-" : mark(hello.ratio(), hello.ratio() >= TARGET_RATIO) + aaNote(hello)).append(" | ");
            line.append(json == null ? "-" : mark(json.ratio(), json.ratio() >= TARGET_RATIO) + aaNote(json)).append(" | ");
            double low = Double.NaN;
            String lowName = "";
            double growth = Double.NaN;
            for (String w : workloads) {
                Cell c = cell(s, w);
                if (c != null && c.large) {
                    if (Double.isNaN(low) || c.ratio() < low) {
                        low = c.ratio();
                        lowName = w;
                    }
                    if (hello != null && !w.equals(Workload.UPLOAD.label)) {
                        double g = c.extraAllocAdapter() - hello.extraAllocAdapter();
                        growth = Double.isNaN(growth) ? g : Math.max(growth, g);
                    }
                }
            }
            line.append(Double.isNaN(low) ? "-" : mark(low, low >= TARGET_RATIO) + " (" + lowName + ")").append(" | ");
            if (hello != null) {
                double dc = hello.cpu(hello.j) - hello.cpu(hello.n);
                double da = hello.alloc(hello.j) - hello.alloc(hello.n);
                line.append(markText(signed(dc, 0) + " ns", dc <= TARGET_CPU_NS)).append(" | ");
                line.append(markText(signed(da, 0) + " B", da <= TARGET_ALLOC)).append(" | ");
            } else {
                line.append("- | - | ");
            }
            line.append(Double.isNaN(growth) ? "-" : markText(signed(growth, 0) + " B", growth <= TARGET_GROWTH)).append(" | ");
            Startup st = startups.get(s);
            line.append(st == null || st.n.isEmpty() ? "-" : markText(signed(st.delta(), 1) + " ms", st.delta() <= TARGET_STARTUP_MS)).append(" | ");
            boolean same = true;
            for (String w : workloads) {
                Cell c = cell(s, w);
                same &= c != null && c.wireOk;
            }
            line.append(same ? "yes" : "**NO**").append(" |\n");
            md.append(line);
        }
        md.append("\nMarks: ✅ target met, ❌ missed. A ratio within the A/A noise of its target is marked with the noise in brackets. ")
                .append("Extra CPU and allocation per hello request are taken at the fixed rate (below saturation). The growth column is ")
                .append("the extra allocation per request of the 10 MiB download and file workloads minus that of hello: what JGI adds ")
                .append("that grows with the body (the 1 MiB echo is left out: see the cost table, where its API-mandated chunk arrays ")
                .append("are shown separately).\n\n");
    }

    private static String aaNote(Cell c) {
        double aa = c.aa();
        return Double.isNaN(aa) ? "" : " (A/A " + f3(aa) + ")";
    }

    private void throughputTable(StringBuilder md) {
        md.append("## Throughput\n\n");
        md.append("Requests/s for hello and json, MiB/s of body for the large ones. Blocking native = the server's own handler in its ")
                .append("blocking mode; ceiling = the native handler on the IO thread.\n\n");
        md.append("| Server | Workload | Blocking native | JGI | **JGI / blocking native** | pairs | A/A | Ceiling (non-blocking) | JGI / ceiling |\n");
        md.append("|---|---|---:|---:|---:|---|---:|---:|---:|\n");
        for (Cell c : cells) {
            String unit = c.large ? " MiB/s" : "/s";
            md.append("| ").append(c.pair.server()).append(" | ").append(c.workload).append(" | ")
                    .append(f0(c.nTp())).append(unit).append(" | ")
                    .append(f0(c.jTp())).append(unit).append(" | ")
                    .append(mark(c.ratio(), c.ratio() >= TARGET_RATIO)).append(c.errors ? " (errors!)" : "").append(" | ")
                    .append(c.spread()).append(" | ")
                    .append(f3(c.aa())).append(" | ")
                    .append(c.c.isEmpty() ? "-" : f0(c.cTp()) + unit).append(" | ")
                    .append(c.c.isEmpty() ? "-" : f3(c.ratioCeiling())).append(" |\n");
        }
        md.append('\n');
    }

    private void costTable(StringBuilder md) {
        md.append("## Server CPU and allocation per request\n\n");
        md.append("CPU: utime+stime of the server process from /proc/<pid>/stat (10 ms ticks) over the window, per request. ")
                .append("Allocation: the sum of the server JVM's thread allocated bytes (ThreadMXBean) over the window, per request. ")
                .append("Window: the fixed-rate run for hello and json (below saturation), the wrk run for the large bodies.\n\n");
        md.append("The *Java threads* columns count only the JVM's Java threads (ThreadMXBean thread CPU: selector, acceptor, workers), ")
                .append("not the JIT compiler or GC: a steadier figure when the JIT is still compiling (the *JIT ms* column: compilation ")
                .append("time inside the windows, native / JGI, largest of the trials).\n\n");
        md.append("| Server | Workload | CPU ns/req native | JGI | **Δ CPU** | Java threads Δ | JIT ms | alloc B/req native | JGI | **Δ alloc** | ceiling CPU | ceiling alloc |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Cell c : cells) {
            double dn = c.cpu(c.n);
            double dj = c.cpu(c.j);
            double an = c.alloc(c.n);
            double aj = c.alloc(c.j);
            String delta = signed(aj - an, 0);
            if (c.workload.equals(Workload.UPLOAD.label)) {
                delta += " (" + signed(aj - an - ECHO_APP_CHUNKS, 0) + " without the app's 16 chunk arrays)";
            }
            md.append("| ").append(c.pair.server()).append(" | ").append(c.workload).append(" | ")
                    .append(f0(dn)).append(" | ").append(f0(dj)).append(" | ").append(signed(dj - dn, 0)).append(" | ")
                    .append(signed(c.threadCpu(c.j) - c.threadCpu(c.n), 0)).append(" | ")
                    .append(f0(c.jit(c.n))).append(" / ").append(f0(c.jit(c.j))).append(" | ")
                    .append(f0(an)).append(" | ").append(f0(aj)).append(" | ").append(delta).append(" | ")
                    .append(c.c.isEmpty() ? "-" : f0(c.cpu(c.c))).append(" | ")
                    .append(c.c.isEmpty() ? "-" : f0(c.alloc(c.c))).append(" |\n");
        }
        md.append('\n');
    }

    @SuppressWarnings("unchecked")
    private void latencyTable(StringBuilder md) {
        md.append("## Latency at a fixed rate\n\n");
        md.append("Open-loop client (dev.jgi.bench.load.OpenLoop): requests on a fixed schedule over the workload's connections, ")
                .append("latency from each request's intended send time (no coordinated omission). The rate is a fixed fraction (see Windows ")
                .append("above) of the first native trial's wrk throughput, the same for every variant of the server. Microseconds.\n\n");
        md.append("| Server | Workload | Rate /s | p50 native | p50 JGI | **p50 ratio** | p99 native | p99 JGI | **p99 ratio** | p99.9 native | p99.9 JGI | p99 ceiling |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Cell c : cells) {
            if (c.large || c.n.isEmpty() || c.n.get(0).latency() == null) {
                continue;
            }
            double p50n = c.p(c.n, TrialResult.Latency::p50);
            double p50j = c.p(c.j, TrialResult.Latency::p50);
            double p99n = c.p(c.n, TrialResult.Latency::p99);
            double p99j = c.p(c.j, TrialResult.Latency::p99);
            boolean under = false;
            for (WorkloadResult w : c.n) {
                under |= w.latency().achieved() < 0.95 * w.latency().rate();
            }
            for (WorkloadResult w : c.j) {
                under |= w.latency().achieved() < 0.95 * w.latency().rate();
            }
            md.append("| ").append(c.pair.server()).append(" | ").append(c.workload).append(" | ")
                    .append(f0(c.n.get(0).latency().rate())).append(under ? " (not sustained!)" : "").append(" | ")
                    .append(f0(p50n)).append(" | ").append(f0(p50j)).append(" | ").append(f2(p50j / p50n)).append(" | ")
                    .append(f0(p99n)).append(" | ").append(f0(p99j)).append(" | ").append(f2(p99j / p99n)).append(" | ")
                    .append(f0(c.p(c.n, TrialResult.Latency::p999))).append(" | ").append(f0(c.p(c.j, TrialResult.Latency::p999))).append(" | ")
                    .append(c.c.isEmpty() ? "-" : f0(c.p(c.c, TrialResult.Latency::p99))).append(" |\n");
        }
        md.append('\n');
    }

    private void largeTable(StringBuilder md) {
        md.append("## Large bodies: CPU per MiB, allocation growth, heap\n\n");
        md.append("Allocation growth = this workload's extra allocation per request minus hello's: what grows with the body. ")
                .append("Peak heap = the sum of the heap pools' peak use in the window (mostly the young generation filling up); ")
                .append("live heap = the largest heap use right after a GC in the window (what was really held), -1 without a GC.\n\n");
        md.append("| Server | Workload | CPU µs/MiB native | JGI | ratio | Δ alloc/req (adapter) | growth vs hello | peak heap native / JGI (MiB) | live heap native / JGI (MiB) | GCs native / JGI |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Cell c : cells) {
            if (!c.large) {
                continue;
            }
            double mib = Workload.byLabel(c.workload).responseBody / (double) (1 << 20);
            double cn = c.cpuWrk(c.n) / mib / 1000;
            double cj = c.cpuWrk(c.j) / mib / 1000;
            Cell hello = cell(c.pair.server(), Workload.HELLO.label);
            double growth = hello == null ? Double.NaN : c.extraAllocAdapter() - hello.extraAllocAdapter();
            md.append("| ").append(c.pair.server()).append(" | ").append(c.workload).append(" | ")
                    .append(f1(cn)).append(" | ").append(f1(cj)).append(" | ").append(f2(cj / cn)).append(" | ")
                    .append(signed(c.extraAllocAdapter(), 0)).append(" | ")
                    .append(hello == null ? "-" : signed(growth, 0)).append(" | ")
                    .append(mib(c.max(c.n, WorkloadResult::peakHeap))).append(" / ").append(mib(c.max(c.j, WorkloadResult::peakHeap))).append(" | ")
                    .append(mib(c.max(c.n, WorkloadResult::liveHeap))).append(" / ").append(mib(c.max(c.j, WorkloadResult::liveHeap))).append(" | ")
                    .append(sum(c.n, WorkloadResult::gcs)).append(" / ").append(sum(c.j, WorkloadResult::gcs)).append(" |\n");
        }
        md.append('\n');
    }

    private void startupTable(StringBuilder md) {
        md.append("## Startup to first response\n\n");
        md.append("From spawning the JVM to the end of the first 200 response to GET /plaintext (probed every millisecond from the ")
                .append("load CPU). Samples: every trial plus the startup-only rounds, native and JGI alternated. Medians, ms.\n\n");
        md.append("| Server | native | JGI | **Δ** | ceiling | samples (native/JGI) |\n|---|---:|---:|---:|---:|---|\n");
        for (Startup s : startups.values()) {
            md.append("| ").append(s.pair.server()).append(" | ").append(f1(median(s.n))).append(" | ").append(f1(median(s.j)))
                    .append(" | ").append(mark(s.delta(), s.delta() <= TARGET_STARTUP_MS, 1)).append(" | ")
                    .append(s.c.isEmpty() ? "-" : f1(median(s.c))).append(" | ")
                    .append(s.n.size()).append("/").append(s.j.size()).append(" |\n");
        }
        md.append('\n');
    }

    private void wireTable(StringBuilder md) {
        md.append("## Same bytes\n\n");
        md.append("Before timing, every trial fetched one response per workload; each JGI and ceiling trial's response is compared with ")
                .append("the first native trial's: status line, the set of header fields (Date's value masked), body length and SHA-256.\n\n");
        md.append("| Server | Workload | Result | Native response (canonical) |\n|---|---|---|---|\n");
        for (Cell c : cells) {
            List<TrialResult> nt = trials(c.pair.server(), Variant.Role.NATIVE);
            String ref = nt.isEmpty() ? "" : nt.get(0).wire().getOrDefault(c.workload, "");
            md.append("| ").append(c.pair.server()).append(" | ").append(c.workload).append(" | ")
                    .append(c.wireOk ? "same bytes" : "**" + c.wire + "**").append(" | `")
                    .append(ref.replace("\n", "` `")).append("` |\n");
        }
        md.append('\n');
    }

    @SuppressWarnings("unchecked")
    private void jmhTable(StringBuilder md) {
        Map<String, Object> jmh = (Map<String, Object>) results.get("jmh");
        if (jmh == null) {
            return;
        }
        md.append("## JMH: core's per-request translation\n\n");
        md.append("`").append(jmh.get("command")).append("` (full output: `jmh.txt`). B/op is `gc.alloc.rate.norm`.\n\n");
        md.append("| Benchmark | Mode | Score | ± | Unit | B/op |\n|---|---|---:|---:|---|---:|\n");
        for (Object o : (List<Object>) jmh.get("results")) {
            Map<String, Object> r = (Map<String, Object>) o;
            md.append("| ").append(r.get("benchmark")).append(" | ").append(r.get("mode")).append(" | ")
                    .append(f1(num(r.get("score")))).append(" | ").append(f1(num(r.get("error")))).append(" | ")
                    .append(r.get("unit")).append(" | ").append(f0(num(r.get("bytesPerOp")))).append(" |\n");
        }
        md.append('\n');
    }

    private void failures(StringBuilder md) {
        List<TrialResult> failed = new ArrayList<>();
        for (TrialResult t : trials) {
            if (t.error() != null) {
                failed.add(t);
            }
        }
        if (failed.isEmpty()) {
            return;
        }
        md.append("## Failed trials\n\n");
        for (TrialResult t : failed) {
            md.append("- trial ").append(t.index()).append(" ").append(t.variant()).append(": ").append(t.error()).append('\n');
        }
        md.append('\n');
    }

    // ---------------------------------------------------------------- headline

    @SuppressWarnings("unchecked")
    private String headline() {
        Map<String, Object> env = (Map<String, Object>) results.get("environment");
        StringBuilder md = new StringBuilder();
        md.append("<!-- generated by benchmarks/run.sh; figures for the project README -->\n");
        md.append("**Benchmarks** (").append(String.valueOf(env.get("started")).substring(0, 10)).append(", ")
                .append(env.get("cpu")).append(", ").append(f0(num(env.get("cpus")))).append(" CPUs, server and load generator pinned to one CPU each; ")
                .append(env.get("jdk")).append("; `").append(env.get("command")).append("`, load average at start ")
                .append(env.get("loadAverageAtStart")).append("). JGI throughput as a fraction of each server's own blocking handler, ")
                .append("same run, same bytes on the wire:\n\n");
        md.append("| Server | hello | json | upload 1 MiB | download 10 MiB | file 10 MiB | extra CPU / hello | extra alloc / hello | startup Δ |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String s : servers) {
            md.append("| ").append(s);
            for (Workload w : Workload.values()) {
                Cell c = cell(s, w.label);
                md.append(" | ").append(c == null ? "-" : f2(c.ratio()));
            }
            Cell hello = cell(s, Workload.HELLO.label);
            md.append(" | ").append(hello == null ? "-" : signed(hello.cpu(hello.j) - hello.cpu(hello.n), 0) + " ns");
            md.append(" | ").append(hello == null ? "-" : signed(hello.alloc(hello.j) - hello.alloc(hello.n), 0) + " B");
            Startup st = startups.get(s);
            md.append(" | ").append(st == null ? "-" : signed(st.delta(), 1) + " ms").append(" |\n");
        }
        md.append("\nJetty core and Undertow against their non-blocking ceiling (native handler on the IO thread), hello: ");
        List<String> parts = new ArrayList<>();
        for (String s : servers) {
            Cell c = cell(s, Workload.HELLO.label);
            if (c != null && !c.c.isEmpty()) {
                parts.add(s + " " + f2(c.ratioCeiling()));
            }
        }
        md.append(parts.isEmpty() ? "-" : String.join(", ", parts)).append(". Details: benchmarks/results/results.md.\n");
        double lo = Double.NaN;
        double hi = Double.NaN;
        for (Cell c : cells) {
            double aa = c.aa();
            if (!Double.isNaN(aa)) {
                lo = Double.isNaN(lo) ? aa : Math.min(lo, aa);
                hi = Double.isNaN(hi) ? aa : Math.max(hi, aa);
            }
        }
        String load = String.valueOf(env.get("loadAverageAtStart"));
        double first = Double.NaN;
        try {
            first = Double.parseDouble(load.split(" ")[0]);
        } catch (NumberFormatException e) {
            // unknown
        }
        if (!(first < 0.5)) {
            md.append("\n**Caveat:** measured on a machine that was not quiet (load average ").append(load)
                    .append(" at the start); the A/A control (native against itself) ranged from ").append(f2(lo)).append(" to ")
                    .append(f2(hi)).append(", so ratios closer to 1 than that are not measured differences. See ANALYSIS.md.\n");
        }
        return md.toString();
    }

    // ---------------------------------------------------------------- chart

    private String svg() {
        int rowH = 16;
        int groupGap = 10;
        int left = 200;
        int width = 900;
        int plotW = width - left - 40;
        double lo = 0.5;
        double hi = 1.3;
        int top = 70;
        int rows = cells.size();
        int height = top + rows * rowH + servers.size() * groupGap + 70;
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"11\">\n");
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append("<text x=\"10\" y=\"20\" font-size=\"15\" font-weight=\"bold\">JGI throughput / native throughput, per server and workload</text>\n");
        s.append("<text x=\"10\" y=\"38\">blue: against the blocking native handler (the fair baseline); orange: against the non-blocking ")
                .append("ceiling; grey band: A/A noise (|1 - N2/N1|); red line: target 0.97</text>\n");
        java.util.function.DoubleUnaryOperator x = v -> left + (Math.max(lo, Math.min(hi, v)) - lo) / (hi - lo) * plotW;
        int y = top;
        String last = null;
        for (Cell c : cells) {
            if (last != null && !last.equals(c.pair.server())) {
                y += groupGap;
            }
            if (!c.pair.server().equals(last)) {
                s.append("<text x=\"10\" y=\"").append(y + 11).append("\" font-weight=\"bold\">").append(c.pair.server()).append("</text>\n");
            }
            last = c.pair.server();
            s.append("<text x=\"").append(left - 6).append("\" y=\"").append(y + 11).append("\" text-anchor=\"end\">").append(c.workload)
                    .append("</text>\n");
            double aa = c.aa();
            if (!Double.isNaN(aa)) {
                double d = Math.abs(1 - aa);
                s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#ddd\"/>%n",
                        x.applyAsDouble(1 - d), y, Math.max(1, x.applyAsDouble(1 + d) - x.applyAsDouble(1 - d)), rowH - 2));
            }
            boolean hasC = !c.c.isEmpty();
            int barH = hasC ? (rowH - 4) / 2 : rowH - 4;
            bar(s, x, lo, c.ratio(), y + 1, barH, "#3b6fb6");
            if (hasC) {
                bar(s, x, lo, c.ratioCeiling(), y + 1 + barH, barH, "#e08a2c");
            }
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" fill=\"#222\">%s%s</text>%n",
                    x.applyAsDouble(Math.max(c.ratio(), hasC ? c.ratioCeiling() : 0)) + 4, y + 11, f2(c.ratio()),
                    hasC ? " / " + f2(c.ratioCeiling()) : ""));
            y += rowH;
        }
        int axisY = y + 8;
        for (double t = lo; t <= hi + 1e-9; t += 0.1) {
            double px = x.applyAsDouble(t);
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>%n", px, top - 4, px, axisY));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.1f</text>%n", px, axisY + 14, t));
        }
        s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\"/>%n",
                x.applyAsDouble(1.0), top - 4, x.applyAsDouble(1.0), axisY));
        s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"red\" stroke-dasharray=\"4,3\"/>%n",
                x.applyAsDouble(TARGET_RATIO), top - 4, x.applyAsDouble(TARGET_RATIO), axisY));
        s.append("<text x=\"").append(left).append("\" y=\"").append(axisY + 34)
                .append("\">ratio (values outside 0.5 to 1.3 are drawn at the edge); hello and json in requests/s, large bodies in MiB/s</text>\n");
        s.append("</svg>\n");
        return s.toString();
    }

    private static void bar(StringBuilder s, java.util.function.DoubleUnaryOperator x, double lo, double v, int y, int h, String color) {
        if (Double.isNaN(v)) {
            return;
        }
        double x0 = x.applyAsDouble(lo);
        s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n", x0, y,
                Math.max(1, x.applyAsDouble(v) - x0), h, color));
    }

    // ---------------------------------------------------------------- helpers

    private static void row(StringBuilder md, String k, String v) {
        md.append("| ").append(k).append(" | ").append(v).append(" |\n");
    }

    static double mean(List<WorkloadResult> ws, ToDoubleFunction<WorkloadResult> f) {
        double s = 0;
        int n = 0;
        for (WorkloadResult w : ws) {
            double v = f.applyAsDouble(w);
            if (!Double.isNaN(v)) {
                s += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    private static long sum(List<WorkloadResult> ws, ToDoubleFunction<WorkloadResult> f) {
        long s = 0;
        for (WorkloadResult w : ws) {
            s += (long) f.applyAsDouble(w);
        }
        return s;
    }

    static double median(List<Double> xs) {
        if (xs.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static double num(Object o) {
        return o instanceof Number ? ((Number) o).doubleValue() : Double.NaN;
    }

    private static String firstDifference(String a, String b) {
        String[] la = a.split("\n");
        String[] lb = b.split("\n");
        for (int i = 0; i < Math.max(la.length, lb.length); i++) {
            String x = i < la.length ? la[i] : "(none)";
            String y = i < lb.length ? lb[i] : "(none)";
            if (!x.equals(y)) {
                return "native `" + x + "` vs `" + y + "`";
            }
        }
        return "?";
    }

    private static String mark(double v, boolean ok) {
        return mark(v, ok, 3);
    }

    private static String mark(double v, boolean ok, int digits) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return (ok ? "✅ " : "❌ ") + (digits == 3 ? f3(v) : digits == 1 ? signed(v, 1) : f2(v));
    }

    private static String markText(String text, boolean ok) {
        return (ok ? "✅ " : "❌ ") + text;
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "-" : String.format(Locale.ROOT, "%.0f", bytes / 1048576.0);
    }

    static String f0(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%,.0f", v);
    }

    static String f1(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    static String f2(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    static String f3(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }

    static String signed(double v, int digits) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return String.format(Locale.ROOT, "%+,." + digits + "f", v);
    }
}

package dev.jgi.bench.load;

import dev.jgi.bench.server.Variant;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs trials: one fresh server JVM per trial, every workload in turn (warm-up, a measured wrk
 * window with the server's counters read before and after, and for hello and json a fixed-rate
 * open-loop window).
 */
public final class TrialRunner {

    /** Compile time below which a settling pass counts as steady state. */
    private static final long SETTLED_JIT_MS = 20;
    /** The most a trial spends settling (the run must stay within its 10-minute budget). */
    private static final int SETTLE_MAX_SECONDS = 4;

    private final List<String> javaCommand;
    private final Path logs;
    private final Wrk wrk;
    private final Settings settings;
    private final PrintStream out;
    private final String jitCpu;
    /** Fixed rates, per server and workload, set from the first native trial of the server. */
    private final Map<String, Double> rates = new LinkedHashMap<>();
    private boolean clientWarm;

    /**
     * @param javaCommand the server JVM's command line up to the main class (taskset, java, flags, -cp)
     * @param logs where the server JVMs' output goes
     * @param wrk the wrk runner
     * @param settings durations
     * @param out progress output
     * @param jitCpu where to move the server's JIT compiler threads once it answers, or {@code null}
     */
    public TrialRunner(List<String> javaCommand, Path logs, Wrk wrk, Settings settings, PrintStream out, String jitCpu) {
        this.jitCpu = jitCpu;
        this.javaCommand = javaCommand;
        this.logs = logs;
        this.wrk = wrk;
        this.settings = settings;
        this.out = out;
    }

    /** @return the fixed rates used, by "server/workload" */
    public Map<String, Double> rates() {
        return rates;
    }

    /**
     * Runs one trial. A failure is recorded in the result, not thrown.
     *
     * @param index the trial's position
     * @param v the variant
     * @return the result
     */
    public TrialResult run(int index, Variant v) {
        Map<String, String> wire = new LinkedHashMap<>();
        List<TrialResult.WorkloadResult> results = new ArrayList<>();
        double startup = Double.NaN;
        long t0 = System.nanoTime();
        try (ServerProcess sp = ServerProcess.start(javaCommand, v.name(), logs.resolve(v.name() + ".log"), Workload.HELLO, jitCpu)) {
            startup = sp.startupMillis();
            for (Workload w : settings.workloads()) {
                RawHttp.Response r = RawHttp.exchange(sp.port(), w.requestHead(sp.port()), w.requestBodyBytes(), 30000);
                wire.put(w.label, r.canonical());
            }
            // warm every workload first, then measure them all: on one CPU the JIT compiles for a
            // good while after start, and compilation competes with the server for that CPU
            for (Workload w : settings.workloads()) {
                wrk.run(w, sp.port(), settings.warm(w));
            }
            int settle = settle(sp);
            for (Workload w : settings.workloads()) {
                results.add(workload(sp, v, w));
            }
            out.printf("  trial %2d %-20s startup %6.1f ms  %s  (settled in %d s, %.0f s)%n", index, v.name(), startup,
                    summary(results), settle, (System.nanoTime() - t0) / 1e9);
            return new TrialResult(index, v.name(), v.server(), v.role().name(), startup, wire, results, null);
        } catch (IOException | RuntimeException e) {
            out.printf("  trial %2d %-20s FAILED: %s%n", index, v.name(), e);
            return new TrialResult(index, v.name(), v.server(), v.role().name(), startup, wire, results, String.valueOf(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new TrialResult(index, v.name(), v.server(), v.role().name(), startup, wire, results, "interrupted");
        }
    }

    /**
     * Starts a server only to time its startup.
     *
     * @param v the variant
     * @return ms to the first 200, or NaN if it failed
     */
    public double startupOnly(Variant v) {
        try (ServerProcess sp = ServerProcess.start(javaCommand, v.name(), logs.resolve(v.name() + ".log"), Workload.HELLO, null)) {
            return sp.startupMillis();
        } catch (IOException | RuntimeException e) {
            out.printf("  startup of %s FAILED: %s%n", v.name(), e);
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    /**
     * Keeps the small workloads running until the JIT has (nearly) stopped compiling: a fixed
     * warm-up left the variant with more code (JGI's) compiling into its measured windows, up to a
     * second of compile time in a 2 s hello window, which measured the compiler, not the server.
     *
     * @return seconds spent settling
     */
    private int settle(ServerProcess sp) throws IOException, InterruptedException {
        int seconds = 0;
        while (seconds < SETTLE_MAX_SECONDS) {
            long before = sp.stats(false).get("jitms");
            for (Workload w : settings.workloads()) {
                if (!w.large()) {
                    wrk.run(w, sp.port(), 1);
                    seconds++;
                }
            }
            if (seconds == 0 || sp.stats(false).get("jitms") - before <= SETTLED_JIT_MS) {
                break;
            }
        }
        return seconds;
    }

    private TrialResult.WorkloadResult workload(ServerProcess sp, Variant v, Workload w) throws IOException, InterruptedException {
        Map<String, Long> s0 = sp.stats(true);
        // the window as 1 s runs, the best of which gives the throughput: on a shared machine another
        // process only ever slows a run down, so the best run is the least disturbed one; CPU and
        // allocation per request are taken over all of them
        Wrk.Result r = null;
        long requests = 0;
        long errors = 0;
        for (int i = 0; i < settings.measure(w); i++) {
            Wrk.Result one = wrk.run(w, sp.port(), 1);
            requests += one.requests();
            errors += one.errors();
            if (r == null || one.rps() > r.rps()) {
                r = one;
            }
        }
        Map<String, Long> s1 = sp.stats(false);
        double best = r.rps();
        double n = Math.max(1, requests);
        double cpu = (s1.get("proccpu") - s0.get("proccpu")) / n;
        double alloc = (s1.get("alloc") - s0.get("alloc")) / n;
        double mibps = r.requests() * (double) w.responseBody / r.seconds() / (1 << 20);
        TrialResult.Latency lat = null;
        if (w.latency) {
            String key = v.server() + "/" + w.label;
            double rate = rates.computeIfAbsent(key, k -> Math.max(100, Math.round(best * settings.latencyLoad() / 100.0) * 100.0));
            byte[] head = w.requestHead(sp.port());
            double warm = clientWarm ? settings.latencyWarm() : Math.max(2.0, settings.latencyWarm());
            clientWarm = true;
            Map<String, Long> s2 = sp.stats(false);
            OpenLoop.Result ol = OpenLoop.run(sp.port(), head, w.connections, rate, warm, settings.latencySeconds());
            Map<String, Long> s3 = sp.stats(false);
            double m = Math.max(1, ol.total());
            lat = new TrialResult.Latency(ol.rate(), ol.achieved(), ol.completed(), ol.errors(), ol.p50(), ol.p90(), ol.p99(),
                    ol.p999(), ol.max(), (s3.get("proccpu") - s2.get("proccpu")) / m, (s3.get("alloc") - s2.get("alloc")) / m,
                    s3.get("jitms") - s2.get("jitms"), (s3.get("tcpu") - s2.get("tcpu")) / m);
        }
        return new TrialResult.WorkloadResult(w.label, r.requests(), r.seconds(), r.rps(), mibps, errors, cpu, alloc,
                s1.get("peak"), s1.get("live"), s1.get("gcs") - s0.get("gcs"), r.p50(), r.p99(), s1.get("jitms") - s0.get("jitms"),
                (s1.get("tcpu") - s0.get("tcpu")) / n, lat);
    }

    private static String summary(List<TrialResult.WorkloadResult> results) {
        StringBuilder sb = new StringBuilder();
        for (TrialResult.WorkloadResult r : results) {
            if (sb.length() > 0) {
                sb.append("  ");
            }
            if (Workload.byLabel(r.workload()).large()) {
                sb.append(String.format("%s %.0f MiB/s", r.workload(), r.mibps()));
            } else {
                sb.append(String.format("%s %.0f/s", r.workload(), r.rps()));
            }
        }
        return sb.toString();
    }
}

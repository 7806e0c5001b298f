package dev.jgi.bench.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one trial (one fresh server JVM) measured.
 *
 * @param index the trial's position in the run
 * @param variant the variant's name
 * @param server the server family
 * @param role NATIVE, CEILING or JGI
 * @param startupMillis spawn to the end of the first 200 response
 * @param wire the canonical response of every workload (the same-bytes check)
 * @param workloads the workload results, in run order
 * @param error why the trial failed, or {@code null}
 */
public record TrialResult(int index, String variant, String server, String role, double startupMillis,
        Map<String, String> wire, List<WorkloadResult> workloads, String error) {

    /**
     * One workload in one trial.
     *
     * @param workload the workload's label
     * @param requests requests wrk completed in the best 1 s run of the measured window
     * @param seconds that run's duration
     * @param rps requests per second of that run
     * @param mibps response body MiB per second (for the upload: the echoed body)
     * @param errors wrk's socket errors and bad statuses, over the whole window
     * @param cpuNsPerReq server CPU (utime+stime from /proc) over the whole wrk window, per request
     * @param allocPerReq server bytes allocated over the wrk window, per request
     * @param peakHeap sum of the heap pools' peak use in the window
     * @param liveHeap the largest heap use right after a GC in the window (-1 if none)
     * @param gcs collections in the window
     * @param wrkP50 wrk's median latency (closed loop), microseconds
     * @param wrkP99 wrk's p99 (closed loop), microseconds
     * @param jitMs JIT compilation time spent in the window (non-zero: not yet steady state)
     * @param threadCpuNsPerReq CPU of the Java threads (not JIT or GC) over the window, per request
     * @param latency the fixed-rate run, or {@code null}
     */
    public record WorkloadResult(String workload, long requests, double seconds, double rps, double mibps, long errors,
            double cpuNsPerReq, double allocPerReq, long peakHeap, long liveHeap, long gcs, double wrkP50, double wrkP99,
            double jitMs, double threadCpuNsPerReq, Latency latency) {

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("workload", workload);
            m.put("requests", requests);
            m.put("seconds", seconds);
            m.put("rps", rps);
            m.put("mibps", mibps);
            m.put("errors", errors);
            m.put("cpuNsPerReq", cpuNsPerReq);
            m.put("allocPerReq", allocPerReq);
            m.put("peakHeap", peakHeap);
            m.put("liveHeap", liveHeap);
            m.put("gcs", gcs);
            m.put("wrkP50us", wrkP50);
            m.put("wrkP99us", wrkP99);
            m.put("jitMs", jitMs);
            m.put("threadCpuNsPerReq", threadCpuNsPerReq);
            m.put("latency", latency == null ? null : latency.toMap());
            return m;
        }

        static WorkloadResult fromMap(Map<String, Object> m) {
            @SuppressWarnings("unchecked")
            Map<String, Object> l = (Map<String, Object>) m.get("latency");
            return new WorkloadResult((String) m.get("workload"), lng(m, "requests"), dbl(m, "seconds"), dbl(m, "rps"),
                    dbl(m, "mibps"), lng(m, "errors"), dbl(m, "cpuNsPerReq"), dbl(m, "allocPerReq"), lng(m, "peakHeap"),
                    lng(m, "liveHeap"), lng(m, "gcs"), dbl(m, "wrkP50us"), dbl(m, "wrkP99us"), dbl(m, "jitMs"),
                    dbl(m, "threadCpuNsPerReq"), l == null ? null : Latency.fromMap(l));
        }
    }

    /**
     * The fixed-rate (open-loop) run of a workload.
     *
     * @param rate the intended rate
     * @param achieved the completed rate
     * @param completed measured requests
     * @param errors failures
     * @param p50 microseconds from the intended send time
     * @param p90 microseconds
     * @param p99 microseconds
     * @param p999 microseconds
     * @param max microseconds
     * @param cpuNsPerReq server CPU per request over the whole fixed-rate run
     * @param allocPerReq server allocation per request over the whole fixed-rate run
     * @param jitMs JIT compilation time spent in the run
     * @param threadCpuNsPerReq CPU of the Java threads (not JIT or GC) per request
     */
    public record Latency(double rate, double achieved, long completed, long errors, double p50, double p90, double p99,
            double p999, double max, double cpuNsPerReq, double allocPerReq, double jitMs, double threadCpuNsPerReq) {

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rate", rate);
            m.put("achieved", achieved);
            m.put("completed", completed);
            m.put("errors", errors);
            m.put("p50us", p50);
            m.put("p90us", p90);
            m.put("p99us", p99);
            m.put("p999us", p999);
            m.put("maxus", max);
            m.put("cpuNsPerReq", cpuNsPerReq);
            m.put("allocPerReq", allocPerReq);
            m.put("jitMs", jitMs);
            m.put("threadCpuNsPerReq", threadCpuNsPerReq);
            return m;
        }

        static Latency fromMap(Map<String, Object> m) {
            return new Latency(dbl(m, "rate"), dbl(m, "achieved"), lng(m, "completed"), lng(m, "errors"), dbl(m, "p50us"),
                    dbl(m, "p90us"), dbl(m, "p99us"), dbl(m, "p999us"), dbl(m, "maxus"), dbl(m, "cpuNsPerReq"), dbl(m, "allocPerReq"),
                    dbl(m, "jitMs"), dbl(m, "threadCpuNsPerReq"));
        }
    }

    /** @return the trial as JSON-ready maps */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", index);
        m.put("variant", variant);
        m.put("server", server);
        m.put("role", role);
        m.put("startupMs", startupMillis);
        m.put("wire", new LinkedHashMap<String, Object>(wire));
        List<Object> ws = new ArrayList<>();
        for (WorkloadResult w : workloads) {
            ws.add(w.toMap());
        }
        m.put("workloads", ws);
        m.put("error", error);
        return m;
    }

    /**
     * Reads a trial back from {@link #toMap()}'s form.
     *
     * @param m the map
     * @return the trial
     */
    @SuppressWarnings("unchecked")
    public static TrialResult fromMap(Map<String, Object> m) {
        List<WorkloadResult> ws = new ArrayList<>();
        for (Object o : (List<Object>) m.get("workloads")) {
            ws.add(WorkloadResult.fromMap((Map<String, Object>) o));
        }
        Map<String, String> wire = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : ((Map<String, Object>) m.get("wire")).entrySet()) {
            wire.put(e.getKey(), (String) e.getValue());
        }
        return new TrialResult((int) lng(m, "index"), (String) m.get("variant"), (String) m.get("server"), (String) m.get("role"),
                dbl(m, "startupMs"), wire, ws, (String) m.get("error"));
    }

    /**
     * @param workload a workload label
     * @return that workload's result, or null
     */
    public WorkloadResult workload(String workload) {
        for (WorkloadResult w : workloads) {
            if (w.workload().equals(workload)) {
                return w;
            }
        }
        return null;
    }

    static double dbl(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v == null ? Double.NaN : ((Number) v).doubleValue();
    }

    static long lng(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v == null ? -1 : ((Number) v).longValue();
    }
}

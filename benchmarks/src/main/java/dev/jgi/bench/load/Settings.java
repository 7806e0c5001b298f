package dev.jgi.bench.load;

import java.util.List;

/**
 * Durations and sizes of one run. The defaults fit the whole command in under ten minutes on two
 * CPUs (see benchmarks/README.md for the arithmetic).
 *
 * @param warmSmall wrk warm-up of hello, s (json gets a quarter of it; every workload is warmed before any is measured)
 * @param measureSmall wrk measured window of hello and json, s
 * @param warmLarge wrk warm-up of the large-body workloads, s
 * @param measureLarge wrk measured window of the large-body workloads, s
 * @param latencyWarm open-loop warm-up, s
 * @param latencySeconds open-loop measured window, s
 * @param latencyLoad the fixed rate as a fraction of the pair's first native throughput
 * @param startupRounds extra startup-only rounds (native, JGI alternated) per pair
 * @param workloads the workloads to run
 */
public record Settings(int warmSmall, int measureSmall, int warmLarge, int measureLarge, double latencyWarm,
        double latencySeconds, double latencyLoad, int startupRounds, List<Workload> workloads) {

    /** @return the defaults of benchmarks/run.sh */
    public static Settings defaults() {
        return new Settings(1, 2, 1, 1, 0.5, 1.0, 0.35, 2, List.of(Workload.values()));
    }

    /** @return one-second windows, for a smoke run of the harness itself */
    public static Settings quick() {
        return new Settings(1, 1, 1, 1, 0.3, 0.7, 0.5, 1, List.of(Workload.values()));
    }

    /**
     * @param w a workload
     * @return its warm-up, s
     */
    public int warm(Workload w) {
        if (w == Workload.HELLO) {
            return warmSmall;
        }
        return w.large() ? warmLarge : Math.max(1, warmSmall / 4);
    }

    /**
     * @param w a workload
     * @return its measured window, s
     */
    public int measure(Workload w) {
        return w.large() ? measureLarge : measureSmall;
    }

    /**
     * @param list the workloads
     * @return these settings for only those workloads
     */
    public Settings withWorkloads(List<Workload> list) {
        return new Settings(warmSmall, measureSmall, warmLarge, measureLarge, latencyWarm, latencySeconds, latencyLoad, startupRounds, list);
    }
}

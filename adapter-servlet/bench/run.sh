#!/usr/bin/env bash
# Measures the servlet adapter's two modes (blocking: the app on the container thread; async:
# startAsync + the servlet's own executor) on embedded Tomcat and Jetty, with wrk on loopback.
# Usage (from the repository root, after `mvn -q -pl core,adapter-servlet -am install -DskipTests`):
#   adapter-servlet/bench/run.sh [seconds per run, default 10]
# REPS=3 repetitions (interleaved), CONTAINERS="tomcat jetty" and MODES="blocking async" narrow the matrix; JAVA=/path/to/java picks the JVM.
# Needs wrk (apt-get install wrk). Prints one line per run; the numbers in README.md came from it.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-10}
JAVA=${JAVA:-java}
# The server runs from a private copy of its classpath: a build that installs a new jgi-core
# snapshot into the shared local repository while a server runs would otherwise make every class
# loaded after that point fail (NoClassDefFoundError, answered 500 by the gateway).
mvn -o -q test-compile dependency:copy-dependencies -DincludeScope=test -DoutputDirectory=target/bench-run/lib >/dev/null
rm -rf target/bench-run/classes target/bench-run/test-classes
cp -r target/classes target/test-classes target/bench-run/
CP="target/bench-run/test-classes:target/bench-run/classes:target/bench-run/lib/*"
echo "java: $("$JAVA" -version 2>&1 | head -1); load average:$(uptime | sed 's/.*load average://')"
printf '%-7s %-9s %-7s %10s %9s %9s %9s %12s %8s\n' container mode load req/s p50 p99 max transfer/s cpu-us/req
results=$(mktemp)
for rep in $(seq 1 "${REPS:-3}"); do   # repetitions interleave the configurations, so drift in the machine's load hits all of them
for container in ${CONTAINERS:-tomcat jetty}; do
  for mode in ${MODES:-blocking async}; do
    log=$(mktemp)
    "$JAVA" -Xmx1g -cp "$CP" dev.jgi.servlet.BenchServer "$container" "$mode" >"$log" 2>&1 &
    pid=$!
    for _ in $(seq 1 100); do grep -q '^PORT ' "$log" && break; sleep 0.2; done
    port=$(awk '/^PORT /{print $2; exit}' "$log")
    [ -n "$port" ] || { cat "$log"; kill "$pid"; exit 1; }
    wrk -t2 -c50 -d3s "http://127.0.0.1:$port/hello" >/dev/null          # warm-up
    wrk -t2 -c4 -d3s "http://127.0.0.1:$port/stream" >/dev/null
    for load in hello:50 stream:8; do
      path=${load%%:*}; conns=${load##*:}
      cpu0=$(awk '{print $14+$15}' /proc/"$pid"/stat)
      out=$(wrk -t2 -c"$conns" -d"${SECS}s" --latency -s bench/non2xx.lua "http://127.0.0.1:$port/$path")
      cpu1=$(awk '{print $14+$15}' /proc/"$pid"/stat)
      rps=$(awk '/^Requests\/sec/{print $2}' <<<"$out")
      reqs=$(awk '/requests in/{print $1}' <<<"$out")
      # server CPU time (user+system, clock ticks of 10 ms) per request, in microseconds
      cpu=$(( (cpu1 - cpu0) * 10000 / (reqs > 0 ? reqs : 1) ))
      p50=$(awk '$1=="50%"{print $2}' <<<"$out")
      p99=$(awk '$1=="99%"{print $2}' <<<"$out")
      max=$(awk '/^    Latency/{print $4}' <<<"$out")
      tps=$(awk '/^Transfer\/sec/{print $2}' <<<"$out")
      errs=$(grep -E 'Non-2xx|Socket errors|^NON2XX' <<<"$out" | tr -s ' ' | tr '\n' ' ' || true)
      printf '%-7s %-9s %-7s %10s %9s %9s %9s %12s %8s %s\n' "$container" "$mode" "$path/c$conns" "$rps" "$p50" "$p99" "$max" "$tps" "$cpu" "$errs"
      echo "$container $mode $path/c$conns $rps $p50 $p99 $cpu" >>"$results"
    done
    kill "$pid"; wait "$pid" 2>/dev/null || true
    # wrk cuts streams off when a run ends: those disconnects are expected; anything else is shown
    severe=$(grep SEVERE "$log" | grep -vc 'client disconnected' || true)
    [ "$severe" = 0 ] || { echo "  server log: $severe unexpected SEVERE lines, first:"; grep -A12 SEVERE "$log" | grep -v 'client disconnected' | head -14 | sed 's/^/    /'; cp "$log" "/tmp/jgi-bench-$container-$mode-$rep.log"; }
    rm -f "$log"
  done
done
done
echo
echo "median of ${REPS:-3} runs (req/s, p50, p99, server CPU per request):"
python3 - "$results" <<'PY'
import sys, statistics, collections
def ms(v):
    return float(v[:-2]) if v.endswith('ms') else float(v[:-2]) / 1000 if v.endswith('us') else float(v[:-1]) * 1000
rows = collections.OrderedDict()
for line in open(sys.argv[1]):
    c, m, load, rps, p50, p99, cpu = line.split()
    rows.setdefault((c, m, load), []).append((float(rps), ms(p50), ms(p99), float(cpu)))
print('| container | mode | load | req/s | p50 ms | p99 ms | server CPU µs/request |')
print('|---|---|---|---:|---:|---:|---:|')
for (c, m, load), v in rows.items():
    print('| %s | %s | %s | %.0f | %.1f | %.0f | %.0f |' % (c, m, load, statistics.median(x[0] for x in v),
          statistics.median(x[1] for x in v), statistics.median(x[2] for x in v), statistics.median(x[3] for x in v)))
PY
rm -f "$results"
echo "load average at the end:$(uptime | sed 's/.*load average://')"

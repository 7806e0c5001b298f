#!/usr/bin/env bash
# Profiles one server variant under load, for finding where time and allocation go (benchmarks/results/ANALYSIS.md):
# the server JVM runs pinned to CPU 1 with a JFR recording (profile settings: method samples every 10-20 ms,
# allocation samples), wrk loads it from CPU 0 for the given seconds, then the recording is summarised with
# `jfr view` (hot-methods, allocation-by-site, allocation-by-class). Run benchmarks/run.sh once first (it builds).
#
# Usage: benchmarks/profile.sh VARIANT [WORKLOAD-PATH] [SECONDS] [CONNECTIONS]
#   e.g. benchmarks/profile.sh undertow-jgi /plaintext 10 16
# JFR_TOOL may point to a newer JDK's jfr (the views need JDK 21+; default: the jfr next to java, else JDK 25's).
set -euo pipefail
cd "$(dirname "$0")/.."
VARIANT=${1:?variant, e.g. jetty-core-jgi}
PATH_=${2:-/plaintext}
SECS=${3:-10}
CONNS=${4:-16}
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JFR_TOOL=${JFR_TOOL:-}
if [ -z "$JFR_TOOL" ]; then
  for j in "${JAVA_HOME:-/nonexistent}/bin/jfr" /usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr "$(command -v jfr || true)"; do
    if [ -x "$j" ] && "$j" help view >/dev/null 2>&1; then JFR_TOOL=$j; break; fi
  done
fi
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
OUT=benchmarks/target/profiles
mkdir -p "$OUT"
FILE=benchmarks/target/bench-work/file-10m.bin
[ -f "$FILE" ] || { echo "run benchmarks/run.sh once first (it writes $FILE)" >&2; exit 1; }
PORT=$(( 20000 + RANDOM % 20000 ))
CTL=$(( PORT + 1 ))
JFR="$OUT/$VARIANT$(echo "$PATH_" | tr / -).jfr"
taskset -c 1 "$JAVA" -XX:ActiveProcessorCount=1 -XX:+UseParallelGC -XX:ParallelGCThreads=1 -Xms256m -Xmx256m \
  -Dsun.net.httpserver.nodelay=true -Djgi.bench.file="$FILE" \
  -XX:StartFlightRecording=settings=profile,filename="$JFR",dumponexit=true \
  -cp "$CP" dev.jgi.bench.server.ServerMain "$VARIANT" "$PORT" "$CTL" > "$OUT/$VARIANT.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 300); do
  if curl -s -o /dev/null "http://127.0.0.1:$PORT/plaintext" 2>/dev/null || \
     (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then break; fi
  sleep 0.05
done
taskset -c 0 wrk -t1 -c"$CONNS" -d2s "http://127.0.0.1:$PORT$PATH_" >/dev/null   # warm-up, not recorded apart
taskset -c 0 wrk -t1 -c"$CONNS" -d"${SECS}s" "http://127.0.0.1:$PORT$PATH_"
echo QUIT > "/dev/tcp/127.0.0.1/$CTL" || kill "$SERVER"
wait "$SERVER" || true
echo "recording: $JFR"
if [ -n "$JFR_TOOL" ]; then
  for view in hot-methods allocation-by-site allocation-by-class; do
    "$JFR_TOOL" view --width 200 "$view" "$JFR" | head -40
  done
else
  echo "no jfr tool with 'view' (JDK 21+) found; set JFR_TOOL" >&2
fi

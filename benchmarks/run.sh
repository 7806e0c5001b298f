#!/usr/bin/env bash
# JGI benchmarks: the one command. Builds what it needs, installs wrk with apt-get if missing, runs every
# pair (JGI against each server's own native handler, same run) and the JMH micro-benchmarks, and writes
# benchmarks/results/ (results.md, results.json, chart.svg, HEADLINE.md, jmh.txt). About 8-9 minutes on a
# 2-CPU machine; see benchmarks/README.md.
#
# Usage: benchmarks/run.sh [--quick] [--pairs jdk,tomcat,jetty-servlet,jetty-core,undertow]
#                          [--workloads hello,json,upload-1m,download-10m,file-10m] [--no-jmh] [--jmh-only]
#                          [--report-only] [--out DIR]
# JAVA_HOME selects the JDK of the driver and the server JVMs (default: the java on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi

if ! command -v wrk >/dev/null 2>&1; then
  echo "== installing wrk (apt-get)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >/dev/null
fi
command -v taskset >/dev/null 2>&1 || { echo "taskset (util-linux) is required" >&2; exit 1; }

CPUS=$(nproc)
SERVER_CPU=1
LOAD_CPU=0
if [ "$CPUS" -lt 2 ]; then
  echo "warning: only $CPUS CPU; server and load generator share it, results are not meaningful" >&2
  SERVER_CPU=0
fi
echo "== load average before the run: $(cut -d' ' -f1-3 /proc/loadavg) (a quiet machine is below 0.5)"

echo "== building (mvn package -pl benchmarks -am, tests skipped)"
MVN_ARGS=(-q -pl benchmarks -am package -DskipTests)
mvn -o "${MVN_ARGS[@]}" || mvn "${MVN_ARGS[@]}"

CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
echo "== running"
exec taskset -c "$LOAD_CPU" "$JAVA" -cp "$CP" dev.jgi.bench.Driver --out benchmarks/results --cp "$CP" \
  --server-cpu "$SERVER_CPU" --load-cpu "$LOAD_CPU" --java "$JAVA" --command "benchmarks/run.sh${*:+ $*}" "$@"

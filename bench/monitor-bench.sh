#!/usr/bin/env bash
# The monitor runner with 500 monitors at a 1 s interval and cheap in-process probes: CPU time per
# probe and drift of probe starts from their schedule, against a naive thread-per-monitor
# Thread.sleep loop in the same run. Prints one table; see docs/benchmarks-monitors.md.
#   bench/monitor-bench.sh [--monitors 500] [--interval-ms 1000] [--duration 60] [--warmup 5]
#                          [--threads 16]
# Set MVN="mvn -o" to build offline.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
${MVN:-mvn} -B -q -pl core compile
${MVN:-mvn} -B -q -pl core dependency:build-classpath -Dmdep.outputFile="$work/classpath"
exec java -cp "core/target/classes:$(cat "$work/classpath")" bench/MonitorBench.java "$@"

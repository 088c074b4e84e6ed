#!/usr/bin/env bash
# The scheduler behind `deployer up` on generated DAGs of 240 releases (four shapes, two seeds),
# with a simulated Helm whose per-release times are known (20-200 ms, seeded), against a
# layer-by-layer schedule in the same run. Prints one table; see docs/benchmarks-scheduler.md.
#   bench/schedule-bench.sh [--seeds 1,2] [--limits 0,8] [--releases 240] [--repeats 2]
# Set MVN="mvn -o" to build offline.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
${MVN:-mvn} -B -q -pl core compile
${MVN:-mvn} -B -q -pl core dependency:build-classpath -Dmdep.outputFile="$work/classpath"
exec java -cp "core/target/classes:$(cat "$work/classpath")" bench/SchedulerBench.java "$@"

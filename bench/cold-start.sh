#!/usr/bin/env bash
# Start-up cost of the Helm engine: `deployer build` of the 3-release quickstart against
# `deployer validate` of the same plan (the baseline: JVM start and plan reading, no engine), in
# the same run, alternating, best and median of N each. The engine library is cached before the
# measurement (its first-ever start writes it to ~/.cache/deployer/engine).
# Usage: bench/cold-start.sh [N]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-10}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
plan="$root/examples/quickstart/deployer.yml"
"$root/deployer" version >/dev/null   # builds the jar and caches the engine, outside the measurement
jar="$root/app/target/deployer.jar"

run() {
  local start end
  start=$(date +%s.%N)
  java ${DEPLOYER_JAVA_OPTS:-} -jar "$jar" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  end=$(date +%s.%N)
  python3 -c "print($end - $start)"
}

: >"$work/validate"; : >"$work/build"
for i in $(seq "$n"); do
  run validate -f "$plan" >>"$work/validate"
  rm -rf "$work/out"
  run build -f "$plan" --plandir "$work/out" --diff-mode none >>"$work/build"
done
python3 - "$work/validate" "$work/build" "$n" <<'PY'
import statistics, sys
v = [float(x) for x in open(sys.argv[1])]
b = [float(x) for x in open(sys.argv[2])]
print(f"quickstart (3 releases), {sys.argv[3]} runs each, alternating, wall time with JVM start-up")
print(f"  deployer validate (baseline)  best {min(v):5.2f} s  median {statistics.median(v):5.2f} s")
print(f"  deployer build                best {min(b):5.2f} s  median {statistics.median(b):5.2f} s")
print(f"  build / validate              best {min(b)/min(v):5.2f}x median {statistics.median(b)/statistics.median(v):5.2f}x")
PY

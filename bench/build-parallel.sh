#!/usr/bin/env bash
# Speed-up of the parallel build: the same 200-release plan built with --parallel-limit 1
# (one release after another, the baseline) and with one render per core, in the same run,
# best of 3 each. Usage: [TEMPLATES=30] bench/build-parallel.sh [RELEASES]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
releases="${1:-200}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$root/deployer" version >/dev/null   # builds the jar when needed, outside the measurement
# 30 templates per chart, as a typical application chart has, so that rendering is the work.
python3 "$root/bench/generate-plan.py" "$releases" "$work/plan" --templates "${TEMPLATES:-30}"
cores=$(nproc)

best_of_3() {
  local best=""
  for i in 1 2 3; do
    rm -rf "$work/out"
    local start end
    start=$(date +%s.%N)
    "$root/deployer" build -f "$work/plan/deployer.yml" --plandir "$work/out" --diff-mode none "$@" \
      >/dev/null 2>"$work/err" || { cat "$work/err" >&2; echo "bench: build failed" >&2; exit 1; }
    end=$(date +%s.%N)
    best=$(python3 -c "t=$end-$start; b='$best'; print(min(t, float(b)) if b else t)")
  done
  echo "$best"
}

sequential=$(best_of_3 --parallel-limit 1)
parallel=$(best_of_3 --parallel-limit "$cores")
[[ -n $sequential && -n $parallel ]] || exit 1
python3 - "$releases" "$cores" "$sequential" "$parallel" <<'PY'
import sys
n, cores, seq, par = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
print(f"build of {n} releases, best of 3, wall time including JVM start-up")
print(f"  --parallel-limit 1 (baseline) {seq:7.2f} s")
print(f"  --parallel-limit {cores:<2}          {par:7.2f} s")
print(f"  speed-up                      {seq / par:7.2f}x on {cores} cores")
PY

#!/usr/bin/env bash
# How `validate` and `graph` scale with plan size. Runs in one go, on this machine:
#   baseline   `deployer version` (JVM start-up, no plan)
#   500 and 5,000 releases: validate and graph, best of 3 runs each
#   3,000 releases with dense tag dependencies (layers of 300, each release depending on the whole
#   layer before it through a tag: about 800,000 dependencies): validate, best of 3
# and reports the times and the ratios (5,000 ÷ 500 is ~10 when the work grows linearly).
# DEPLOYER=/path/to/deployer.jar measures that jar instead of this tree's (to compare versions).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
[[ -n ${DEPLOYER:-} ]] || "$root/deployer" version >/dev/null   # builds the jar when needed
jar="${DEPLOYER:-$root/app/target/deployer.jar}"
deployer() { java -jar "$jar" "$@"; }

best_of_3() {
  local best=""
  for _ in 1 2 3; do
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null || { echo "bench: failed: $*" >&2; exit 1; }
    end=$(date +%s.%N)
    best=$(python3 -c "t=$end-$start; b='$best'; print(min(t, float(b)) if b else t)")
  done
  echo "$best"
}

python3 "$root/bench/generate-plan.py" 500 "$work/p500"
python3 "$root/bench/generate-plan.py" 5000 "$work/p5000"
python3 "$root/bench/generate-plan.py" 3000 "$work/dense" --dense-tags 300
base=$(best_of_3 deployer version)
v500=$(best_of_3 deployer validate -f "$work/p500/deployer.yml")
v5000=$(best_of_3 deployer validate -f "$work/p5000/deployer.yml")
g500=$(best_of_3 deployer graph -f "$work/p500/deployer.yml")
g5000=$(best_of_3 deployer graph -f "$work/p5000/deployer.yml")
dense=$(best_of_3 deployer validate -f "$work/dense/deployer.yml")
dense_kb=$(/usr/bin/time -f %M java -jar "$jar" validate -f "$work/dense/deployer.yml" 2>&1 >/dev/null | tail -1)
[[ -n $base && -n $v500 && -n $v5000 && -n $g500 && -n $g5000 && -n $dense ]] || exit 1
python3 - "$base" "$v500" "$v5000" "$g500" "$g5000" "$dense" "$dense_kb" <<'PY'
import sys
base, v500, v5000, g500, g5000, dense, dense_kb = map(float, sys.argv[1:])
print(f"{'what':<28}{'seconds':>9}{'÷ start-up':>12}")
for name, t in [("deployer version (start-up)", base), ("validate, 500 releases", v500),
                ("validate, 5,000 releases", v5000), ("graph, 500 releases", g500),
                ("graph, 5,000 releases", g5000), ("validate, 3,000 dense tags", dense)]:
    print(f"{name:<28}{t:>9.2f}{t / base:>12.2f}")
print(f"work beyond start-up, 5,000 ÷ 500: validate {(v5000 - base) / max(v500 - base, 1e-3):.1f}x, "
      f"graph {(g5000 - base) / max(g500 - base, 1e-3):.1f}x (10x = linear)")
print(f"validate, 3,000 dense tags: peak memory {dense_kb / 1024:.0f} MB")
PY

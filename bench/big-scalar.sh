#!/usr/bin/env bash
# How long a plan with one 10 MB scalar takes to read: `validate` and `build` of a plan whose
# release `description` is 10 MB written plain and double-quoted, against `deployer version`
# (JVM start-up, no plan), best of RUNS runs each (default 3), in wall and CPU seconds.
# DEPLOYER=/path/to/deployer.jar measures that jar instead of this tree's (to compare versions).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
[[ -n ${DEPLOYER:-} ]] || "$root/deployer" version >/dev/null   # builds the jar when needed
jar="${DEPLOYER:-$root/app/target/deployer.jar}"
runs="${RUNS:-3}"
java_deployer=(java -jar "$jar")

# Best of $runs: "wall-seconds cpu-seconds" of the run with the least CPU (user + system), which a
# busy machine disturbs far less than the wall clock.
best() {
  local best=""
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -f "%e %U %S" -o "$work/time" "$@" >/dev/null 2>"$work/err" \
      || { cat "$work/err" >&2; echo "bench: failed: $*" >&2; exit 1; }
    best=$(python3 -c "
e, u, s = map(float, open('$work/time').read().split()[-3:])
b = '$best'.split()
print(f'{e} {u + s}' if not b or u + s < float(b[1]) else '$best')")
  done
  echo "$best"
}

mkdir -p "$work/charts/api/templates"
printf 'apiVersion: v2\nname: api\nversion: 0.1.0\n' >"$work/charts/api/Chart.yaml"
python3 - "$work" <<'PY'
import sys
work = sys.argv[1]
big = "x" * (10 * 1024 * 1024)
head = "releases:\n  - name: api\n    chart: ./charts/api\n    description: "
open(f"{work}/plain.yml", "w").write(head + big + "\n")
open(f"{work}/quoted.yml", "w").write(head + '"' + big + '"\n')
PY
base=$(best "${java_deployer[@]}" version)
plain=$(best "${java_deployer[@]}" validate -f "$work/plain.yml")
quoted=$(best "${java_deployer[@]}" validate -f "$work/quoted.yml")
build=$(best "${java_deployer[@]}" build -f "$work/plain.yml" --plandir "$work/out" --diff-mode none)
python3 - "$base" "$plain" "$quoted" "$build" <<'PY'
import sys
rows = [tuple(map(float, a.split())) for a in sys.argv[1:]]
print(f"{'what':<40}{'wall s':>9}{'CPU s':>9}")
for name, (wall, cpu) in zip(["deployer version (start-up)", "validate, 10 MB plain scalar",
                              "validate, 10 MB double-quoted scalar",
                              "build, 10 MB plain scalar"], rows):
    print(f"{name:<40}{wall:>9.2f}{cpu:>9.2f}")
PY

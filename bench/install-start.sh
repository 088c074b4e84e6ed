#!/usr/bin/env bash
# Start-up of `deployer version` installed from the linux-amd64 tarball (jlink runtime, class-data
# sharing archive, bin/deployer) against the plain jar on the JDK (`java -jar deployer.jar`), in the
# same run, alternating, N runs each; also the tarball's launcher with the archive turned off
# (-Xshare:off), to show what the archive itself buys. Prints the median and best of each and the
# ratios to the plain jar. The engine library is cached before the measurement.
# Usage: bench/install-start.sh [N]   (builds the jar and tarball with `mvn package` when missing)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-20}"
version="$(sed -n 's|^  <version>\(.*\)</version>|\1|p' "$root/pom.xml" | head -1)"
jar="$root/app/target/deployer.jar"
tarball="$root/app/target/deployer-$version-linux-amd64.tar.gz"
if [[ ! -f $jar || ! -f $tarball ]]; then
  (cd "$root" && mvn -q -B -DskipTests -Dspotless.check.skip=true package)
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tar -xzf "$tarball" -C "$work"
launcher="$work/deployer-$version/bin/deployer"
java -jar "$jar" version >/dev/null # writes the engine to ~/.cache/deployer/engine once
"$launcher" version >/dev/null

run() {
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  end=$(date +%s.%N)
  python3 -c "print($end - $start)"
}

: >"$work/jar"; : >"$work/tarball"; : >"$work/noshare"
for _ in $(seq "$n"); do
  run java -jar "$jar" version >>"$work/jar"
  run "$launcher" version >>"$work/tarball"
  DEPLOYER_JAVA_OPTS=-Xshare:off run "$launcher" version >>"$work/noshare"
done
python3 - "$work" "$n" "$(nproc)" <<'PY'
import statistics, sys
work, n, cores = sys.argv[1], sys.argv[2], sys.argv[3]
rows = [("java -jar deployer.jar version (plain jar, baseline)", "jar"),
        ("tarball bin/deployer version", "tarball"),
        ("tarball bin/deployer version, -Xshare:off", "noshare")]
t = {k: [float(x) for x in open(f"{work}/{k}")] for _, k in rows}
base_med, base_best = statistics.median(t["jar"]), min(t["jar"])
print(f"deployer version, {n} runs each, alternating, wall time, {cores} cores")
for label, k in rows:
    med, best = statistics.median(t[k]), min(t[k])
    print(f"  {label:52} median {med:5.3f} s ({med / base_med:4.2f}x)  best {best:5.3f} s ({best / base_best:4.2f}x)")
PY

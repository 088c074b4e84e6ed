#!/usr/bin/env bash
# Start-up of `deployer version` installed from the linux-amd64 tarball (jlink runtime, class-data
# sharing archive, bin/deployer) against the plain jar on the JDK (`java -jar deployer.jar`), in the
# same run, alternating, N runs each; also the tarball's launcher with the archive turned off
# (-Xshare:off), to show what the archive itself buys. Prints the median and best of each and the
# ratios to the plain jar; also the CPU time (user + system) of each, which a busy machine
# disturbs less than the wall time. The engine library is cached before the measurement.
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

python3 - "$n" "$jar" "$launcher" <<'PY'
import os, statistics, subprocess, sys, time
n, jar, launcher = int(sys.argv[1]), sys.argv[2], sys.argv[3]
rows = [("java -jar deployer.jar version (plain jar, baseline)", ["java", "-jar", jar, "version"], {}),
        ("tarball bin/deployer version", [launcher, "version"], {}),
        ("tarball bin/deployer version, -Xshare:off", [launcher, "version"], {"DEPLOYER_JAVA_OPTS": "-Xshare:off"})]
wall = {label: [] for label, _, _ in rows}
cpu = {label: [] for label, _, _ in rows}
for _ in range(n):
    for label, command, extra in rows:
        start = time.perf_counter()
        p = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, **extra})
        _, status, usage = os.wait4(p.pid, 0)
        wall[label].append(time.perf_counter() - start)
        cpu[label].append(usage.ru_utime + usage.ru_stime)
        if status != 0:
            sys.exit(f"{command} failed: {p.stderr.read().decode()}")
base = rows[0][0]
print(f"deployer version, {n} runs each, alternating, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
print(f"  {'':52} {'wall median':>19} {'wall best':>19} {'CPU median':>19}")
for label, _, _ in rows:
    cells = []
    for series, pick in ((wall, statistics.median), (wall, min), (cpu, statistics.median)):
        value, baseline = pick(series[label]), pick(series[base])
        cells.append(f"{value:6.3f} s ({value / baseline:4.2f}x)")
    print(f"  {label:52} " + " ".join(f"{c:>19}" for c in cells))
PY

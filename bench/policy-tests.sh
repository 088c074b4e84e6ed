#!/usr/bin/env bash
# How long the policy tests on fakes take (UpPolicyTest, MonitorActionPolicyTest, ReversePolicyTest,
# MonitorActionsTest: scheduling, monitor actions, rollback scope and skip rules), each run in a
# fresh surefire JVM as `mvn verify` runs them, with pom.xml's surefire.argLine against the JVM's
# defaults (the baseline) in the same run, alternating; and GoDurationTest, a plain unit test
# class, for scale. Times are the sums of the classes' times in surefire's reports, best of N.
# Usage: bench/policy-tests.sh [N]   (after one `mvn -B verify`, so that -o finds every artifact)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-5}"
policy="UpPolicyTest,MonitorActionPolicyTest,ReversePolicyTest,MonitorActionsTest"
baseline="GoDurationTest"
cd "$root"
mvn -B -q -o -pl core test-compile -Dspotless.check.skip=true >/dev/null

run() {
  local tests="$1" args=()
  if [[ -n ${SUREFIRE_ARGLINE+set} ]]; then
    args+=("-Dsurefire.argLine=$SUREFIRE_ARGLINE")
  fi
  rm -f core/target/surefire-reports/TEST-*.xml
  mvn -B -q -o -pl core surefire:test -Dspotless.check.skip=true -Dtest="$tests" \
    -Dsurefire.failIfNoSpecifiedTests=false "${args[@]}" >/dev/null
  python3 - <<'PY'
import glob, xml.etree.ElementTree as ET
print(sum(float(ET.parse(f).getroot().get("time")) for f in glob.glob("core/target/surefire-reports/TEST-*.xml")))
PY
}

flags="$(sed -n 's:.*<surefire.argLine>\(.*\)</surefire.argLine>.*:\1:p' pom.xml)"
best_default=999; best_flags=999; best_base=999
for i in $(seq "$n"); do
  d=$(SUREFIRE_ARGLINE= run "$policy")
  f=$(SUREFIRE_ARGLINE="$flags" run "$policy")
  b=$(SUREFIRE_ARGLINE="$flags" run "$baseline")
  best_default=$(python3 -c "print(min($best_default, $d))")
  best_flags=$(python3 -c "print(min($best_flags, $f))")
  best_base=$(python3 -c "print(min($best_base, $b))")
done
python3 -c "
d=$best_default; f=$best_flags; b=$best_base
print(f'policy tests, JVM defaults: {d:.3f} s')
print(f'policy tests, pom.xml flags ($flags): {f:.3f} s, {f/d:.2f}x the defaults')
print(f'one plain test class ($baseline), pom.xml flags: {b:.3f} s')"

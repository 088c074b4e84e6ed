#!/usr/bin/env bash
# A larger run of the plan reader's fuzz test (PlanReaderFuzzTest): MUTANTS broken variants of the
# example and test plans (default 50,000; the suite runs 2,500) from SEED (default: a new one each
# run, printed, so that a failure can be replayed with SEED=...). Fails when any input crashes the
# reader, hangs it, or is rejected with a problem that has no line or shows a Java class name.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
mutants="${MUTANTS:-50000}"
seed="${SEED:-$(date +%s)}"
echo "plan fuzz: $mutants mutants, seed $seed"
cd "$root"
mvn -B -o -q -pl core test -Dspotless.check.skip=true -Dtest=PlanReaderFuzzTest \
  -Dsurefire.failIfNoSpecifiedTests=false -Dfuzz.mutants="$mutants" -Dfuzz.seed="$seed"

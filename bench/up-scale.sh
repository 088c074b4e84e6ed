#!/usr/bin/env bash
# `deployer up` at scale on the real test control plane (testcluster/), in one run:
#
# 1. A 50-release plan with a real DAG (bench/generate-plan.py 50 --workload --wait: each release
#    a Deployment of one pod, which the control plane's simulated kubelet makes ready, a Service
#    and a ConfigMap; each release depends on up to three earlier ones), deployed twice on fresh
#    namespaces:
#      baseline  helm 4's CLI (`helm upgrade --install --wait=watcher`, the version deployer's
#                engine is built on), one release per process, each started as soon as its
#                dependencies are done, at most PARALLEL at once: the same DAG, the same
#                parallelism (helmwave cannot be built here: the Go module proxy does not serve it)
#      deployer  `deployer up --parallel-limit PARALLEL` of the built plan directory
#    The critical path is the DAG's longest chain, summed over the baseline's per-release times
#    (Helm's own work on each release, process start included). Printed: deployer's wall time
#    against the critical path and the baseline, and deployer's per-release overhead beyond Helm's
#    own time (its release_started..release_finished minus the baseline's time for that release).
# 2. A no-op `up` of the 200-release plan (bench/generate-plan.py 200 --templates 30), installed by
#    a first `up`: it must check every release and write nothing (the same Helm revisions, and the
#    same resourceVersion of every Secret, ConfigMap and Lease in the plan's namespaces).
#
# Usage: [PARALLEL=10] [RELEASES=50] [NOOP_RELEASES=200] bench/up-scale.sh
# DEPLOYER=/path/to/deployer.jar measures that jar instead of this tree's.
# Needs Go (the test control plane and helm are built once per machine, minutes the first time).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
parallel="${PARALLEL:-10}"
releases="${RELEASES:-50}"
noop_releases="${NOOP_RELEASES:-200}"
work="$(mktemp -d)"
cleanup() {
  "$root/testcluster/stop" "$work/tc" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

[[ -n ${DEPLOYER:-} ]] || "$root/deployer" version >/dev/null # builds the jar when needed
jar="${DEPLOYER:-$root/app/target/deployer.jar}"
deployer() { java ${DEPLOYER_JAVA_OPTS:-} -jar "$jar" "$@"; }
helm=$("$root/testcluster/helm-cli" 4)
export KUBECONFIG
KUBECONFIG=$(TESTCLUSTER_OWNER_PID=$$ "$root/testcluster/start" "$work/tc")
export HELM_CACHE_HOME="$work/helm/cache" HELM_CONFIG_HOME="$work/helm/config" HELM_DATA_HOME="$work/helm/data"

now() { date +%s.%N; }

echo "== up of a ${releases}-release DAG, parallelism $parallel ($(uptime | sed 's/.*load/load/'))"
python3 "$root/bench/generate-plan.py" "$releases" "$work/dag-helm" --workload --wait \
  --create-namespace --namespace-prefix h- --dag-json "$work/dag.json"
python3 "$root/bench/generate-plan.py" "$releases" "$work/dag-deployer" --workload --wait \
  --create-namespace --namespace-prefix d-
deployer build -f "$work/dag-deployer/deployer.yml" --plandir "$work/dag-deployer/.deployer" \
  --diff-mode none >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }

# The baseline: helm's CLI on the same DAG, with the same parallelism and no layer barrier.
python3 - "$helm" "$work/dag-helm/chart" "$work/dag.json" "$parallel" "$work/helm-times.json" <<'PY'
import json, subprocess, sys, threading, time
helm, chart, dag_file, parallel, out = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
dag = json.load(open(dag_file))
done, started, times, failed = set(), set(), {}, []
lock = threading.Condition()
slots = threading.Semaphore(parallel)
def run(i):
    r = dag[i]
    t0 = time.monotonic()
    p = subprocess.run([helm, "upgrade", "--install", r["name"], chart, "-n", r["namespace"],
                        "--create-namespace", "--wait=watcher", "--timeout", "5m"],
                       capture_output=True, text=True)
    t1 = time.monotonic()
    with lock:
        if p.returncode != 0:
            failed.append(f'{r["name"]}: {p.stderr.strip()}')
        times[i] = {"start": t0 - start, "end": t1 - start}
        done.add(i)
        lock.notify_all()
    slots.release()
start = time.monotonic()
threads = []
with lock:
    while len(done) < len(dag) and not failed:
        ready = [i for i, r in enumerate(dag) if i not in started and all(d in done for d in r["depends_on"])]
        for i in ready:  # in graph order, as deployer starts releases that are ready together
            lock.release()
            slots.acquire()
            lock.acquire()
            started.add(i)
            t = threading.Thread(target=run, args=(i,))
            t.start()
            threads.append(t)
        lock.wait(0.05) if not ready else None
for t in threads:
    t.join()
if failed:
    sys.exit("baseline: helm failed: " + "; ".join(failed))
wall = time.monotonic() - start
json.dump({"wall": wall, "releases": {dag[i]["name"]: times[i] for i in times}}, open(out, "w"))
PY

start=$(now)
deployer up --plandir "$work/dag-deployer/.deployer" --parallel-limit "$parallel" --log-format json \
  >"$work/up.out" 2>"$work/up.log" || { tail -n 30 "$work/up.log" >&2; echo "bench: up failed" >&2; exit 1; }
end=$(now)

python3 - "$work/dag.json" "$work/helm-times.json" "$work/up.log" "$start" "$end" <<'PY'
import json, sys
from datetime import datetime
dag = json.load(open(sys.argv[1]))
helm = json.load(open(sys.argv[2]))
wall = float(sys.argv[5]) - float(sys.argv[4])
own = {r: t["end"] - t["start"] for r, t in helm["releases"].items()}
# The longest chain, by the sum of Helm's own per-release times.
path, via = {}, {}
for i, r in enumerate(dag):
    best = max(r["depends_on"], key=lambda d: path[d], default=None)
    path[i] = own[r["name"]] + (path[best] if best is not None else 0.0)
    via[i] = best
end = max(path, key=path.get)
chain, i = [], end
while i is not None:
    chain.append(dag[i]["name"]); i = via[i]
critical = path[end]
def t(line): return datetime.strptime(line["time"], "%Y-%m-%dT%H:%M:%S.%fZ").timestamp()
began, took = {}, {}
for raw in open(sys.argv[3]):
    try:
        line = json.loads(raw)
    except ValueError:
        continue
    name = line.get("release", "").split("@")[0]
    if line.get("event") == "release_started":
        began[name] = t(line)
    elif line.get("event") == "release_finished":
        if line.get("outcome") not in ("deployed", "unchanged"):
            sys.exit(f"bench: {line.get('release')} {line.get('outcome')}: {line.get('reason')}")
        took[name] = t(line) - began[name]
over = sorted(took[n] - own[n] for n in took)
mean = sum(over) / len(over)
print(f"  critical path ({len(chain)} releases: {' <- '.join(chain)})")
print(f"  {'critical path (helm CLI per-release times)':<46}{critical:8.2f} s")
print(f"  {'baseline: helm upgrade --install per release':<46}{helm['wall']:8.2f} s")
print(f"  {'deployer up (JVM start included)':<46}{wall:8.2f} s")
print(f"  {'deployer ÷ critical path':<46}{wall / critical:8.2f}x  (goal <= 1.10)")
print(f"  {'deployer ÷ baseline':<46}{wall / helm['wall']:8.2f}x  (goal <= 1.00)")
print(f"  per-release overhead beyond helm's own time: mean {mean * 1000:.0f} ms, "
      f"median {over[len(over) // 2] * 1000:.0f} ms, max {over[-1] * 1000:.0f} ms "
      f"(helm's own: mean {sum(own.values()) / len(own) * 1000:.0f} ms)")
PY

echo "== no-op up of the ${noop_releases}-release plan ($(uptime | sed 's/.*load/load/'))"
python3 "$root/bench/generate-plan.py" "$noop_releases" "$work/big" --templates 30 --create-namespace --namespace-prefix n-
deployer build -f "$work/big/deployer.yml" --plandir "$work/big/.deployer" --diff-mode none \
  >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
first_start=$(now)
deployer up --plandir "$work/big/.deployer" --parallel-limit "$parallel" >/dev/null 2>"$work/err" \
  || { tail -n 30 "$work/err" >&2; echo "bench: first up failed" >&2; exit 1; }
first_end=$(now)

# What the no-op must leave as it is: every release's revision, and every Secret, ConfigMap and
# Lease of the plan's namespaces (name and resourceVersion).
snapshot() {
  "$helm" list -A -o json --filter '^r[0-9]+$' | python3 -c '
import json, sys
print("\n".join(sorted(f"{r[\"namespace\"]}/{r[\"name\"]} rev {r[\"revision\"]} {r[\"status\"]}" for r in json.load(sys.stdin))))'
  for kind in secrets configmaps leases.coordination.k8s.io; do
    kubectl get "$kind" -A -o json | python3 -c '
import json, sys
for o in json.load(sys.stdin)["items"]:
    m = o["metadata"]
    if m["namespace"].startswith("n-ns"):
        print(o["kind"], m["namespace"], m["name"], m["resourceVersion"])' | sort
  done
}
snapshot >"$work/before"
grep -c " rev 1 deployed" "$work/before" | grep -qx "$noop_releases" \
  || { echo "bench: the first up did not deploy $noop_releases releases" >&2; exit 1; }
noop_start=$(now)
deployer up --plandir "$work/big/.deployer" --parallel-limit "$parallel" -o json >"$work/noop.json" 2>"$work/err" \
  || { tail -n 30 "$work/err" >&2; echo "bench: no-op up failed" >&2; exit 1; }
noop_end=$(now)
snapshot >"$work/after"
if ! diff -q "$work/before" "$work/after" >/dev/null; then
  diff "$work/before" "$work/after" | head -20 >&2
  echo "bench: the no-op up wrote to the cluster" >&2
  exit 1
fi
python3 - "$work/noop.json" "$noop_releases" "$first_start" "$first_end" "$noop_start" "$noop_end" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
n = int(sys.argv[2])
first, noop = float(sys.argv[4]) - float(sys.argv[3]), float(sys.argv[6]) - float(sys.argv[5])
outcomes = [r["outcome"] for r in report["releases"]]
if len(outcomes) != n or set(outcomes) != {"unchanged"}:
    sys.exit(f"bench: the no-op up reported {sorted(set(outcomes))} for {len(outcomes)} releases")
print(f"  {'first up (installs)':<46}{first:8.2f} s")
print(f"  {'no-op up (all unchanged, nothing written)':<46}{noop:8.2f} s  (goal < 10)")
PY
echo "== load after: $(uptime | sed 's/.*load/load/')"

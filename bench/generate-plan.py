#!/usr/bin/env python3
"""Writes a large deployer plan for benchmarks: N releases over 20 namespaces, each depending on
up to three earlier releases (a DAG), some through a tag that only the first 50 carry, all on one local chart;
with --dense-tags, also on whole layers of releases through tags. Deterministic for a given N and seed.
With --workload the chart also runs a Deployment (one pod, which the test control plane makes ready)
behind a Service, and --wait makes Helm wait for it; --dag-json writes each release's resolved
dependencies, for a baseline that deploys the same DAG with another tool (bench/up-scale.sh)."""
import argparse, json, os, random

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("releases", type=int)
    ap.add_argument("out", help="folder to write deployer.yml and the chart into")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--templates", type=int, default=1,
                    help="templates in the chart; real charts have tens, which makes rendering the main cost")
    ap.add_argument("--dense-tags", type=int, default=0, metavar="N",
                    help="also put the releases in layers of N, each tagged layer<k>, and make every "
                         "release depend on the whole layer before its own through {tag: layer<k-1>} "
                         "(about N x releases dependencies)")
    ap.add_argument("--workload", action="store_true",
                    help="the chart also has a Deployment of one pod and a Service")
    ap.add_argument("--wait", action="store_true", help="every release waits: wait: true (Helm's watcher)")
    ap.add_argument("--create-namespace", action="store_true",
                    help="every release creates its namespace: create_namespace: true")
    ap.add_argument("--namespace-prefix", default="", metavar="P",
                    help="namespaces are P + ns<k>, so two runs of the same plan use their own")
    ap.add_argument("--dag-json", metavar="FILE",
                    help="also write the releases with their resolved dependencies as JSON")
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    os.makedirs(os.path.join(args.out, "chart", "templates"), exist_ok=True)
    with open(os.path.join(args.out, "chart", "Chart.yaml"), "w") as f:
        f.write("apiVersion: v2\nname: bench\nversion: 0.1.0\n")
    for t in range(args.templates):
        name = "cm.yaml" if t == 0 else f"cm{t}.yaml"
        suffix = "" if t == 0 else f"-{t}"
        with open(os.path.join(args.out, "chart", "templates", name), "w") as f:
            f.write("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}%s\n"
                    "  labels: {{ include \"labels\" . | nindent 4 }}\n"
                    "data:\n  size: {{ .Values.size | default 1 | quote }}\n"
                    "{{- range $i := until 20 }}\n  key{{ $i }}: {{ printf \"%%s-%%d\" $.Release.Name $i | sha256sum | quote }}\n{{- end }}\n" % suffix)
    with open(os.path.join(args.out, "chart", "templates", "_helpers.tpl"), "w") as f:
        f.write('{{- define "labels" -}}\napp.kubernetes.io/instance: {{ .Release.Name }}\napp.kubernetes.io/name: {{ .Chart.Name }}\n{{- end }}\n')
    if args.workload:
        with open(os.path.join(args.out, "chart", "templates", "deployment.yaml"), "w") as f:
            f.write(WORKLOAD)
    prefix = args.namespace_prefix
    lines = ["project: bench", "releases:"]
    dag = []
    for i in range(args.releases):
        ns = f"{prefix}ns{i % 20}"
        deps = []
        resolved = set()
        if i > 0:
            for _ in range(rnd.randint(0, 3)):
                j = rnd.randrange(max(0, i - 200), i)
                deps.append(f"r{j}@{prefix}ns{j % 20}")
                resolved.add(j)
        if i >= 50 and rnd.random() < 0.05:
            base = rnd.randrange(0, 5)
            deps.append("{tag: base%d}" % base)
            resolved.update(j for j in range(50) if j % 5 == base)
        tags = [f"t{i % 50}", "even" if i % 2 == 0 else "odd"]
        if i < 50:
            tags.append(f"base{i % 5}")
        if args.dense_tags:
            layer = i // args.dense_tags
            tags.append(f"layer{layer}")
            if layer > 0:
                deps.append("{tag: layer%d}" % (layer - 1))
                resolved.update(range((layer - 1) * args.dense_tags, layer * args.dense_tags))
        lines.append(f"  - name: r{i}")
        lines.append(f"    namespace: {ns}")
        lines.append("    chart: ./chart")
        lines.append(f"    tags: [{', '.join(tags)}]")
        if deps:
            lines.append(f"    depends_on: [{', '.join(sorted(set(deps)))}]")
        if args.wait:
            lines.append("    wait: true")
        if args.create_namespace:
            lines.append("    create_namespace: true")
        dag.append({"name": f"r{i}", "namespace": ns, "depends_on": sorted(resolved)})
    with open(os.path.join(args.out, "deployer.yml"), "w") as f:
        f.write("\n".join(lines) + "\n")
    if args.dag_json:
        with open(args.dag_json, "w") as f:
            json.dump(dag, f, indent=1)

WORKLOAD = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
  labels: {{ include "labels" . | nindent 4 }}
spec:
  replicas: 1
  selector:
    matchLabels: {{ include "labels" . | nindent 6 }}
  template:
    metadata:
      labels: {{ include "labels" . | nindent 8 }}
    spec:
      containers:
        - name: app
          image: registry.k8s.io/pause:3.10
          ports: [{containerPort: 8080, name: http}]
---
apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}
  labels: {{ include "labels" . | nindent 4 }}
spec:
  selector: {{ include "labels" . | nindent 4 }}
  ports: [{port: 80, targetPort: http}]
"""

if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes a large deployer plan for benchmarks: N releases over 20 namespaces, each depending on
up to three earlier releases (a DAG), some through a tag that only the first 50 carry, all on one local chart;
with --dense-tags, also on whole layers of releases through tags. Deterministic for a given N and seed."""
import argparse, os, random

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
    lines = ["project: bench", "releases:"]
    for i in range(args.releases):
        ns = f"ns{i % 20}"
        deps = []
        if i > 0:
            for _ in range(rnd.randint(0, 3)):
                j = rnd.randrange(max(0, i - 200), i)
                deps.append(f"r{j}@ns{j % 20}")
        if i >= 50 and rnd.random() < 0.05:
            deps.append("{tag: base%d}" % rnd.randrange(0, 5))
        tags = [f"t{i % 50}", "even" if i % 2 == 0 else "odd"]
        if i < 50:
            tags.append(f"base{i % 5}")
        if args.dense_tags:
            layer = i // args.dense_tags
            tags.append(f"layer{layer}")
            if layer > 0:
                deps.append("{tag: layer%d}" % (layer - 1))
        lines.append(f"  - name: r{i}")
        lines.append(f"    namespace: {ns}")
        lines.append("    chart: ./chart")
        lines.append(f"    tags: [{', '.join(tags)}]")
        if deps:
            lines.append(f"    depends_on: [{', '.join(sorted(set(deps)))}]")
    with open(os.path.join(args.out, "deployer.yml"), "w") as f:
        f.write("\n".join(lines) + "\n")

if __name__ == "__main__":
    main()

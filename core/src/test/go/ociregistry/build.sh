#!/usr/bin/env bash
# Builds the test OCI registry (this Go module) once per machine and prints the program's path.
# The cache is outside target/, so `mvn clean` keeps it:
#   ${DEPLOYER_BUILD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/deployer/build}/ociregistry-<key>/ociregistry
# where <key> is the start of the sha256 of the Go version, go.mod, go.sum and every *.go file.
# Exit status 3: Go is not installed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if ! command -v go >/dev/null 2>&1; then
  echo "ociregistry: Go is not installed; building the test OCI registry needs Go $(sed -n 's/^go //p' "$here/go.mod") or newer on the PATH" >&2
  exit 3
fi

key="$( (cd "$here" && go env GOVERSION GOOS GOARCH && cat go.mod go.sum && find . -name '*.go' -type f | LC_ALL=C sort | while read -r f; do echo "$f"; cat "$f"; done) | sha256sum | cut -c1-32)"
dir="${DEPLOYER_BUILD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/deployer/build}/ociregistry-$key"
out="$dir/ociregistry"
if [[ ! -x $out ]]; then
  mkdir -p "$dir"
  exec 9>"$dir/.lock"
  flock 9
  if [[ ! -x $out ]]; then
    echo "ociregistry: building $out (the first build takes minutes)" >&2
    tmp="$dir/.build-$$"
    trap 'rm -f "$tmp"' EXIT
    (cd "$here" && go build -trimpath -ldflags='-s -w' -o "$tmp" .) >&2
    mv -f "$tmp" "$out"
  fi
fi
echo "$out"

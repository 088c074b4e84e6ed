#!/usr/bin/env bash
# Builds actionlint (github.com/rhysd/actionlint, the GitHub Actions workflow checker) once per
# machine with `go install` and prints the program's path. The cache is outside target/, so
# `mvn clean` keeps it, and is keyed by the pinned version and the Go toolchain:
#   ${DEPLOYER_BUILD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/deployer/build}/actionlint-<version>-<go>/actionlint
# Exit status 3: Go is not installed.
set -euo pipefail
version="v1.7.12"

if ! command -v go >/dev/null 2>&1; then
  echo "actionlint: Go is not installed; building actionlint $version needs Go on the PATH" >&2
  exit 3
fi
dir="${DEPLOYER_BUILD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/deployer/build}/actionlint-$version-$(go env GOVERSION GOOS GOARCH | paste -sd-)"
out="$dir/actionlint"
if [[ ! -x $out ]]; then
  mkdir -p "$dir"
  exec 9>"$dir/.lock"
  flock 9
  if [[ ! -x $out ]]; then
    echo "actionlint: building $version into $dir (go install, once)" >&2
    tmp="$dir/.build-$$"
    trap 'rm -rf "$tmp"' EXIT
    GOBIN="$tmp" GOFLAGS=-trimpath go install "github.com/rhysd/actionlint/cmd/actionlint@$version" >&2
    mv -f "$tmp/actionlint" "$out"
  fi
fi
echo "$out"

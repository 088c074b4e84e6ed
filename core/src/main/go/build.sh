#!/usr/bin/env bash
# Builds deployer's Helm engine (this Go module) into a shared library and puts it, with its
# SHA-256, under OUTDIR/dev/deployer/core/helm/native/. Maven calls this at generate-resources.
# The built library is cached per machine, keyed by the Go toolchain and every source file, so an
# unchanged engine costs a hash, not a build (and `mvn clean` does not throw it away).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:?usage: build.sh OUTDIR}"
dest="$out/dev/deployer/core/helm/native"

if ! command -v go >/dev/null 2>&1; then
  echo "deployer engine: Go is not installed; it needs the version in $here/go.mod ($(sed -n 's/^go //p' "$here/go.mod")) or newer" >&2
  exit 1
fi
want="$(sed -n 's/^go //p' "$here/go.mod")"
have="$(go env GOVERSION | sed 's/^go//')"
if [[ "$(printf '%s\n%s\n' "$want" "$have" | sort -V | head -1)" != "$want" ]]; then
  echo "deployer engine: Go $have is too old; go.mod needs $want or newer" >&2
  exit 1
fi

key="$( (go env GOVERSION GOOS GOARCH; cd "$here" && find . -name '*.go' -o -name go.mod -o -name go.sum -o -name build.sh | LC_ALL=C sort | xargs sha256sum) | sha256sum | cut -c1-32)"
cache="${DEPLOYER_BUILD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/deployer/build}/engine-$key"
lib="$cache/libdeployer-engine.so"
if [[ ! -f $lib ]]; then
  mkdir -p "$cache"
  exec 9>"$cache/.lock"
  flock 9
  if [[ ! -f $lib ]]; then
    echo "deployer engine: building the Helm engine (Go, first time: a few minutes)" >&2
    tmp="$cache/.build-$$"
    (cd "$here" && CGO_ENABLED=1 go build -buildmode=c-shared -trimpath -ldflags='-s -w' -o "$tmp/libdeployer-engine.so" .)
    mv "$tmp/libdeployer-engine.so" "$lib"
    rm -rf "$tmp"
  fi
fi
# The versions the library was built from, read from its own build info, so that `deployer version`
# can print them without loading the library (which costs a tenth of a second).
versions="$cache/engine-version.properties"
if [[ ! -f $versions ]]; then
  go version -m "$lib" | awk -F'\t' '
    NR == 1 { sub(/^.*: /, ""); print "go=" $0 }
    $2 == "dep" && $3 == "helm.sh/helm/v4" { print "helm=" $4 }
    $2 == "dep" && $3 == "k8s.io/client-go" { print "kube_client=" $4 }' >"$versions.tmp"
  mv "$versions.tmp" "$versions"
fi
mkdir -p "$dest"
cmp -s "$versions" "$dest/engine-version.properties" || cp "$versions" "$dest/engine-version.properties"
if ! cmp -s "$lib" "$dest/libdeployer-engine.so"; then
  cp "$lib" "$dest/libdeployer-engine.so"
  sha256sum "$lib" | cut -d' ' -f1 >"$dest/libdeployer-engine.so.sha256"
fi

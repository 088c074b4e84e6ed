#!/usr/bin/env bash
# Installs deployer from its linux-amd64 tarball (a Java runtime, the jar and a launcher: no JDK
# needed) into .tools/deployer/ and prints the directory of the deployer command, for the PATH:
#   ci/install.sh >>"$GITHUB_PATH"            (GitHub Actions)
#   export PATH="$(ci/install.sh):$PATH"      (GitLab CI, a shell)
# DEPLOYER_URL: where the tarball is (any URL curl reads, file:// included); required.
# DEPLOYER_SHA256: its SHA-256; when set, a tarball with another is refused.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
url="${DEPLOYER_URL:-}"
if [[ -z $url ]]; then
  echo "ci/install.sh: DEPLOYER_URL is not set; set it to the deployer-VERSION-linux-amd64.tar.gz to install" >&2
  exit 2
fi
dest="$root/.tools/deployer"
tarball="$(mktemp)"
trap 'rm -f "$tarball"' EXIT
curl -fsSL --retry 3 -o "$tarball" "$url"
if [[ -n ${DEPLOYER_SHA256:-} ]]; then
  echo "$DEPLOYER_SHA256  $tarball" | sha256sum -c --quiet - >&2 || {
    echo "ci/install.sh: $url does not have the SHA-256 DEPLOYER_SHA256 names" >&2
    exit 1
  }
fi
rm -rf "$dest"
mkdir -p "$dest"
tar -xzf "$tarball" -C "$dest" --strip-components=1
"$dest/bin/deployer" version >&2
echo "$dest/bin"

#!/usr/bin/env bash
# Makes the install-without-building tarball, TARGET/deployer-VERSION-linux-amd64.tar.gz:
#
#   deployer-VERSION/bin/deployer          the launcher (src/dist/bin/deployer)
#   deployer-VERSION/lib/deployer.jar      the CLI's jar, with the Helm engine library inside it
#   deployer-VERSION/lib/deployer.jsa      class-data-sharing archive of the classes `version` loads
#   deployer-VERSION/lib/libjnidispatch.so JNA's native part, so JNA need not unpack it on each run
#   deployer-VERSION/runtime/              a Java runtime made by jlink, of the modules jdeps finds
#
# Maven runs this at `package`, after the jar is shaded. What is slow is cached:
# - the modules the jar's dependencies need (jdeps, about 20 s) per machine, keyed by the
#   dependencies' classes; those deployer's own classes need, keyed by the JDK classes they name
#   (see JarParts.java);
# - the runtime (jlink, about 20 s) per machine, keyed by the JDK and the module list;
# - the tarball itself: when the jar, the JDK and these scripts are what they were for the
#   tarball in TARGET, nothing is done.
# The caches are under ${DEPLOYER_BUILD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/deployer/build}.
#
# Usage: package.sh JAVA_HOME JAR VERSION TARGET
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
java_home="${1:?usage: package.sh JAVA_HOME JAR VERSION TARGET}"
jar="${2:?}"
version="${3:?}"
target="${4:?}"
name="deployer-$version"
tarball="$target/$name-linux-amd64.tar.gz"
cache_root="${DEPLOYER_BUILD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/deployer/build}"
started=$(date +%s)
say() { echo "deployer dist: $*" >&2; }

# Modules the JVM finds only at run time, which jdeps cannot see: elliptic-curve TLS (clusters
# and registries with EC certificates) is a provider loaded by name; jdk.unsupported holds the
# signal API that deployer reaches by reflection (SIGINT and SIGTERM handling).
extra_modules="jdk.crypto.ec,jdk.unsupported"

for tool in jlink jdeps java; do
  if [[ ! -x $java_home/bin/$tool ]]; then
    say "$java_home/bin/$tool is missing; the tarball needs a full JDK 17 (with jlink and its jmods)"
    exit 1
  fi
done
if [[ ! -d $java_home/jmods ]]; then
  say "$java_home/jmods is missing; jlink needs the JDK's module files (Debian: openjdk-17-jdk-headless)"
  exit 1
fi

jdk_id="$(cat "$java_home/release" 2>/dev/null; "$java_home/bin/java" -version 2>&1)"
jar_sha="$(sha256sum "$jar" | cut -d' ' -f1)"
script_sha="$(cat "$here/package.sh" "$here/JarParts.java" "$here/bin/deployer" | sha256sum | cut -d' ' -f1)"
key="$(printf '%s\n%s\n%s\n' "$jdk_id" "$jar_sha" "$script_sha" | sha256sum | cut -c1-32)"
stamp="$target/dist/.key"
if [[ -f $tarball && -f $stamp && "$(cat "$stamp")" == "$key" ]]; then
  say "$tarball is up to date"
  exit 0
fi

work="$target/dist"
rm -rf "$work"
mkdir -p "$work/scan"
trap 'rm -rf "$work/scan"' EXIT

# 1. Modules. The shaded jar holds the dependencies and deployer's classes; they are scanned apart,
# so that a change to deployer's code does not re-scan 50 MB of dependencies.
jdeps_scan() {
  "$java_home/bin/jdeps" --multi-release 17 --ignore-missing-deps --print-module-deps "$1" | tail -1
}
"$java_home/bin/java" "$here/JarParts.java" scan "$jar" "$work/scan"
deps_modules_file="$cache_root/dist-jdeps-deps-$(printf '%s\n%s\n' "$(cat "$work/scan/deps.key")" "$jdk_id" | sha256sum | cut -c1-32)"
own_modules_file="$cache_root/dist-jdeps-own-$(printf '%s\n%s\n' "$(cat "$work/scan/own.key")" "$jdk_id" | sha256sum | cut -c1-32)"
mkdir -p "$cache_root"
if [[ ! -f $deps_modules_file ]]; then
  say "finding the JDK modules the dependencies use (jdeps, once per set of dependencies)"
  "$java_home/bin/java" "$here/JarParts.java" deps "$jar" "$work/scan"
  jdeps_scan "$work/scan/deps" >"$deps_modules_file.tmp.$$"
  mv -f "$deps_modules_file.tmp.$$" "$deps_modules_file"
fi
if [[ ! -f $own_modules_file ]]; then
  "$java_home/bin/java" "$here/JarParts.java" own "$jar" "$work/scan"
  jdeps_scan "$work/scan/own" >"$own_modules_file.tmp.$$"
  mv -f "$own_modules_file.tmp.$$" "$own_modules_file"
fi
modules="$(printf '%s\n' "$(cat "$deps_modules_file")" "$(cat "$own_modules_file")" "$extra_modules" | tr ',' '\n' | grep -v '^$' | LC_ALL=C sort -u | paste -sd, -)"

# 2. The runtime, per JDK and module list.
jlink_options=(--strip-debug --no-man-pages --no-header-files)
runtime_key="$(printf '%s\n%s\n%s\n' "$jdk_id" "$modules" "${jlink_options[*]}" | sha256sum | cut -c1-32)"
runtime="$cache_root/dist-runtime-$runtime_key"
if [[ ! -x $runtime/bin/java ]]; then
  say "making a Java runtime of $modules (jlink, once per JDK and module list)"
  mkdir -p "$cache_root"
  rm -rf "$runtime.tmp.$$"
  "$java_home/bin/jlink" --add-modules "$modules" "${jlink_options[@]}" --output "$runtime.tmp.$$" >&2
  rm -rf "$runtime"
  mv "$runtime.tmp.$$" "$runtime"
fi

# 3. The tree. Hard links where the file system allows: the runtime is not written to.
app="$work/$name"
mkdir -p "$app/bin" "$app/lib"
cp -al "$runtime" "$app/runtime" 2>/dev/null || cp -a "$runtime" "$app/runtime"
cp "$here/bin/deployer" "$app/bin/deployer"
chmod 755 "$app/bin/deployer"
cp "$jar" "$app/lib/deployer.jar"
mv "$work/scan/libjnidispatch.so" "$app/lib/libjnidispatch.so"
rm -rf "$work/scan"

# 4. The class-data-sharing archive: the classes one run of `deployer version` loads (picocli's
# whole command tree, the engine's boundary), dumped into a static archive. The jar is named as
# the launcher names it, /dev/fd/3/deployer.jar, fd 3 being lib/ (see bin/deployer).
(
  exec 3<"$app/lib"
  "$app/runtime/bin/java" -XX:DumpLoadedClassList="$work/classes.lst" -jar /dev/fd/3/deployer.jar version >/dev/null
  "$app/runtime/bin/java" -Xshare:dump -XX:SharedClassListFile="$work/classes.lst" \
    -XX:SharedArchiveFile="$app/lib/deployer.jsa" -cp /dev/fd/3/deployer.jar >"$work/cds.log" 2>&1 || {
    cat "$work/cds.log" >&2
    exit 1
  }
)
rm -f "$work/classes.lst"
# The launcher must start with the archive: -Xshare:on makes the JVM fail when it cannot use it.
if ! out="$(env -u JAVA_HOME DEPLOYER_JAVA_OPTS=-Xshare:on "$app/bin/deployer" version 2>&1)"; then
  say "the unpacked launcher does not start with its class-data-sharing archive:"
  echo "$out" >&2
  exit 1
fi

# 5. The tarball. tar keeps the files' modification times, which the archive checks.
# gzip -1: about half the time of the default level, for a tarball 5% larger.
tar -C "$work" -cf - "$name" | gzip -1 >"$tarball.tmp"
mv -f "$tarball.tmp" "$tarball"
echo "$key" >"$stamp"
rm -rf "$app"
say "wrote $tarball ($(du -h "$tarball" | cut -f1), $(($(date +%s) - started)) s)"

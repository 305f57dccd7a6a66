#!/usr/bin/env bash
# Builds the root filesystem a Java image needs on top of `scratch`: a jlinked Java runtime (only the
# modules the program uses) in /opt/java, the shared libraries it links against, copied from the build
# machine to the same paths, and an empty /tmp. Jib adds the result as an extra directory. No base image
# is pulled, so the image builds offline; the price is that the image has the build machine's
# architecture (linux/amd64 here) and its glibc. The operator and the demo app both use it.
#
# usage: build-runtime.sh OUTPUT_DIR MODULE[,MODULE...]
set -euo pipefail

out=${1:?usage: build-runtime.sh OUTPUT_DIR MODULES}
modules=${2:?usage: build-runtime.sh OUTPUT_DIR MODULES}
jlink=${JAVA_HOME:+$JAVA_HOME/bin/}jlink
command -v "$jlink" >/dev/null || jlink=jlink

# The same JDK and modules give the same runtime: a rebuild of the module does not jlink again.
key="$modules $("$jlink" --version)"
stamp="$out.built-from"
if [[ -d $out && -f $stamp && $(cat "$stamp") == "$key" ]]; then
  echo "runtime in $out is up to date ($modules)"
  exit 0
fi
rm -rf "$out" "$stamp"
mkdir -p "$out/opt"
"$jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --compress=2 --output "$out/opt/java"

# Every library the launcher, the JVM and the runtime's own libraries load, except those inside the
# runtime: "libfoo.so => /lib/…/libfoo.so (0x…)" lines and the dynamic loader's own "/lib64/ld-…" line.
libs=$(ldd "$out"/opt/java/bin/java "$out"/opt/java/lib/server/libjvm.so "$out"/opt/java/lib/*.so 2>/dev/null \
  | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | grep -v "^$out" | sort -u)
for lib in $libs; do
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
done
# The mount point for a writable /tmp (an emptyDir when the root filesystem is read-only).
mkdir -p "$out/tmp"
echo "$key" > "$stamp"
echo "runtime in $out ($(du -sh "$out" | cut -f1)): $modules"

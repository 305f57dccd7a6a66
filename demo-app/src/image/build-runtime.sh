#!/usr/bin/env bash
# Builds the root filesystem the demo image needs on top of `scratch`: a jlinked Java runtime (only the
# modules the app uses) in /opt/java, and the shared libraries it links against, copied from the build
# machine to the same paths. Jib adds the result as an extra directory. No base image is pulled, so the
# image builds offline; the price is that the image has the build machine's architecture (linux/amd64
# here) and its glibc.
#
# usage: build-runtime.sh OUTPUT_DIR
set -euo pipefail

out=${1:?usage: build-runtime.sh OUTPUT_DIR}
jlink=${JAVA_HOME:+$JAVA_HOME/bin/}jlink
command -v "$jlink" >/dev/null || jlink=jlink

rm -rf "$out"
mkdir -p "$out/opt"
"$jlink" --add-modules java.base,jdk.httpserver --strip-debug --no-header-files --no-man-pages \
  --compress=2 --output "$out/opt/java"

# Every library the launcher, the JVM and the runtime's own libraries load, except those inside the
# runtime: "libfoo.so => /lib/…/libfoo.so (0x…)" lines and the dynamic loader's own "/lib64/ld-…" line.
libs=$(ldd "$out"/opt/java/bin/java "$out"/opt/java/lib/server/libjvm.so "$out"/opt/java/lib/*.so 2>/dev/null \
  | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | grep -v "^$out" | sort -u)
for lib in $libs; do
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
done
# Java needs a writable /tmp for its attach and perf files; an empty one is enough.
mkdir -p "$out/tmp"
echo "runtime for the demo image in $out ($(du -sh "$out" | cut -f1))"

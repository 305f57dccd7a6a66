#!/usr/bin/env bash
# Builds Concourse's `fly` CLI from the Go module proxy into a cache outside the checkout and prints its
# path. Only `fly validate-pipeline` is used, which never talks to a Concourse server, so a source build
# is all the pipeline check needs. A second run builds nothing.
#
# The commit is Concourse v8.2.5's: `go install …/fly@v8.2.5` is refused because the module path lacks
# the `/v8` suffix, so the go command is given the commit and maps it to a pseudo-version. A Go module
# proxy that does not serve github.com/concourse/concourse (ours answers 403) means fly is unavailable:
# exit 3, and the caller falls back to a structural check of the pipeline.
set -euo pipefail

FLY_COMMIT=10d78df20d5e35b729e0049c6f1c219fa771d596   # concourse/concourse v8.2.5
FLY_VERSION=8.2.5
cache="${FRESHET_FLY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/freshet/fly}/$FLY_VERSION-${FLY_COMMIT:0:12}"
fly="$cache/fly"

say() { printf '[install-fly %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

if [[ -x $fly ]]; then
  echo "$fly"
  exit 0
fi
command -v go >/dev/null || { say "ERROR: no Go toolchain on PATH (Concourse $FLY_VERSION needs Go >= 1.26.3)"; exit 1; }

mkdir -p "$cache"
# Modules come from the module proxy only: never "direct" from a version-control host.
export GOPROXY="$(go env GOPROXY | sed -E 's/[,|]direct$//')"
log="$cache/build.log"
say "building fly $FLY_VERSION from the Go module proxy (log: $log); the first build takes several minutes"
# Built into a temporary dir and moved, so an interrupted build never leaves a half-written binary behind.
tmp=$(mktemp -d "$cache/.build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
if ! CGO_ENABLED=0 GOBIN="$tmp" \
     go install -trimpath "github.com/concourse/concourse/fly@$FLY_COMMIT" >"$log" 2>&1; then
  tail -n 5 "$log" >&2
  say "fly is not available: the Go module proxy does not serve github.com/concourse/concourse@$FLY_COMMIT"
  exit 3
fi
mv "$tmp/fly" "$fly"
say "built $fly"
echo "$fly"

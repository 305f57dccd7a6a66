#!/usr/bin/env bash
# Builds Concourse's `fly` CLI from the Go module proxy into a cache outside the checkout and prints its
# path. Only `fly validate-pipeline` is used, which never talks to a Concourse server, so a source build
# is all the pipeline check needs. A second run builds nothing.
#
# The commit is Concourse v8.2.5's: `go install …/fly@v8.2.5` is refused because the module path lacks
# the `/v8` suffix, so the go command is given the commit and maps it to a pseudo-version. A Go module
# proxy that does not serve github.com/concourse/concourse (some mirrors answer 403) leaves the
# documented way: a git clone at that commit, then `go build` in fly/ (its dependencies still come from
# the proxy). FRESHET_FLY_SOURCE names the clone source (a URL or a local repository).
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
# No default: where only package registries are reachable, an unasked-for clone from GitHub would be
# traffic to a host the machine must not call. Without a source the caller falls back (exit 3).
source_repo="${FRESHET_FLY_SOURCE:-}"
build_from_clone() {
  [[ -n $source_repo ]] || { say "the module proxy does not serve fly@$FLY_COMMIT and FRESHET_FLY_SOURCE is not set"; return 3; }
  say "the module proxy does not serve fly@$FLY_COMMIT; building from a clone of $source_repo"
  git clone -q --no-checkout "$source_repo" "$tmp/src"
  # A mirror may lack a few large web/test blobs; fly does not need them, and go build will say if a Go
  # source is missing, so a checkout that only complains about those is good enough.
  git -C "$tmp/src" checkout -q "$FLY_COMMIT" || [[ -f $tmp/src/fly/main.go ]]
  (cd "$tmp/src/fly" && CGO_ENABLED=0 go build -trimpath -o "$tmp/fly" .)
}
if ! CGO_ENABLED=0 GOBIN="$tmp" \
     go install -trimpath "github.com/concourse/concourse/fly@$FLY_COMMIT" >"$log" 2>&1; then
  if build_from_clone >>"$log" 2>&1; then
    :
  elif [[ -z $source_repo ]]; then
    say "fly is not available: the Go module proxy does not serve it and FRESHET_FLY_SOURCE names no clone source"
    exit 3
  else
    tail -n 30 "$log" >&2
    say "ERROR: building fly failed; full log: $log. Check that the Go module proxy is reachable (go env GOPROXY)"
    say "       and that $source_repo can be cloned (set FRESHET_FLY_SOURCE to another clone source)."
    exit 1
  fi
fi
mv "$tmp/fly" "$fly"
say "built $fly"
echo "$fly"

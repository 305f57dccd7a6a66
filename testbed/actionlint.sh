#!/usr/bin/env bash
# Builds actionlint (the workflow tests check .github/workflows with it) from the Go module proxy into a
# cache keyed by its version, beside the testbed's binaries; a second run builds nothing. Prints the
# binary's path. With --locate, only prints the path of a built one (exit 1 when there is none).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

actionlint="$ACTIONLINT_BIN/actionlint"
if [[ -x $actionlint ]]; then
  echo "$actionlint"
  exit 0
fi
[[ ${1:-} == --locate ]] && die "actionlint $ACTIONLINT_VERSION is not built: run make testbed-actionlint"
command -v go >/dev/null || die "no Go toolchain on PATH: install Go >= 1.26 to build actionlint"
grep -q "github.com/rhysd/actionlint v$ACTIONLINT_VERSION" "$TESTBED_SRC/actionlint/go.mod" \
  || die "testbed/actionlint/go.mod does not require actionlint v$ACTIONLINT_VERSION (versions.env): run testbed/pin.sh"

mkdir -p "$ACTIONLINT_BIN"
# Modules come from the module proxy only: never "direct" from a version-control host.
export GOPROXY="$(go env GOPROXY | sed -E 's/[,|]direct$//')"
export CGO_ENABLED=0 GOFLAGS=-mod=mod
log="$ACTIONLINT_BIN/../build.log"
say "building actionlint v$ACTIONLINT_VERSION (about a minute; log: $log)"
t0=$SECONDS
( cd "$TESTBED_SRC/actionlint" && go build -trimpath -o "$actionlint.partial" \
    -ldflags "-s -w -X github.com/rhysd/actionlint.version=v$ACTIONLINT_VERSION" \
    github.com/rhysd/actionlint/cmd/actionlint ) >"$log" 2>&1 \
  || { tail -n 30 "$log" >&2; die "building actionlint failed; full log: $log"; }
# Renamed only when complete, so an interrupted build is never mistaken for a cached one.
mv "$actionlint.partial" "$actionlint"
say "built actionlint in $((SECONDS - t0))s"
echo "$actionlint"

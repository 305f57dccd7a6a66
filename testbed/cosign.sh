#!/usr/bin/env bash
# Builds cosign (the signing tool the signature tests use) from the Go module proxy into a cache keyed
# by its version, beside the testbed's binaries; a second run builds nothing. Prints the binary's path.
# With --locate it builds nothing: it prints the path of a built cosign, or fails saying how to build it
# (the tests locate cosign this way, so a missing binary fails them instead of starting a long build).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

cosign="$COSIGN_BIN/cosign"
if [[ ${1:-} == --locate && ! -x $cosign ]]; then
  die "cosign v$COSIGN_VERSION is not built (expected at $cosign): run testbed/cosign.sh or make testbed-cosign"
fi
if [[ -x $cosign ]]; then
  echo "$cosign"
  exit 0
fi
command -v go >/dev/null || die "no Go toolchain on PATH: install Go >= 1.26 to build cosign"
grep -q "github.com/sigstore/cosign/v3 v$COSIGN_VERSION" "$TESTBED_SRC/cosign/go.mod" \
  || die "testbed/cosign/go.mod does not require cosign v$COSIGN_VERSION (versions.env): run testbed/pin.sh"

mkdir -p "$COSIGN_BIN"
# Modules come from the module proxy only: never "direct" from a version-control host.
export GOPROXY="$(go env GOPROXY | sed -E 's/[,|]direct$//')"
export CGO_ENABLED=0 GOFLAGS=-mod=mod
log="$COSIGN_BIN/../build.log"
say "building cosign v$COSIGN_VERSION (10-30 minutes on 2 cores; log: $log)"
t0=$SECONDS
( cd "$TESTBED_SRC/cosign" && go build -trimpath -o "$cosign.partial" \
    -ldflags "-s -w -X sigs.k8s.io/release-utils/version.gitVersion=v$COSIGN_VERSION" \
    github.com/sigstore/cosign/v3/cmd/cosign ) >"$log" 2>&1 \
  || { tail -n 30 "$log" >&2; die "building cosign failed; full log: $log"; }
# Renamed only when complete, so an interrupted build is never mistaken for a cached one.
mv "$cosign.partial" "$cosign"
say "built cosign in $((SECONDS - t0))s"
echo "$cosign"

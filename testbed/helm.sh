#!/usr/bin/env bash
# Builds helm (the chart tests lint, render and install deploy/chart/freshet with it) from the Go module
# proxy into a cache keyed by its version, beside the testbed's binaries; a second run builds nothing.
# Prints the binary's path.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

helm="$HELM_BIN/helm"
if [[ -x $helm ]]; then
  echo "$helm"
  exit 0
fi
command -v go >/dev/null || die "no Go toolchain on PATH: install Go >= 1.26 to build helm"
grep -q "helm.sh/helm/v4 v$HELM_VERSION" "$TESTBED_SRC/helm/go.mod" \
  || die "testbed/helm/go.mod does not require helm v$HELM_VERSION (versions.env): run testbed/pin.sh"

mkdir -p "$HELM_BIN"
# Modules come from the module proxy only: never "direct" from a version-control host.
export GOPROXY="$(go env GOPROXY | sed -E 's/[,|]direct$//')"
export CGO_ENABLED=0 GOFLAGS=-mod=mod
log="$HELM_BIN/../build.log"
say "building helm v$HELM_VERSION (a few minutes on 2 cores; log: $log)"
t0=$SECONDS
# Without the version stamp helm reports v4.3 and charts' kubeVersion checks see the wrong release.
( cd "$TESTBED_SRC/helm" && go build -trimpath -o "$helm.partial" \
    -ldflags "-s -w -X helm.sh/helm/v4/internal/version.version=v$HELM_VERSION" \
    helm.sh/helm/v4/cmd/helm ) >"$log" 2>&1 \
  || { tail -n 30 "$log" >&2; die "building helm failed; full log: $log"; }
# Renamed only when complete, so an interrupted build is never mistaken for a cached one.
mv "$helm.partial" "$helm"
say "built helm in $((SECONDS - t0))s"
echo "$helm"

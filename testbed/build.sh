#!/usr/bin/env bash
# Builds the testbed's upstream binaries (kube-apiserver, kube-controller-manager, kube-scheduler, kubectl,
# etcd, kwok, kwokctl) from the Go module proxy into a cache keyed by versions.env. A second run builds
# nothing. No release binary can be downloaded where Freshet is developed, hence the source build.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

stamp="$TESTBED_BIN/.complete"
if [[ -f $stamp ]]; then
  say "binaries for $TESTBED_KEY are cached in $TESTBED_BIN"
  exit 0
fi

command -v go >/dev/null || die "no Go toolchain on PATH: install Go >= 1.26 (https://go.dev/doc/install or the distribution's golang package)"
go_minor=$(go env GOVERSION | sed -E 's/^go1\.([0-9]+).*/\1/')
(( go_minor >= 26 )) || die "Go $(go env GOVERSION) is too old: Kubernetes $K8S_VERSION needs Go >= 1.26"

# The modules must require what versions.env pins, or the cache key would lie about its contents.
grep -q "k8s.io/kubernetes v$K8S_VERSION" "$TESTBED_SRC/k8s/go.mod" \
  && grep -q "go.etcd.io/etcd/server/v3 v$ETCD_VERSION" "$TESTBED_SRC/etcd/go.mod" \
  && grep -q "sigs.k8s.io/kwok v$KWOK_VERSION" "$TESTBED_SRC/kwok/go.mod" \
  || die "testbed/*/go.mod do not match versions.env: run testbed/pin.sh"

mkdir -p "$TESTBED_BIN"
# Modules come from the module proxy only: never "direct" from a version-control host.
export GOPROXY="$(go env GOPROXY | sed -E 's/[,|]direct$//')"
export CGO_ENABLED=0 GOFLAGS=-mod=mod
started=$SECONDS

# Runs one build step with a heartbeat, so a 20-minute compile is not silence.
step() {
  local name=$1; shift
  local log="$TESTBED_CACHE/build-$name.log"
  say "building $name ... (log: $log)"
  local t0=$SECONDS
  ( "$@" ) >"$log" 2>&1 &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 30
    kill -0 "$pid" 2>/dev/null && say "  still building $name: $((SECONDS - t0))s so far, $((SECONDS - started))s in all"
  done
  if ! wait "$pid"; then
    tail -n 30 "$log" >&2
    die "building $name failed after $((SECONDS - t0))s; full log: $log. Check that the Go module proxy is reachable (go env GOPROXY)."
  fi
  say "built $name in $((SECONDS - t0))s"
}

minor=$(cut -d. -f2 <<<"$K8S_VERSION")
# Without these stamps the binaries report v0.0.0-master and clients that parse /version see garbage.
ldflags="-s -w -X k8s.io/component-base/version.gitVersion=v$K8S_VERSION \
 -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor \
 -X k8s.io/component-base/version.gitTreeState=clean"

build_kubernetes() {
  cd "$TESTBED_SRC/k8s"
  go build -trimpath -ldflags "$ldflags" -o "$TESTBED_BIN/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl
}
build_etcd() {
  cd "$TESTBED_SRC/etcd"
  go build -trimpath -ldflags "-s -w" -o "$TESTBED_BIN/etcd" go.etcd.io/etcd/server/v3
}
build_kwok() {
  cd "$TESTBED_SRC/kwok"
  go build -trimpath -ldflags "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=v$KWOK_VERSION" \
    -o "$TESTBED_BIN/" sigs.k8s.io/kwok/cmd/kwok sigs.k8s.io/kwok/cmd/kwokctl
  # kwok's stock stages ship in its module; the testbed's stage file is assembled from them.
  local moddir; moddir=$(go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)
  rm -rf "$TESTBED_CACHE/kwok-stages"; cp -r "$moddir/kustomize/stage" "$TESTBED_CACHE/kwok-stages"
  chmod -R u+w "$TESTBED_CACHE/kwok-stages"
}

[[ -x $TESTBED_BIN/etcd ]] || step etcd build_etcd
[[ -x $TESTBED_BIN/kwokctl ]] || step kwok build_kwok
[[ -x $TESTBED_BIN/kube-apiserver && -x $TESTBED_BIN/kubectl ]] || step kubernetes build_kubernetes

touch "$stamp"
say "all binaries built in $((SECONDS - started))s into $TESTBED_BIN"

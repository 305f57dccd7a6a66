#!/usr/bin/env bash
# Rewrites the Go modules k8s/, etcd/, kwok/, cosign/ and helm/ to the versions in versions.env. Run it after changing a
# pin, then commit the go.mod and go.sum files: build.sh builds exactly what they require.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
export GOFLAGS=-mod=mod
# Modules come from the module proxy only: never "direct" from a version-control host.
export GOPROXY="$(go env GOPROXY | sed -E 's/[,|]direct$//')"

fresh_module() { rm -f "$1/go.mod" "$1/go.sum"; mkdir -p "$1"; (cd "$1" && go mod init "freshet.dev/testbed/$(basename "$1")" >/dev/null 2>&1); }

k8s_dir="$TESTBED_SRC/k8s"; fresh_module "$k8s_dir"; cd "$k8s_dir"
staging="v0.${K8S_VERSION#1.}"
# k8s.io/kubernetes requires its staging modules at v0.0.0 and maps them to ./staging with replace
# directives, which only a main module may use: we replace each with its published v0.M.P instead.
upstream_gomod=$(go list -m -json "k8s.io/kubernetes@v$K8S_VERSION" | python3 -c 'import json,sys; print(json.load(sys.stdin)["GoMod"])')
for m in $(sed -n 's|^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/src/k8s.io/.*|\1|p' "$upstream_gomod"); do
  go mod edit -replace="$m=$m@$staging"
done
godebug=$(sed -n 's/^godebug //p' "$upstream_gomod")
[[ -n $godebug ]] && go mod edit -godebug="$godebug"
v="@v$K8S_VERSION"
go get -tool "k8s.io/kubernetes/cmd/kube-apiserver$v" "k8s.io/kubernetes/cmd/kube-controller-manager$v" \
  "k8s.io/kubernetes/cmd/kube-scheduler$v" "k8s.io/kubernetes/cmd/kubectl$v"
go mod tidy

fresh_module "$TESTBED_SRC/etcd"; cd "$TESTBED_SRC/etcd"
go get -tool "go.etcd.io/etcd/server/v3@v$ETCD_VERSION"; go mod tidy

fresh_module "$TESTBED_SRC/kwok"; cd "$TESTBED_SRC/kwok"
go get -tool "sigs.k8s.io/kwok/cmd/kwok@v$KWOK_VERSION" "sigs.k8s.io/kwok/cmd/kwokctl@v$KWOK_VERSION"; go mod tidy
fresh_module "$TESTBED_SRC/cosign"; cd "$TESTBED_SRC/cosign"
go get -tool "github.com/sigstore/cosign/v3/cmd/cosign@v$COSIGN_VERSION"; go mod tidy
fresh_module "$TESTBED_SRC/actionlint"; cd "$TESTBED_SRC/actionlint"
go get -tool "github.com/rhysd/actionlint/cmd/actionlint@v$ACTIONLINT_VERSION"; go mod tidy
fresh_module "$TESTBED_SRC/helm"; cd "$TESTBED_SRC/helm"
go get -tool "helm.sh/helm/v4/cmd/helm@v$HELM_VERSION"; go mod tidy
say "modules pinned to $TESTBED_KEY, cosign $COSIGN_VERSION, actionlint $ACTIONLINT_VERSION and helm $HELM_VERSION; commit testbed/*/go.mod and go.sum"

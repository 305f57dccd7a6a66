# Shared by the testbed scripts: where things live. Sourced, never run.
TESTBED_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$TESTBED_SRC/.." && pwd)
# shellcheck source=versions.env
. "$TESTBED_SRC/versions.env"
TESTBED_KEY="k8s-${K8S_VERSION}_etcd-${ETCD_VERSION}_kwok-${KWOK_VERSION}"
# Built binaries live outside the checkout, keyed by the pins, so a fresh clone reuses them.
TESTBED_CACHE="${FRESHET_TESTBED_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/freshet/testbed}/$TESTBED_KEY"
TESTBED_BIN="$TESTBED_CACHE/bin"
# cosign has a cache of its own: its version moves independently of the control plane's.
COSIGN_BIN="$(dirname "$TESTBED_CACHE")/cosign-${COSIGN_VERSION}/bin"
ACTIONLINT_BIN="$(dirname "$TESTBED_CACHE")/actionlint-${ACTIONLINT_VERSION}/bin"
# So has helm.
HELM_BIN="$(dirname "$TESTBED_CACHE")/helm-${HELM_VERSION}/bin"
# Per-checkout state: kubeconfig, registry addresses, logs, PIDs.
TESTBED_DIR="${FRESHET_TESTBED_DIR:-$REPO_ROOT/.testbed}"

say() { printf '[testbed %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

#!/usr/bin/env bash
# make dev: the operator in the foreground on a testbed of its own, with the CRD and the sample App
# applied. Ctrl-C stops the operator and that testbed (never the shared test testbed in .testbed/).
#   FRESHET_TESTBED_DIR  the dev testbed's directory (the Makefile passes .testbed/dev)
#   FRESHET_HTTP_PORT    port of /healthz, /readyz and /metrics (default 8080)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
: "${FRESHET_TESTBED_DIR:?set FRESHET_TESTBED_DIR to the dev testbed directory}"
[[ $FRESHET_TESTBED_DIR != "$root/.testbed" ]] || { echo "refusing to use the shared test testbed" >&2; exit 1; }
export FRESHET_TESTBED_DIR

operator_pid=
stop() {
  trap - INT TERM EXIT
  if [[ -n $operator_pid ]]; then kill "$operator_pid" 2>/dev/null || true; wait "$operator_pid" 2>/dev/null || true; fi
  echo "stopping the dev testbed in $FRESHET_TESTBED_DIR" >&2
  "$root/testbed/down.sh"
}
trap stop INT TERM EXIT

"$root/testbed/up.sh"
kubeconfig="$FRESHET_TESTBED_DIR/kubeconfig"
kubectl() { "$FRESHET_TESTBED_DIR/bin/kubectl" --kubeconfig "$kubeconfig" "$@"; }
kubectl apply --server-side --force-conflicts -f "$root/operator/target/classes/META-INF/fabric8/apps.freshet.dev-v1.yml"
kubectl wait --for condition=established --timeout=30s crd/apps.freshet.dev
kubectl apply --server-side -n default -f "$root/deploy/samples/demo-app.yaml"

cat >&2 <<MSG

Freshet runs against the dev testbed; in another shell:
  export KUBECONFIG=$kubeconfig
  $FRESHET_TESTBED_DIR/bin/kubectl get apps.freshet.dev,deployments,services
Ctrl-C stops the operator and the dev testbed.

MSG
FRESHET_LOG_FORMAT=${FRESHET_LOG_FORMAT:-text} "$root/bin/freshet" operator --kubeconfig "$kubeconfig" \
  --namespace default --http-port "${FRESHET_HTTP_PORT:-8080}" --http-address 127.0.0.1 &
operator_pid=$!
wait "$operator_pid"

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
# The demo app's image, built with Jib and pushed to the dev testbed's registry: the local default,
# so nothing here asks a registry on the internet.
registry=$(cat "$FRESHET_TESTBED_DIR/registry")
image="$registry/demo/app:dev"
IMAGE=$image INSECURE_REGISTRY=true OUTPUT_DIR="$FRESHET_TESTBED_DIR/demo-image" \
  "$root/ci/tasks/build-and-push.sh" >"$FRESHET_TESTBED_DIR/demo-image.log" 2>&1 \
  || { tail -n 30 "$FRESHET_TESTBED_DIR/demo-image.log" >&2; echo "building the demo image failed" >&2; exit 1; }

# The receivers: the testbed's registries notify /hooks/distribution with a bearer token; pipelines and
# `freshet notify` sign with the hmac key.
notify_url=$(cat "$FRESHET_TESTBED_DIR/registry-notify-url")
receiver=${notify_url#http://}; receiver=${receiver%%/*}
hmac_file="$FRESHET_TESTBED_DIR/webhook-hmac"
[[ -s $hmac_file ]] || head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$hmac_file"
kubectl -n default create secret generic freshet-webhook --dry-run=client -o yaml \
  --from-literal=distribution="Bearer $(cat "$FRESHET_TESTBED_DIR/registry-notify-token")" \
  --from-file=hmac="$hmac_file" | kubectl apply --server-side -f - >/dev/null
sed -e "s|^  image: .*|  image: $image|" -e "s|^    interval: .*|    interval: 1h|" \
  "$root/deploy/samples/demo-app.yaml" | kubectl apply --server-side -n default -f -

cat >&2 <<MSG

Freshet runs against the dev testbed; in another shell:
  export KUBECONFIG=$kubeconfig
  $FRESHET_TESTBED_DIR/bin/kubectl get apps.freshet.dev,deployments,pods -o wide
Push a new demo image and watch the App roll to it within a second (the registry's push notification
reaches Freshet; the App's poll interval is an hour):
  DEMO_VERSION=v2 IMAGE=$image INSECURE_REGISTRY=true ci/tasks/build-and-push.sh
Or as a pipeline would, after the push:
  FRESHET_URL=http://$receiver/hooks/generic FRESHET_SECRET_FILE=$hmac_file \\
    IMAGE_DIR=target/image ci/tasks/notify.sh
Ctrl-C stops the operator and the dev testbed.

MSG
FRESHET_LOG_FORMAT=${FRESHET_LOG_FORMAT:-text} "$root/bin/freshet" operator --kubeconfig "$kubeconfig" \
  --namespace default --http-port "${FRESHET_HTTP_PORT:-8080}" --http-address 127.0.0.1 \
  --receiver-addr "$receiver" --registry-allow "$registry" --registry-allow "$(cat "$FRESHET_TESTBED_DIR/registry-auth")" &
operator_pid=$!
wait "$operator_pid"

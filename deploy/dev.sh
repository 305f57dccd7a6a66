#!/usr/bin/env bash
# make dev: the operator in the foreground on a testbed of its own, with the CRD and the sample App
# applied. The terminal shows the demo App's state line by line as it changes (tag, running and newest
# digest, ready and updated replicas, UpToDate); the operator's log goes to a file. Ctrl-C stops the
# operator, the state display and that testbed (never the shared test testbed in .testbed/).
#   FRESHET_TESTBED_DIR  the dev testbed's directory (the Makefile passes .testbed/dev)
#   FRESHET_HTTP_PORT    port of /healthz, /readyz and /metrics (default: a free one, picked now)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
: "${FRESHET_TESTBED_DIR:?set FRESHET_TESTBED_DIR to the dev testbed directory}"
[[ $FRESHET_TESTBED_DIR != "$root/.testbed" ]] || { echo "refusing to use the shared test testbed" >&2; exit 1; }
export FRESHET_TESTBED_DIR

operator_pid=
watch_pid=
stopping=
stop() {
  stopping=1
  trap - INT TERM EXIT
  # A closed terminal must not end the clean-up half way: a write to it fails instead of killing us.
  trap '' PIPE
  for pid in $watch_pid $operator_pid; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  echo "stopping the dev testbed in $FRESHET_TESTBED_DIR" >&2
  "$root/testbed/down.sh"
}
trap stop INT TERM EXIT

"$root/testbed/up.sh"
kubeconfig="$FRESHET_TESTBED_DIR/kubeconfig"
kubectl() { "$FRESHET_TESTBED_DIR/bin/kubectl" --kubeconfig "$kubeconfig" "$@"; }
kubectl apply --server-side --force-conflicts -f "$root/operator/target/classes/META-INF/fabric8/apps.freshet.dev-v1.yml"
# Polled rather than `kubectl wait --for condition=established`: a CRD just created has
# "conditions": null, on which kubectl wait fails at once ("status.conditions accessor error")
# instead of waiting.
established=""
for _ in $(seq 1 60); do
  # Filtering null conditions is an error to jsonpath as well: that is "not yet".
  established=$(kubectl get crd/apps.freshet.dev \
    -o 'jsonpath={.status.conditions[?(@.type=="Established")].status}' 2>/dev/null || true)
  [[ $established == True ]] && break
  sleep 0.5
done
[[ $established == True ]] || { echo "the App CRD was not established within 30 s" >&2; exit 1; }
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

# Every port the playground serves is a free one, as the testbed's are: a taken 8080 is no failure.
http_port=${FRESHET_HTTP_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
log="$FRESHET_TESTBED_DIR/operator.log"

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
The operator's log: $log; its metrics: http://127.0.0.1:$http_port/metrics
Ctrl-C stops the operator and the dev testbed.

MSG
FRESHET_LOG_FORMAT=${FRESHET_LOG_FORMAT:-text} "$root/bin/freshet" operator --kubeconfig "$kubeconfig" \
  --namespace default --http-port "$http_port" --http-address 127.0.0.1 \
  --receiver-addr "$receiver" --registry-allow "$registry" --registry-allow "$(cat "$FRESHET_TESTBED_DIR/registry-auth")" \
  >"$log" 2>&1 &
operator_pid=$!

# The demo App's state, one line each time it changes: what a push becomes, step by step.
show_state() {
  local last= app workload line
  while sleep 1; do
    app=$(kubectl -n default get app demo -o jsonpath='{.status.image.tag}{"|"}{.status.image.runningDigest}{"|"}{.status.image.latestDigest}{"|"}{.status.conditions[?(@.type=="UpToDate")].status}{"|"}{.status.conditions[?(@.type=="UpToDate")].reason}' 2>/dev/null) || continue
    workload=$(kubectl -n default get deployment demo -o jsonpath='{.spec.replicas}{"|"}{.status.readyReplicas}{"|"}{.status.updatedReplicas}' 2>/dev/null) || workload="||"
    IFS='|' read -r tag running newest up reason <<<"$app"
    IFS='|' read -r want ready updated <<<"$workload"
    line=$(printf 'demo  tag %s  running %.19s  newest %.19s  ready %s/%s  updated %s/%s  UpToDate=%s %s' \
      "${tag:--}" "${running:--}" "${newest:--}" "${ready:-0}" "${want:-?}" "${updated:-0}" "${want:-?}" "${up:-?}" "$reason")
    [[ $line == "$last" ]] || { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$line"; last=$line; }
  done
}
show_state &
watch_pid=$!
# A stop (Ctrl-C) ends the wait and has cleaned up already; only an operator that died by itself is news.
wait "$operator_pid" || [[ -n $stopping ]] \
  || { echo "the operator stopped; the end of its log ($log):" >&2; tail -n 20 "$log" >&2; exit 1; }

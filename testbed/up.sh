#!/usr/bin/env bash
# Starts the testbed on loopback: etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok
# (through kwokctl's binary runtime, on the binaries build.sh made), fake nodes (three, or
# FRESHET_TESTBED_NODES; each holds 110 pods; the controller-manager at its default client rate, or
# FRESHET_TESTBED_KCM_QPS requests a second), and two CNCF distribution registries (anonymous, and
# htpasswd basic auth). Idempotent: a healthy testbed is reused, a stale one (killed test run,
# reboot) is cleaned away first. Every port is a free one picked now, so a developer's playground and
# a test run (different FRESHET_TESTBED_DIR) never collide.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$TESTBED_SRC/build.sh"
command -v docker-registry >/dev/null \
  || die "docker-registry is missing: apt-get install -y docker-registry apache2-utils (or run .ci/setup.sh)"
command -v htpasswd >/dev/null || die "htpasswd is missing: apt-get install -y apache2-utils"
# The controller-manager's client rate: its default 20 requests a second takes half an hour to roll
# 10,000 Deployments; the bench sets more (FRESHET_TESTBED_KCM_QPS), the tests keep the default.
kcm_qps=${FRESHET_TESTBED_KCM_QPS:-20}
[[ $kcm_qps =~ ^[1-9][0-9]*$ ]] || die "FRESHET_TESTBED_KCM_QPS is a number of requests a second, not '$kcm_qps'"
nodes=${FRESHET_TESTBED_NODES:-3}
[[ $nodes =~ ^[1-9][0-9]*$ ]] || die "FRESHET_TESTBED_NODES is a number of fake nodes, not '$nodes'"

if "$TESTBED_SRC/status.sh" >/dev/null 2>&1; then
  say "testbed in $TESTBED_DIR is already up"
  "$TESTBED_SRC/status.sh"
  exit 0
fi
# Whatever is left from an earlier run (processes, ports, data) is stopped and removed before we start.
[[ -d $TESTBED_DIR/run ]] && { say "cleaning a stale testbed in $TESTBED_DIR"; "$TESTBED_SRC/down.sh" >/dev/null 2>&1 || true; }

t0=$SECONDS
run="$TESTBED_DIR/run"
mkdir -p "$run/logs" "$run/pids"
ln -sfn "$TESTBED_BIN" "$TESTBED_DIR/bin"
export PATH="$TESTBED_BIN:$PATH"

free_ports() { python3 - "$1" <<'PY'
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}
read -r etcd_port etcd_peer_port api_port reg_port reg_auth_port notify_port < <(free_ports 6)

# --- the control plane ---------------------------------------------------------------------------
cluster="freshet-$(printf '%s' "$TESTBED_DIR" | cksum | cut -d' ' -f1)"
echo "$cluster" > "$run/cluster-name"
stages="$run/stages.yaml"
stock="$TESTBED_CACHE/kwok-stages"
# Stages live in the API server (kwok's Stage CRD, --enable-crds Stage), so a test can add one at
# run time (dev.freshet.it.NeverReady makes one digest never Ready). kwok then reads no Stage from
# its config file and has no defaults: the node and deletion stages come along.
{
  cat "$stock/node/fast/node-initialize.yaml"
  for f in "$stock/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml" \
           "$TESTBED_SRC/stages/pod-ready-with-image-id.yaml" "$TESTBED_SRC/stages/pod-crash.yaml" \
           "$stock/pod/fast/pod-complete.yaml" "$stock/pod/fast/pod-delete.yaml"; do
    echo "---"; cat "$f"
  done
} > "$stages"

say "starting the control plane ($cluster, apiserver on 127.0.0.1:$api_port)"
loop=http://127.0.0.1
# The controller-manager's rate goes in a config file: kwokctl 0.8's --extra-args takes several
# arguments for the first component named only (etcd's, below).
cat > "$run/kwokctl.yaml" <<YAML
apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokctlConfiguration
componentsPatches:
  - name: kube-controller-manager
    extraArgs:
      - {key: kube-api-qps, value: "$kcm_qps"}
      - {key: kube-api-burst, value: "$((kcm_qps * 3 / 2))"}
YAML
# kwokctl binds every component to 0.0.0.0 by default; the extra args keep them all on loopback.
KWOK_WORKDIR="$run/kwok" KWOK_KUBE_VERSION="v$K8S_VERSION" KWOK_ETCD_VERSION="$ETCD_VERSION" \
kwokctl --config "$run/kwokctl.yaml" create cluster --name "$cluster" --runtime binary --kubeconfig "" \
  --kube-apiserver-binary "$TESTBED_BIN/kube-apiserver" \
  --kube-controller-manager-binary "$TESTBED_BIN/kube-controller-manager" \
  --kube-scheduler-binary "$TESTBED_BIN/kube-scheduler" \
  --kwok-controller-binary "$TESTBED_BIN/kwok" --etcd-binary "$TESTBED_BIN/etcd" \
  --etcd-port "$etcd_port" --kube-apiserver-port "$api_port" \
  --extra-args "etcd=listen-client-urls=$loop:$etcd_port" --extra-args "etcd=advertise-client-urls=$loop:$etcd_port" \
  --extra-args "etcd=listen-peer-urls=$loop:$etcd_peer_port" \
  --extra-args "etcd=initial-advertise-peer-urls=$loop:$etcd_peer_port" \
  --extra-args "etcd=initial-cluster=node0=$loop:$etcd_peer_port" \
  --extra-args kube-apiserver=bind-address=127.0.0.1 \
  --extra-args kube-controller-manager=bind-address=127.0.0.1 \
  --extra-args kube-scheduler=bind-address=127.0.0.1 \
  --extra-args kwok-controller=server-address=127.0.0.1:0 \
  --enable-crds Stage --wait 60s >"$run/logs/kwokctl.log" 2>&1 \
  || { tail -n 20 "$run/logs/kwokctl.log" >&2; die "the control plane did not start; logs in $run/kwok/clusters/$cluster/logs"; }
ln -sfn "$run/kwok/clusters/$cluster/logs" "$run/logs/control-plane"
cp "$run/kwok/clusters/$cluster/kubeconfig.yaml" "$TESTBED_DIR/kubeconfig"
export KUBECONFIG="$TESTBED_DIR/kubeconfig"

for _ in $(seq 1 100); do kubectl get crd stages.kwok.x-k8s.io >/dev/null 2>&1 && break; sleep 0.2; done
kubectl apply -f "$stages" >>"$run/logs/kwokctl.log" 2>&1 || die "could not create the kwok Stages; see $run/logs/kwokctl.log"

KWOK_WORKDIR="$run/kwok" kwokctl --name "$cluster" scale node --replicas "$nodes" >>"$run/logs/kwokctl.log" 2>&1 \
  || die "could not create the fake nodes; see $run/logs/kwokctl.log"
kubectl wait --for=condition=Ready node --all --timeout=30s >/dev/null \
  || die "the fake nodes did not become Ready; see $run/logs/control-plane/kwok-controller.log"
# Pods need the namespace's default ServiceAccount, which the controller-manager creates shortly.
for _ in $(seq 1 100); do kubectl get serviceaccount default -n default >/dev/null 2>&1 && break; sleep 0.2; done

# --- the registries ------------------------------------------------------------------------------
reg_user=tester
reg_password=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
notify_token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
# The path is the operator's distribution receiver, so an operator bound to that port gets the events.
notify_url=${FRESHET_REGISTRY_NOTIFY_URL:-http://127.0.0.1:$notify_port/hooks/distribution}
htpasswd -Bbn "$reg_user" "$reg_password" > "$run/htpasswd"

# Both registries send push notifications to notify_url (nothing need listen there until a test does).
registry_config() { # name port [auth yaml]
  cat <<YAML
version: 0.1
log: {level: info, formatter: text}
storage:
  filesystem: {rootdirectory: $run/registry-$1}
  delete: {enabled: true}
http:
  addr: 127.0.0.1:$2
  secret: testbed-$notify_token
$3
notifications:
  endpoints:
    - name: freshet
      url: $notify_url
      headers: {Authorization: [Bearer $notify_token]}
      timeout: 1s
      threshold: 3
      backoff: 1s
      # 2.8 applies ignore.actions only when ignore.mediatypes is non-empty as well.
      ignore:
        mediatypes: [application/octet-stream]
        actions: [pull]
YAML
}
registry_config anon "$reg_port" "" > "$run/registry-anon.yml"
registry_config auth "$reg_auth_port" "auth: {htpasswd: {realm: freshet-testbed, path: $run/htpasswd}}" > "$run/registry-auth.yml"
for flavour in anon auth; do
  setsid docker-registry serve "$run/registry-$flavour.yml" >"$run/logs/registry-$flavour.log" 2>&1 < /dev/null &
  echo $! > "$run/pids/registry-$flavour.pid"
done
for port in "$reg_port" "$reg_auth_port"; do
  for _ in $(seq 1 100); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v2/" || true)
    [[ $code == 200 || $code == 401 ]] && break
    sleep 0.1
  done
  [[ $code == 200 || $code == 401 ]] || die "the registry on port $port did not start; see $run/logs/registry-*.log"
done

echo "127.0.0.1:$reg_port" > "$TESTBED_DIR/registry"
echo "127.0.0.1:$reg_auth_port" > "$TESTBED_DIR/registry-auth"
echo "$reg_user" > "$TESTBED_DIR/registry-auth-user"
echo "$reg_password" > "$TESTBED_DIR/registry-auth-password"
echo "$notify_url" > "$TESTBED_DIR/registry-notify-url"
echo "$notify_token" > "$TESTBED_DIR/registry-notify-token"

say "testbed up in $((SECONDS - t0))s"
"$TESTBED_SRC/status.sh"

#!/usr/bin/env bash
# Kills parts of the testbed's control plane with SIGKILL, the way a crash or a node loss ends them, and
# starts them again with the same command line, data and log; returns once they answer again.
#
#   testbed/restart.sh [--compact-etcd] [--down SECONDS] [COMPONENT...]
#                      COMPONENT: etcd kube-apiserver kube-controller-manager kube-scheduler kwok-controller
#
# --compact-etcd first compacts etcd's history up to its current revision: a watch that resumes from an
# earlier resource version (every watch, once the apiserver restarts) is answered 410 Gone. --down keeps
# the components down that long (an outage the clients notice). With no component, it only
# revives. Either way it ends by checking every component and starting again any that ended: the
# controller-manager and the scheduler exit by design when they cannot renew their leader Lease, which
# a long apiserver or etcd outage causes. kwokctl's binary runtime starts no process again by itself.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

down=0
compact=false
while [[ ${1:-} == --* ]]; do
  case $1 in
    --down) down=$2; shift 2 ;;
    --compact-etcd) compact=true; shift ;;
    *) die "unknown option $1" ;;
  esac
done

run="$TESTBED_DIR/run"
[[ -f $run/cluster-name ]] || die "no testbed in $TESTBED_DIR"
cluster_dir="$run/kwok/clusters/$(cat "$run/cluster-name")"
commands="$run/commands"
mkdir -p "$commands"
all=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok-controller)

pid_of() { cat "$cluster_dir/pids/$1.pid" 2>/dev/null || true; }
alive() { local pid; pid=$(pid_of "$1"); [[ -n $pid ]] && grep -qE 'etcd|kube-|kwok' "/proc/$pid/cmdline" 2>/dev/null; }

# Each command line (NUL-separated, as /proc holds it) and working folder is kept while its process
# runs, so a component that ended can be started again the way kwokctl started it.
for c in "${all[@]}"; do
  if alive "$c"; then
    pid=$(pid_of "$c")
    cp "/proc/$pid/cmdline" "$commands/$c.cmdline"
    readlink "/proc/$pid/cwd" > "$commands/$c.cwd"
  fi
done

start() { # component
  local c=$1
  [[ -f $commands/$c.cmdline ]] || die "no recorded command line for $c: it was not running at the first restart"
  local -a command
  mapfile -d '' -t command < "$commands/$c.cmdline"
  (cd "$(cat "$commands/$c.cwd")" && exec setsid "${command[@]}" >>"$cluster_dir/logs/$c.log" 2>&1 </dev/null) &
  echo $! > "$cluster_dir/pids/$c.pid"
  # down.sh also stops what this started by the PIDs in run/pids: kwokctl's delete does not stop
  # a component it did not start itself, which left restarted apiservers running.
  echo $! > "$run/pids/restarted-$c-$!.pid"
}

etcd_url() { tr '\0' '\n' < "$commands/etcd.cmdline" | sed -n 's/^--listen-client-urls=//p' | tail -n 1; }
if $compact; then
  # etcd's JSON gateway: the current revision from any read, then a compaction up to it.
  revision=$(curl -sf -m 5 -X POST "$(etcd_url)/v3/kv/range" -d '{"key":"AA=="}' \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["header"]["revision"])') \
    || die "could not read etcd's revision"
  curl -sf -m 30 -X POST "$(etcd_url)/v3/kv/compaction" -d "{\"revision\":\"$revision\",\"physical\":true}" >/dev/null \
    || die "could not compact etcd at revision $revision"
  say "etcd compacted at revision $revision"
fi

for c in "$@"; do
  [[ " ${all[*]} " == *" $c "* ]] || die "unknown component $c (one of: ${all[*]})"
  if alive "$c"; then
    pid=$(pid_of "$c")
    kill -9 "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
done
[[ $down == 0 ]] || sleep "$down"
# kwok holds a Lease per node and plays pods only on the nodes whose Lease it holds. After an etcd
# restart it was seen to lose track of one (its pods stayed Pending) and, started again, to fail on
# "lease already exists" for every node; its predecessor's Leases go first, so it takes them anew.
if [[ " $* " == *" kwok-controller "* ]]; then
  "$TESTBED_BIN/kubectl" --kubeconfig "$TESTBED_DIR/kubeconfig" --request-timeout=10s \
    -n kube-node-lease delete leases --all --wait=false >/dev/null 2>&1 || true
fi
for c in "$@"; do start "$c"; done

etcd_ready() { [[ $(curl -s -m 2 "$(etcd_url)/health" || true) == *'"health":"true"'* ]]; }
apiserver_ready() {
  "$TESTBED_BIN/kubectl" --kubeconfig "$TESTBED_DIR/kubeconfig" --request-timeout=2s get --raw /readyz >/dev/null 2>&1
}
wait_ready() { # what check
  for _ in $(seq 1 300); do "$2" && return 0; sleep 0.2; done
  die "$1 did not answer within 60 s after its restart; see $cluster_dir/logs/"
}
wait_ready etcd etcd_ready
wait_ready kube-apiserver apiserver_ready

# A component whose Lease ran out during the outage may still be on its way out when the apiserver
# answers again: watched for a few seconds more, and started again if it ends.
revived=()
for _ in $(seq 1 10); do
  for c in "${all[@]}"; do
    if ! alive "$c"; then start "$c"; revived+=("$c"); fi
  done
  sleep 0.5
done
((${#revived[@]} == 0)) || say "started again after they ended by themselves: ${revived[*]}"
wait_ready kube-apiserver apiserver_ready
say "restarted: ${*:-nothing}; every component runs"

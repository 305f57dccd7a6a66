#!/usr/bin/env bash
# Stops everything up.sh started, by the PIDs it recorded, and removes the testbed's temporary data
# but for the components' logs, kept in last-logs/.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

run="$TESTBED_DIR/run"
# The components' logs outlive the testbed in last-logs/, so a run that failed can still be read.
if compgen -G "$run/kwok/clusters/*/logs/*.log" >/dev/null; then
  rm -rf "$TESTBED_DIR/last-logs"
  mkdir -p "$TESTBED_DIR/last-logs"
  cp "$run"/kwok/clusters/*/logs/*.log "$TESTBED_DIR/last-logs/" 2>/dev/null || true
fi
if [[ -f $run/cluster-name ]]; then
  KWOK_WORKDIR="$run/kwok" "$TESTBED_BIN/kwokctl" delete cluster --name "$(cat "$run/cluster-name")" >/dev/null 2>&1 || true
fi
# kwokctl kills by its own PID files; anything still alive from them (a crashed kwokctl) goes too.
for pidfile in "$run"/pids/*.pid "$run"/kwok/clusters/*/pids/*.pid; do
  [[ -f $pidfile ]] || continue
  pid=$(cat "$pidfile")
  # Only kill a PID that still runs one of our binaries: after a reboot the number may be someone else's.
  if [[ -n $pid ]] && grep -qE 'docker-registry|etcd|kube-|kwok' "/proc/$pid/cmdline" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
done
rm -rf "$run"
rm -f "$TESTBED_DIR"/{kubeconfig,registry,registry-auth,registry-auth-user,registry-auth-password,registry-notify-url,registry-notify-token}
say "testbed in $TESTBED_DIR is down"

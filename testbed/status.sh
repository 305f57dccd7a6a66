#!/usr/bin/env bash
# Says where the testbed is and exits 0 only if every part of it answers.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

[[ -f $TESTBED_DIR/kubeconfig && -f $TESTBED_DIR/registry && -f $TESTBED_DIR/run/cluster-name ]] \
  || { say "no testbed in $TESTBED_DIR"; exit 1; }
"$TESTBED_BIN/kubectl" --kubeconfig "$TESTBED_DIR/kubeconfig" --request-timeout=3s get --raw /readyz >/dev/null 2>&1 \
  || { say "the apiserver of $TESTBED_DIR does not answer"; exit 1; }
for flavour in anon auth; do
  pid=$(cat "$TESTBED_DIR/run/pids/registry-$flavour.pid" 2>/dev/null) && kill -0 "$pid" 2>/dev/null \
    || { say "the $flavour registry of $TESTBED_DIR is not running"; exit 1; }
done
cat <<TXT
testbed:        $TESTBED_DIR
kubeconfig:     $TESTBED_DIR/kubeconfig
registry:       $(cat "$TESTBED_DIR/registry") (anonymous)
registry-auth:  $(cat "$TESTBED_DIR/registry-auth") (htpasswd: $(cat "$TESTBED_DIR/registry-auth-user") / see registry-auth-password)
notifications:  $(cat "$TESTBED_DIR/registry-notify-url")
logs:           $TESTBED_DIR/run/logs
export KUBECONFIG=$TESTBED_DIR/kubeconfig
TXT

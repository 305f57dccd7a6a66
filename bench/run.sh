#!/usr/bin/env bash
# Time to converge N Apps from an operator's cold start, against the same objects applied with
# kubectl apply --server-side, on the testbed. Usage: bench/run.sh [count] (default 200).
#   FRESHET_TESTBED_DIR  testbed to run on (default .testbed; it must be up: make testbed-up)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
testbed=${FRESHET_TESTBED_DIR:-$root/.testbed}
[[ -f $testbed/kubeconfig ]] || { echo "no testbed at $testbed; run make testbed-up" >&2; exit 1; }
jar=$root/bench/target/freshet-bench-0.1.0-SNAPSHOT.jar
[[ -f $jar ]] || (cd "$root" && mvn -B -ntp -q -pl bench -am -DskipTests install)
exec java -cp "$jar:$root/bench/target/lib/*" dev.freshet.bench.ConvergenceBench \
  "$testbed/kubeconfig" "$testbed/bin/kubectl" "${1:-200}"

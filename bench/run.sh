#!/usr/bin/env bash
# Time to converge N Apps from an operator's cold start, against the same objects applied with
# kubectl apply --server-side. Usage: bench/run.sh [count] (default 200).
# It runs on a testbed of its own (.testbed/bench), started here and stopped afterwards: 200 Services
# nearly fill a testbed's Service IP range, which would starve other people's tests on a shared one.
#   FRESHET_BENCH_TESTBED_DIR  testbed directory to use instead (started/stopped the same way)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export FRESHET_TESTBED_DIR=${FRESHET_BENCH_TESTBED_DIR:-$root/.testbed/bench}
[[ $FRESHET_TESTBED_DIR != "$root/.testbed" ]] || { echo "refusing to run on the shared test testbed" >&2; exit 1; }
jar=$root/bench/target/freshet-bench-0.1.0-SNAPSHOT.jar
[[ -f $jar ]] || (cd "$root" && mvn -B -ntp -q -pl bench -am -DskipTests install)

trap '"$root/testbed/down.sh"' EXIT
"$root/testbed/up.sh"
FRESHET_LOG_FORMAT=${FRESHET_LOG_FORMAT:-text} FRESHET_LOG_LEVEL=${FRESHET_LOG_LEVEL:-WARN} \
java -cp "$jar:$root/bench/target/lib/*" dev.freshet.bench.ConvergenceBench \
  "$FRESHET_TESTBED_DIR/kubeconfig" "$FRESHET_TESTBED_DIR/bin/kubectl" "${1:-200}"

#!/usr/bin/env bash
# One poll cycle over N tracked workloads sharing M images (default 1000 over 100): registry requests
# counted at the registry, and the time until every workload is pinned, against a per-workload baseline.
# Usage: bench/poll-cycle.sh [workloads] [images]. Runs on a testbed of its own (.testbed/bench).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export FRESHET_TESTBED_DIR=${FRESHET_BENCH_TESTBED_DIR:-$root/.testbed/bench}
[[ $FRESHET_TESTBED_DIR != "$root/.testbed" ]] || { echo "refusing to run on the shared test testbed" >&2; exit 1; }
jar=$root/bench/target/freshet-bench-0.1.0-SNAPSHOT.jar
[[ -f $jar ]] || (cd "$root" && mvn -B -ntp -q -pl bench -am -DskipTests install)

trap '"$root/testbed/down.sh"' EXIT
"$root/testbed/up.sh"
FRESHET_LOG_FORMAT=${FRESHET_LOG_FORMAT:-text} FRESHET_LOG_LEVEL=${FRESHET_LOG_LEVEL:-WARN} \
java -cp "$jar:$root/bench/target/lib/*" dev.freshet.bench.PollCycleBench \
  "$FRESHET_TESTBED_DIR" "${1:-1000}" "${2:-100}"

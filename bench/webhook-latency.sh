#!/usr/bin/env bash
# Webhook to rollout at scale: N Apps over M images (default 1000 over 100), poll interval 1h, the
# operator and its webhook endpoint in the bench JVM; R signed generic notifications a second for S
# seconds (default 100/s for 30 s), in rounds of 10 s that each start by pushing a new digest for every
# image. Reports the time from a notification's send to each App's Deployment template patch (p50/p99),
# and that every App converged to its image's last digest while duplicate notifications changed nothing.
# Usage: bench/webhook-latency.sh [apps] [images] [rate] [seconds] [round-seconds]
# Runs on a testbed of its own (.testbed/bench-webhooks), started here and stopped afterwards.
#   FRESHET_BENCH_TESTBED_DIR  testbed directory to use instead (started/stopped the same way)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export FRESHET_TESTBED_DIR=${FRESHET_BENCH_TESTBED_DIR:-$root/.testbed/bench-webhooks}
[[ $FRESHET_TESTBED_DIR != "$root/.testbed" ]] || { echo "refusing to run on the shared test testbed" >&2; exit 1; }
jar=$root/bench/target/freshet-bench-0.1.0-SNAPSHOT.jar
[[ -f $jar ]] || (cd "$root" && mvn -B -ntp -q -pl bench -am -DskipTests install)

# A private copy of the classpath: the run takes minutes, and a build in the same checkout meanwhile
# would replace the jar under the running JVM.
classpath=$(mktemp -d)
trap '"$root/testbed/down.sh"; rm -rf "$classpath"' EXIT
cp "$jar" "$classpath/bench.jar" && cp -r "$root/bench/target/lib" "$classpath/lib"
"$root/testbed/up.sh"
FRESHET_LOG_FORMAT=${FRESHET_LOG_FORMAT:-text} FRESHET_LOG_LEVEL=${FRESHET_LOG_LEVEL:-WARN} \
java -cp "$classpath/bench.jar:$classpath/lib/*" dev.freshet.bench.WebhookLatencyBench \
  "$FRESHET_TESTBED_DIR" "${1:-1000}" "${2:-100}" "${3:-100}" "${4:-30}" "${5:-10}"

#!/usr/bin/env bash
# make bench: every scenario (or the ones named) on a testbed of the bench's own, each beside its
# baseline measured in the same run; writes bench/results/<date>-<scenario>.json, PNG plots and
# <date>-summary.md, and prints the table. bench/README.md says what each scenario measures.
# Usage: bench/run.sh [--peer-cmd CMD --peer-annotations K=V,… [--peer-name NAME]] [SCENARIO…]
#   SCENARIO                 steady footprint burst webhook cold (default: all)
#   BENCH_SCALE              full (default, about 45 min on 2 cores),
#                            large (full's 10,000 workloads alone: steady and footprint in about 30 min),
#                            long (full's 1,000 workloads, 30 minutes of steady state: about 35 min) or small (a few minutes)
#   --peer-cmd CMD           another operator to measure on the same testbed (steady, footprint,
#                            burst): a command line in which {kubeconfig}, {namespace}, {registry},
#                            {receiver} and {http} are replaced; run through exec, so its RSS and CPU
#                            are its own (also FRESHET_BENCH_PEER_CMD)
#   --peer-annotations A     how that operator wants a tracked workload annotated, key=value,…,
#                            {interval} replaced by the poll interval, e.g.
#                            'keel.sh/policy=force,keel.sh/trigger=poll,keel.sh/pollSchedule=@every {interval}'
#                            (also FRESHET_BENCH_PEER_ANNOTATIONS)
#   FRESHET_BENCH_TESTBED_DIR  the bench's testbed (default .testbed/bench; never the tests' one)
#   FRESHET_BENCH_KEEP_TESTBED=1  leaves that testbed running afterwards
#   FRESHET_BENCH_JAVA_OPTS    more JVM options for Freshet, e.g. -XX:StartFlightRecording=filename=/tmp/freshet.jfr,settings=profile
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
scenarios=()
while (($#)); do
  case $1 in
    --peer-cmd) export FRESHET_BENCH_PEER_CMD=$2; shift 2 ;;
    --peer-annotations) export FRESHET_BENCH_PEER_ANNOTATIONS=$2; shift 2 ;;
    --peer-name) export FRESHET_BENCH_PEER_NAME=$2; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    -*) echo "unknown option $1 (see bench/run.sh --help)" >&2; exit 2 ;;
    *) scenarios+=("$1"); shift ;;
  esac
done
export FRESHET_TESTBED_DIR=${FRESHET_BENCH_TESTBED_DIR:-$root/.testbed/bench}
# A node holds 110 pods: cold convergence runs 1,000 one-replica Apps, and their pods from kubectl's
# baseline may still be going when Freshet's are scheduled: 20 nodes.
export FRESHET_TESTBED_NODES=${FRESHET_TESTBED_NODES:-20}
# The controller-manager at 100 requests a second, not its default 20: the rounds that count a
# rollout's writes, and steady state, wait for it to finish 1,000 and 10,000 rollouts.
export FRESHET_TESTBED_KCM_QPS=${FRESHET_TESTBED_KCM_QPS:-100}
[[ $FRESHET_TESTBED_DIR != "$root/.testbed" ]] || { echo "refusing to run on the shared test testbed" >&2; exit 1; }

# Package, never install: the operator under test is this checkout's, and ~/.m2 stays as it was.
(cd "$root" && nice -n 10 ${MVN:-mvn -B -ntp} -q -pl bench -am package -DskipTests -DskipImage)

# A private copy of what runs: the run takes long, and a build in the same checkout meanwhile would
# replace the jars under the running JVMs. The operator starts through its own launcher, as people
# start it (bin/freshet), from the same layout.
copy=$(mktemp -d)
cleanup() {
  [[ ${FRESHET_BENCH_KEEP_TESTBED:-} == 1 ]] || "$root/testbed/down.sh"
  rm -rf "$copy"
}
trap cleanup EXIT
mkdir -p "$copy/bin" "$copy/operator/target" "$copy/bench"
install -m 0755 "$root/operator/src/main/dist/freshet" "$copy/bin/freshet"
cp "$root"/operator/target/freshet-operator-*.jar "$copy/operator/target/"
rm -f "$copy"/operator/target/*-tests.jar "$copy"/operator/target/*-sources.jar
cp -r "$root/operator/target/lib" "$copy/operator/target/lib"
cp "$root/bench/target/freshet-bench-0.1.0-SNAPSHOT.jar" "$copy/bench/bench.jar"
cp -r "$root/bench/target/lib" "$copy/bench/lib"

"$root/testbed/up.sh"
start=$(date +%s)
# Java's headless mode draws the plots without a display.
FRESHET_LOG_FORMAT=${FRESHET_LOG_FORMAT:-text} nice -n 10 \
  java -Djava.awt.headless=true -cp "$copy/bench/bench.jar:$copy/bench/lib/*" dev.freshet.bench.Bench \
  "$FRESHET_TESTBED_DIR" "$root/bench/results" "$copy/bin/freshet" "${scenarios[@]}"
echo "make bench took $(( ($(date +%s) - start) / 60 )) min $(( ($(date +%s) - start) % 60 )) s (after the build and testbed start)" >&2

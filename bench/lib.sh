# Shared by the bench scripts; sourced, never run. bench_main CLASS ARGS… runs a bench's main class on
# a testbed of its own (FRESHET_BENCH_TESTBED_DIR, default .testbed/bench), started here and stopped
# when the script ends: benches fill a testbed (Service IPs, thousands of objects) that tests share.
# The main class gets the testbed directory as its first argument.
bench_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

bench_main() {
  local main=$1; shift
  export FRESHET_TESTBED_DIR=${FRESHET_BENCH_TESTBED_DIR:-$bench_root/.testbed/bench}
  [[ $FRESHET_TESTBED_DIR != "$bench_root/.testbed" ]] || { echo "refusing to run on the shared test testbed" >&2; exit 1; }
  local jar=$bench_root/bench/target/freshet-bench-0.1.0-SNAPSHOT.jar
  [[ -f $jar ]] || (cd "$bench_root" && mvn -B -ntp -q -pl bench -am -DskipTests install)
  trap '"$bench_root/testbed/down.sh"' EXIT
  "$bench_root/testbed/up.sh"
  FRESHET_LOG_FORMAT=${FRESHET_LOG_FORMAT:-text} FRESHET_LOG_LEVEL=${FRESHET_LOG_LEVEL:-WARN} \
    java -cp "$jar:$bench_root/bench/target/lib/*" "dev.freshet.bench.$main" "$FRESHET_TESTBED_DIR" "$@"
}

#!/usr/bin/env bash
# Fuzzes every Jazzer @FuzzTest of the modules below for FUZZ_SECONDS each, then prints a table of
# executions per target and in total. `make test` only replays each target's regression inputs
# (src/test/resources/…/<Class>Inputs/<method>); this is the long variant that looks for new ones.
#
#   FUZZ_SECONDS   seconds per target (default 60)
#   FUZZ_TARGETS   regular expression over Class#method to fuzz a subset (default: all)
#   FUZZ_TIMEOUT   seconds one input may take before it counts as a hang, and before libFuzzer
#                  keeps it as a slow unit (default 60: the first inputs pay for class loading
#                  and Jackson's start, which on a loaded machine has taken over 10 s)
#   FUZZ_JOBS      targets fuzzed at once (default 1; each is one JVM on one core)
#   FUZZ_DIR       where the generated corpus, findings and logs go (default target/fuzz)
#
# Each target runs in its own JVM under Jazzer's standalone driver (--target_class/--target_method):
# libFuzzer keeps global state, so one process fuzzes one target, and the driver prints libFuzzer's
# own statistics, which the table is read from. The generated corpus stays under FUZZ_DIR, so a
# second run continues where the first stopped, and never becomes part of the regression inputs.
# A finding is written to FUZZ_DIR/findings/<target>/; once fixed, copy it into the target's
# Inputs directory so `make test` replays it for good.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
MODULES=(registry receive)
SECONDS_PER_TARGET=${FUZZ_SECONDS:-60}
TARGET_FILTER=${FUZZ_TARGETS:-.}
TIMEOUT=${FUZZ_TIMEOUT:-60}
OUT=${FUZZ_DIR:-$ROOT/target/fuzz}
JOBS=${FUZZ_JOBS:-1}
MVN=${MVN:-mvn -B -ntp}

# Only the parsers are worth coverage feedback; Jazzer's bug-class sanitizers (SQL, LDAP, file
# paths, deserialization…) guard against sinks these parsers never reach and cost most of the speed.
SANITIZERS=(BigDecimal ClojureLangHooks Deserialization ExpressionLanguageInjection FilePathTraversal
  LdapInjection NamingContextLookup OsCommandInjection ReflectiveCall RegexInjection RegexRoadblocks
  ScriptEngineInjection ServerSideRequestForgery SqlInjection TemplateInjection UnsafeSanitizer
  XPathInjection XmlParserSsrfGuidance)
disabled_hooks=$(printf 'com.code_intelligence.jazzer.sanitizers.%s:' "${SANITIZERS[@]}")

mkdir -p "$OUT"
modules_csv=$(IFS=,; echo "${MODULES[*]}")
echo "compiling ${modules_csv} and their tests…"
$MVN -q -o -pl "$modules_csv" -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/fuzz.classpath >"$OUT/build.log" 2>&1 ||
  { cat "$OUT/build.log" >&2; exit 1; }

# Class#method of each @FuzzTest: the method declared on the line after the annotation.
targets_of() {
  local module=$1
  grep -rl --include='*.java' '@FuzzTest' "$module/src/test/java" | sort | while read -r file; do
    local class=${file#"$module/src/test/java/"}
    class=${class%.java}
    class=${class//\//.}
    awk '/@FuzzTest/ {getline; if (match($0, /void [A-Za-z0-9_]+\(/)) print substr($0, RSTART + 5, RLENGTH - 6)}' \
      "$file" | while read -r method; do echo "$class#$method"; done
  done
}

# Fuzzes one target; writes one line of results/<target>.tsv.
fuzz_one() {
  local module=$1 target=$2
  local class=${target%#*} method=${target#*#}
  local name="${class##*.}.$method"
  local classpath="$module/target/test-classes:$module/target/classes:$(cat "$module/target/fuzz.classpath")"
  local corpus="$OUT/corpus/$name" findings="$OUT/findings/$name" log="$OUT/logs/$name.log"
  mkdir -p "$corpus" "$findings" "$OUT/logs" "$OUT/results"
  local seeds="$module/src/test/resources/${class//.//}Inputs/$method"
  [[ -d $seeds ]] || seeds=""
  echo "fuzzing $target for ${SECONDS_PER_TARGET}s…"
  local status=0
  java -cp "$classpath" com.code_intelligence.jazzer.Jazzer \
    --target_class="$class" --target_method="$method" \
    --instrumentation_includes='dev.freshet.**' --disabled_hooks="$disabled_hooks" \
    -max_total_time="$SECONDS_PER_TARGET" -timeout="$TIMEOUT" -report_slow_units="$TIMEOUT" \
    -print_final_stats=1 \
    -artifact_prefix="$findings/" "$corpus" $seeds >"$log" 2>&1 || status=$?
  # libFuzzer's final statistics; a run cut short by a finding still prints its last "#N" line.
  local runs seconds coverage found outcome=ok
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  [[ -n $runs ]] || runs=$( (grep -oE '^#[0-9]+' "$log" || true) | tail -1 | tr -d '#')
  seconds=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
  coverage=$( (grep -oE 'cov: [0-9]+' "$log" || true) | tail -1 | cut -d' ' -f2)
  found=$(find "$findings" -type f | wc -l)
  if ((status != 0 || found > 0)); then
    outcome="FINDING (exit $status, $found file(s) in $findings; see $log)"
  fi
  printf '%s\t%s\t%s\t%s\t%s\n' "$target" "${runs:-0}" "${seconds:-?}" "${coverage:-?}" \
    "$outcome" >"$OUT/results/$name.tsv"
}

rm -rf "$OUT/results"
for module in "${MODULES[@]}"; do
  for target in $(targets_of "$module"); do
    [[ $target =~ $TARGET_FILTER ]] || continue
    while (($(jobs -rp | wc -l) >= JOBS)); do wait -n || true; done
    fuzz_one "$module" "$target" &
  done
done
wait

summary=$OUT/summary.tsv
cat "$OUT"/results/*.tsv >"$summary"
echo
awk -F'\t' '
  BEGIN { printf "%-80s %12s %6s %6s  %s\n", "target", "executions", "secs", "cov", "outcome" }
  { printf "%-80s %12d %6s %6s  %s\n", $1, $2, $3, $4, $5; total += $2; n++ }
  END { printf "%-80s %12d\n", "total (" n " targets)", total }' "$summary"
! grep -q FINDING "$summary"

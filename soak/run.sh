#!/usr/bin/env bash
# The soak run: the long variants of the integration tests that inject faults, kill the operator and
# attack its receivers, then one table of what they measured. Each test chooses its long variant when
# it sees -Dfreshet.soak=true (CrashIT: a thousand pushes and a hundred kills; ControlPlaneFaultsIT:
# thirty minutes of apiserver and etcd restarts under a competing writer and a steady stream of
# signed and forged webhooks; HostileWebhooksIT: each attack for a minute while a legitimate notify must still roll its App; RegistryFaultsIT: every
# registry fault through the proxy, as in make test) and writes its figures with
# dev.freshet.testbed.Figures, one name=value per line; this script gathers them.
#
#   SOAK_ITS      the integration tests to run, as failsafe's -Dit.test takes them
#                 (default: CrashIT,ControlPlaneFaultsIT,HostileWebhooksIT,RegistryFaultsIT); a test joins the soak by being listed here
#                 and writing its figures
#   SOAK_MODULES  the modules that hold them (default: operator)
#   SOAK_ARGS     more -D options, e.g. a shorter run: -Dfreshet.crash.pushes=10 -Dfreshet.faults.minutes=5
#
# Exits with Maven's status; the table is printed either way, with what the tests that ran wrote.
set -uo pipefail
cd "$(dirname "$0")/.."
MVN=${MVN:-mvn -B -ntp}
SOAK_ITS=${SOAK_ITS:-CrashIT,ControlPlaneFaultsIT,HostileWebhooksIT,RegistryFaultsIT}
SOAK_MODULES=${SOAK_MODULES:-operator}
SOAK_ARGS=${SOAK_ARGS:-}
out="$PWD/target/soak"
figures="$out/figures"
rm -rf "$figures"
mkdir -p "$figures"

started=$(date -u +%s)
echo "soak: $SOAK_ITS in $SOAK_MODULES ${SOAK_ARGS:+($SOAK_ARGS) }from $(date -u '+%F %T') UTC; Maven's output in $out/mvn.log"
# shellcheck disable=SC2086 # MVN and SOAK_ARGS are word lists on purpose
$MVN -pl "$SOAK_MODULES" -am verify -Dfreshet.soak=true -Dfreshet.figures.dir="$figures" \
  -Dtest=NoSuch -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test="$SOAK_ITS" -Dfailsafe.failIfNoSpecifiedTests=false $SOAK_ARGS >"$out/mvn.log" 2>&1
status=$?
minutes=$(( ($(date -u +%s) - started + 59) / 60 ))

echo
echo "== soak summary: $minutes min, Maven exit status $status =="
grep -hE '^\[(ERROR|WARNING)\] (Tests run|Failures|  )' "$out/mvn.log" | head -n 20
shopt -s nullglob
files=("$figures"/*.properties)
if ((${#files[@]} == 0)); then
  echo "no test wrote figures; see $out/mvn.log"
  exit $(( status == 0 ? 1 : status ))
fi
awk -F= '
  BEGIN { printf "%-24s %-44s %s\n", "test", "figure", "value" }
  FNR == 1 { test = FILENAME; sub(/.*\//, "", test); sub(/\.properties$/, "", test) }
  { printf "%-24s %-44s %s\n", test, $1, $2 }
  $1 == "rollouts" { rollouts += $2 }
  $1 == "kills" { kills += $2 }
  $1 == "duplicates" { duplicates += $2 }
  $1 ~ /^faults\./ { kind = substr($1, 8); faults[kind] += $2 }
  END {
    print ""
    printf "%-69s %d\n", "rollouts survived", rollouts
    printf "%-69s %d\n", "operator kills made", kills
    printf "%-69s %d\n", "duplicate rollouts", duplicates
    print "faults injected, by kind:"
    for (kind in faults) printf "  %-67s %d\n", kind, faults[kind]
  }' "${files[@]}" | tee "$out/summary.txt"
exit "$status"

#!/usr/bin/env bash
# Checks the Concourse pipeline with Concourse's own validator, `fly validate-pipeline --strict` (unknown
# or duplicate keys, unknown resources and jobs, `passed` constraints, cycles; offline), and checks what
# fly cannot see: that every task file the pipeline names exists, that the script each task runs exists,
# and that every task script parses. Exit 0 only if all is well.
#
# Exit codes: 0 valid, 1 invalid, 3 fly could not be installed on this machine.
set -euo pipefail
cd "$(dirname "$0")/.."

pipeline=ci/concourse/pipeline.yml
fly=$(ci/install-fly.sh) || { echo "fly could not be installed; see the messages above" >&2; exit 3; }

status=0
"$fly" validate-pipeline --strict -c "$pipeline" -l ci/concourse/vars.example.yml || status=1

# Task files are fetched from the `source` input at run time, so fly never opens them.
for task in $(sed -n 's/^ *file: source\/\(ci\/tasks\/[^ ]*\.yml\) *$/\1/p' "$pipeline" | sort -u); do
  if [[ ! -f $task ]]; then
    echo "$pipeline names $task, which does not exist" >&2; status=1; continue
  fi
  script=$(sed -n 's/^  path: source\/\(.*\)$/\1/p' "$task")
  if [[ -n $script && ! -x $script ]]; then
    echo "$task runs $script, which is missing or not executable" >&2; status=1
  fi
done
for script in ci/tasks/*.sh ci/*.sh; do
  bash -n "$script" || { echo "$script does not parse" >&2; status=1; }
done
[[ $status == 0 ]] && echo "pipeline and task files are valid"
exit $status

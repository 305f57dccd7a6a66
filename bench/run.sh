#!/usr/bin/env bash
# Time to converge N Apps from an operator's cold start, against the same objects applied with
# kubectl apply --server-side. Usage: bench/run.sh [count] (default 200).
# 200 Services nearly fill a testbed's Service IP range, one more reason benches run on a testbed of
# their own (bench/lib.sh).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
bench_main ConvergenceBench "${1:-200}"

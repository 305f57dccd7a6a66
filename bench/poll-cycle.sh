#!/usr/bin/env bash
# One poll cycle over N tracked workloads sharing M images (default 1000 over 100): registry requests
# counted at the registry, and the time until every workload is pinned, against a per-workload baseline.
# Usage: bench/poll-cycle.sh [workloads] [images]
set -euo pipefail
. "$(dirname "$0")/lib.sh"
bench_main PollCycleBench "${1:-1000}" "${2:-100}"

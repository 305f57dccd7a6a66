#!/usr/bin/env bash
# Runs the demo app's tests (and those of anything it builds on). Runs anywhere a JDK 17 and Maven are:
# in Concourse (task test.yml), in GitHub Actions, or on a laptop from the repository root.
#
# env: MODULES   Maven modules to test (default: demo-app)
#      MVN       the Maven command (default: mvn -B -ntp)
set -euo pipefail
cd "$(dirname "$0")/../.."

MODULES=${MODULES:-demo-app}
MVN=${MVN:-mvn -B -ntp}

$MVN -pl "$MODULES" -am verify

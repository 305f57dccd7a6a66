#!/usr/bin/env bash
# Installs what a fresh machine lacks for building and testing Freshet: Debian packages (the registry,
# htpasswd, Maven, a JDK) and the testbed's binaries and cosign, built from the Go module proxy into their
# cache.
set -euo pipefail
cd "$(dirname "$0")/.."

testbed/packages.sh
testbed/build.sh
# The signature tests sign images with the real cosign; its first build takes 10-30 minutes on two cores.
testbed/cosign.sh >/dev/null
# The workflow tests check .github/workflows with actionlint (a build of seconds).
testbed/actionlint.sh >/dev/null
# helm, for the chart's tests (HelmChartIT).
testbed/helm.sh >/dev/null

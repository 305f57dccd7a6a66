#!/usr/bin/env bash
# Installs what a fresh machine lacks for building and testing Freshet: Debian packages (the registry,
# htpasswd, Maven, a JDK) and the testbed's binaries, built from the Go module proxy into their cache.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v docker-registry >/dev/null || need+=(docker-registry)
command -v htpasswd >/dev/null || need+=(apache2-utils)
command -v mvn >/dev/null || need+=(maven)
command -v javac >/dev/null || need+=(openjdk-17-jdk-headless)
command -v curl >/dev/null || need+=(curl)
command -v python3 >/dev/null || need+=(python3)
if ((${#need[@]})); then
  echo "installing Debian packages: ${need[*]}"
  SUDO=; [[ $(id -u) == 0 ]] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
command -v go >/dev/null || { echo "Go >= 1.26 is required to build the testbed (https://go.dev/doc/install)"; exit 1; }
testbed/build.sh
# helm, for the chart's tests (HelmChartIT).
testbed/helm.sh >/dev/null
# cosign (testbed/cosign.sh, `make testbed-cosign`) is not built here: no test runs it yet, and its
# first build takes the better part of an hour on two cores.

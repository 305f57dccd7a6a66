#!/usr/bin/env bash
# Installs the Debian packages a fresh machine lacks for building Freshet and running its testbed: the
# registry, htpasswd, Maven, a JDK, curl and python3. Installs nothing when all are there, so make dev
# and make test call it every time. Go (>= 1.26) builds the testbed's binaries; it is not a Debian
# package of that version, so its absence is only reported.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

need=()
command -v docker-registry >/dev/null || need+=(docker-registry)
command -v htpasswd >/dev/null || need+=(apache2-utils)
command -v mvn >/dev/null || need+=(maven)
command -v javac >/dev/null || need+=(openjdk-17-jdk-headless)
command -v curl >/dev/null || need+=(curl)
command -v python3 >/dev/null || need+=(python3)
if ((${#need[@]})); then
  say "installing Debian packages: ${need[*]}"
  SUDO=; [[ $(id -u) == 0 ]] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
command -v go >/dev/null || die "Go >= 1.26 is required to build the testbed (https://go.dev/doc/install)"

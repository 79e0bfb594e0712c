#!/usr/bin/env bash
# tests/stress/load.sh [SECONDS] [load.py options]: the load test
# (docs/HARDENING.md). Installs wrk (a Debian package) when missing, then runs
# tests/stress/load.py: wrk -t2 -c64 for SECONDS (default 10) with a mix of
# reads and writes against `coso serve` ($COSO, default build/coso) on a copy
# of the Điện Biên demo, on loopback, and checks every answer, the server's
# memory and the registry afterwards.
set -euo pipefail

if ! command -v wrk >/dev/null; then
  echo "load.sh: installing wrk" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "load.sh: wrk is missing; run as root or install sudo" >&2; exit 1; }
    SUDO="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends wrk >/dev/null
fi
exec python3 "$(dirname "$0")/load.py" "$@"

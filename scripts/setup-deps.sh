#!/usr/bin/env bash
# setup-deps.sh: installs the Debian 12 packages coso needs to build, test and
# run its demo. Idempotent: does nothing when every package is present.
# Usage: scripts/setup-deps.sh [--quiet]
set -euo pipefail

PACKAGES=(
  gcc make cmake pkg-config      # toolchain
  libsqlite3-dev                 # storage
  libjansson-dev                 # JSON
  libcmocka-dev                  # unit tests
  sqlite3                        # the shell: benchmarks' baseline, debugging
  python3                        # test oracle, demo generator, black-box tests
  libmicrohttpd-dev              # HTTP server
  libutf8proc-dev                # Unicode folding (search without diacritics)
  libicu-dev                     # Vietnamese collation
  libsodium-dev                  # password hashing, tokens
  wrk                            # the load test (tests/stress) and the HTTP benchmarks
  libxlsxwriter-dev              # plans: the written report's Excel workbook
)

# The web interface and its browser tests: Node.js (the machine image's; else
# Debian's, though Vite 7 wants 20.19 or later) and, with --browser (make
# check) or COSO_BROWSER_TESTS=1, Debian's Chromium and a font with Vietnamese glyphs.
command -v node >/dev/null || PACKAGES+=(nodejs npm)
if [[ " $* " == *" --browser "* || "${COSO_BROWSER_TESTS:-}" == 1 ]]; then
  PACKAGES+=(chromium fonts-dejavu-core)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup-deps: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup-deps: run as root or install sudo" >&2; exit 1; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

#!/usr/bin/env bash
# fuzz/setup.sh: installs what make fuzz needs beyond scripts/setup-deps.sh:
# clang, its libFuzzer and sanitizer runtimes (libclang-rt-14-dev) and
# llvm-symbolizer (llvm-14, for readable stack traces). Debian 12 packages;
# idempotent: does nothing when they are all present.
set -euo pipefail

PACKAGES=(clang libclang-rt-14-dev llvm-14)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "fuzz/setup.sh: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "fuzz/setup.sh: run as root or install sudo" >&2; exit 1; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

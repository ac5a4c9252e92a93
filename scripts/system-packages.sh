#!/usr/bin/env bash
# Install the Debian packages named as arguments when missing: as root with apt-get, otherwise
# print the exact command to run and stop.
set -euo pipefail
missing=()
if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "note: not a Debian/Ubuntu system; make sure these are installed: $*" >&2
  exit 0
fi
for pkg in "$@"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  [[ $status == installed ]] || missing+=("$pkg")
done
((${#missing[@]})) || exit 0
if [[ $(id -u) -ne 0 ]]; then
  echo "Xieshang needs these system packages: ${missing[*]}" >&2
  echo "Install them with:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

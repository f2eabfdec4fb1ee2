#!/usr/bin/env bash
# Install the Debian packages a group of tasks needs, when any is missing.
#   run:   what `make` needs to build leaflets (WeasyPrint's libraries)
#   test:  what `make test` needs as well (poppler, zbar, CUPS with the cups-pdf printer,
#          Chromium and npm for the desk's browser tests)
#   bench: what `make bench` compares against (Chromium)
set -euo pipefail

declare -A PKGS=(
  [run]="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 fonts-dejavu-core"
  [test]="git systemd poppler-utils zbar-tools cups cups-client cups-bsd printer-driver-cups-pdf chromium"
  [bench]="chromium time"
)

wanted=()
for group in "$@"; do
  for package in ${PKGS[$group]}; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || wanted+=("$package")
  done
  # npm fetches axe-core for the desk's tests; a Node.js installed outside Debian brings its own.
  if [ "$group" = test ] && ! command -v npm >/dev/null; then
    wanted+=(npm)
  fi
done
[ ${#wanted[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages: ${wanted[*]}" >&2
  echo "install them with: sudo apt-get install ${wanted[*]}" >&2
  exit 1
fi
echo "installing Debian packages: ${wanted[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${wanted[@]}" >/dev/null

#!/usr/bin/env bash
# The chromium the browser tests drive (tests/test_browser.py): prints its path on stdout, or one line on stderr
# and exit 1. In order: $FWBENCH_CHROMIUM; the system's chromium; Playwright's own build (already there, or
# `playwright install chromium` where the network allows); Debian's chromium through apt-get (as root, or with
# sudo that needs no password). `make test` runs this and passes the path on as FWBENCH_CHROMIUM.
#
# Usage: tools/browser.sh PYTHON   (the Python that has playwright installed)
# Knobs, for tests and for machines that must not change: FWBENCH_CHROMIUM_CANDIDATES (system paths to look at),
# FWBENCH_BROWSER_DOWNLOAD=0 (no `playwright install`), FWBENCH_BROWSER_APT=0 (no apt-get).
set -uo pipefail

python=${1:?usage: tools/browser.sh PYTHON}
candidates=${FWBENCH_CHROMIUM_CANDIDATES-/usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome}
tried=()

if [ -n "${FWBENCH_CHROMIUM:-}" ]; then
  if [ -x "$FWBENCH_CHROMIUM" ]; then echo "$FWBENCH_CHROMIUM"; exit 0; fi
  echo "tools/browser.sh: FWBENCH_CHROMIUM=$FWBENCH_CHROMIUM is not an executable file" >&2
  exit 1
fi

for path in $candidates; do
  if [ -x "$path" ]; then echo "$path"; exit 0; fi
done
tried+=("no system chromium (${candidates// /, })")

# Playwright's own chromium: where `playwright install chromium` puts it (the path its launcher uses).
playwright_chromium() {
  "$python" - <<'EOF' 2>/dev/null
import os
import sys

from playwright.sync_api import sync_playwright

with sync_playwright() as p:
    path = p.chromium.executable_path
if not (path and os.access(path, os.X_OK)):
    sys.exit(1)
print(path)
EOF
}

if found=$(playwright_chromium); then echo "$found"; exit 0; fi
if [ "${FWBENCH_BROWSER_DOWNLOAD:-1}" != 0 ]; then
  echo "tools/browser.sh: no system chromium; trying \`playwright install chromium\`" >&2
  if timeout 600 "$python" -m playwright install chromium >/dev/null 2>&1 && found=$(playwright_chromium); then
    echo "$found"; exit 0
  fi
  tried+=("\`playwright install chromium\` failed (no network to its download host?)")
else
  tried+=("no Playwright chromium (download switched off)")
fi

if [ "${FWBENCH_BROWSER_APT:-1}" != 0 ] && command -v apt-get >/dev/null 2>&1; then
  sudo_cmd=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo_cmd="sudo -n"; else sudo_cmd=none; fi
  fi
  if [ "$sudo_cmd" != none ]; then
    echo "tools/browser.sh: installing Debian's chromium with apt-get" >&2
    if $sudo_cmd apt-get update -qq >/dev/null 2>&1 && \
       DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null 2>&1; then
      for path in /usr/bin/chromium /usr/bin/chromium-browser; do
        if [ -x "$path" ]; then echo "$path"; exit 0; fi
      done
    fi
    tried+=("apt-get install chromium failed")
  else
    tried+=("apt-get needs root (no password-less sudo)")
  fi
elif [ "${FWBENCH_BROWSER_APT:-1}" = 0 ]; then
  tried+=("apt-get switched off")
else
  tried+=("no apt-get")
fi

why=$(printf '%s; ' "${tried[@]}")
echo "tools/browser.sh: no chromium for the browser tests: ${why%; }; install one (apt-get install chromium) or set FWBENCH_CHROMIUM to its path" >&2
exit 1

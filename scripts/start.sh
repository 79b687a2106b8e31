#!/usr/bin/env bash
# start.sh — run the desktop app on a fresh Debian or Ubuntu machine: installs what
# keytar (the OS keychain; optional) needs to build, installs npm dependencies when
# needed, builds the CLI and the app, downloads Electron's binary, and opens the app
# (`electron-vite preview`).
#
#   bash scripts/start.sh [--port N] [--no-open]
#
# Where Electron cannot run (no binary could be downloaded, no display, missing
# libraries), it says why and starts browser mode instead (`npm run web`): the same app
# served on 127.0.0.1 to a browser, at the URL it prints. Arguments go to browser mode.
set -euo pipefail
cd "$(dirname "$0")/.."

# keytar ships prebuilt binaries; these are for when it has to compile instead.
PACKAGES=(build-essential python3 libsecret-1-dev)

fail() {
  echo "start.sh: $*" >&2
  exit 1
}

SETUP_NAME=start.sh
# shellcheck source=setup-lib.sh
source scripts/setup-lib.sh

# electron_path prints the Electron executable's path; `require('electron')` throws
# when the package is installed but its binary was never downloaded.
electron_path() {
  node -e 'process.stdout.write(require("electron"))' 2>/dev/null
}

# ensure_electron fetches the binary, which npm ci was told to skip so that a network
# without access to Electron's download server still gets the CLI and browser mode.
# The download's own output (a stack trace when it fails) goes to a log file, named in
# the message; the terminal gets the message alone.
ensure_electron() {
  electron_path >/dev/null && return 0
  if [ -z "${ELECTRON_SKIP_BINARY_DOWNLOAD:-}" ]; then
    local log
    log=$(mktemp "${TMPDIR:-/tmp}/oras-desktop-electron-download.XXXXXX")
    echo "start.sh: downloading Electron's binary (about 100 MB; details in $log)" >&2
    if node node_modules/electron/install.js </dev/null >"$log" 2>&1 && electron_path >/dev/null; then
      rm -f "$log"
      return 0
    fi
    browser_mode "Electron's binary could not be downloaded here (most often github.com, or
ELECTRON_MIRROR, cannot be reached; what the download said is in $log)"
  fi
  browser_mode "Electron's binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD is set)"
}

# browser_mode says why the desktop window cannot open and serves the same app to a
# browser instead (npm run web), with this script's arguments.
browser_mode() {
  cat >&2 <<EOF
start.sh: cannot open the desktop app: $1.
start.sh: starting browser mode instead: the same app, served on 127.0.0.1 to your
browser at the URL below (the CLI works too: npx oras --help).

EOF
  exec node scripts/web.mjs ${START_ARGS[@]+"${START_ARGS[@]}"}
}

# check_can_run: Electron on Linux needs a graphical session and a few desktop
# libraries (GTK, NSS, ALSA, GBM) that a minimal or server install may lack.
check_can_run() {
  local electron missing
  electron=$(electron_path)
  if [ "$(uname -s)" = Linux ]; then
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
      browser_mode 'there is no graphical session (DISPLAY and WAYLAND_DISPLAY are unset; a desktop session or xvfb-run has one)'
    fi
    missing=$(ldd "$electron" 2>/dev/null | awk '/not found/ { print $1 }' | tr '\n' ' ')
    if [ -n "$missing" ]; then
      browser_mode "Electron needs libraries this machine lacks: ${missing}
(on Debian or Ubuntu: sudo apt-get install libgtk-3-0 libnss3 libgbm1 libasound2 libxss1 libxtst6,
or libgtk-3-0t64 and libasound2t64 on Ubuntu 24.04 and Debian 13)"
    fi
  fi
}

START_ARGS=("$@")

install_packages
check_node
# Electron's binary is fetched by ensure_electron, not by npm ci: a failed download must
# not stop the CLI and browser mode from being installed.
install_node_modules ELECTRON_SKIP_BINARY_DOWNLOAD=1
npm run build </dev/null || fail 'build failed'
ensure_electron
check_can_run
exec npx electron-vite preview --skipBuild

#!/usr/bin/env bash
# test.sh — the one command that runs every test (unit and integration) on a fresh
# Debian or Ubuntu machine: installs what the tests run against (the real registry,
# htpasswd, openssl, the Secret Service, Chromium), installs npm dependencies when
# needed, runs Vitest, and ends with one line: `N passed, N failed[, N skipped]`.
#
#   bash scripts/test.sh                        # everything
#   npm test -- test/harness.test.ts            # extra arguments go to vitest
#   npm test -- --project unit
#
# Exits non-zero when anything failed. The JSON report stays in test-results/vitest.json.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(docker-registry apache2-utils openssl chromium libsecret-1-dev gnome-keyring dbus
  dbus-x11 golang-docker-credential-helpers pass gnupg curl build-essential python3)
REPORT=test-results/vitest.json

# fail_setup ends the run before any test ran; it still prints the summary line
# because CI reads the last line of output.
fail_setup() {
  echo "test.sh: $*" >&2
  echo '0 passed, 1 failed'
  exit 1
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else fail_setup "need root or sudo to run: $*"
  fi
}

install_packages() {
  local missing=() installable=() p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || fail_setup "missing ${missing[*]}, and no apt-get to install them"
  echo "test.sh: installing ${missing[*]}" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -q update \
    || fail_setup 'apt-get update failed'
  # Ubuntu ships Chromium only as a snap: install what has a .deb and say what has not,
  # so the tests needing it fail with their own message rather than setup failing.
  for p in "${missing[@]}"; do
    if [ -n "$(apt-cache madison "$p" 2>/dev/null)" ]; then installable+=("$p")
    else echo "test.sh: warning: no package $p here; tests needing it will fail" >&2
    fi
  done
  [ ${#installable[@]} -eq 0 ] && return 0
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -q install -y \
    --no-install-recommends "${installable[@]}" </dev/null || fail_setup "apt-get install failed"
}

check_node() {
  command -v node >/dev/null || fail_setup 'node not found: install Node.js 20.19 or newer'
  node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' \
    || fail_setup "Node.js $(node --version) is too old: need 20.19 or newer"
}

# install_node_modules runs npm ci when node_modules is missing or older than the lock
# file (npm writes node_modules/.package-lock.json on every install). Electron's
# binary is not needed by tests and cannot be downloaded on every machine.
install_node_modules() {
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund </dev/null || fail_setup 'npm ci failed'
  fi
}

install_packages
check_node
install_node_modules

# A fresh HOME for the test run: gnome-keyring creates its login keyring there
# (password "pw") and credential tests never see the developer's ~/.docker or keychain.
# XDG_RUNTIME_DIR too, or the keyring daemon would talk to the desktop's own one.
TEST_HOME=$(mktemp -d "${TMPDIR:-/tmp}/oras-test-home.XXXXXX")
trap 'rm -rf "$TEST_HOME"' EXIT
mkdir -m 700 "$TEST_HOME/run"
mkdir -p "$(dirname "$REPORT")"
rm -f "$REPORT"

status=0
# dbus-run-session gives the run its own session bus, ended with it; the keyring daemon
# serves the Secret Service (keytar) on it, unlocked. Its stderr goes to a file, as it
# may still write while exiting, after the summary line.
HOME="$TEST_HOME" XDG_RUNTIME_DIR="$TEST_HOME/run" \
  XDG_DATA_HOME="$TEST_HOME/.local/share" XDG_CONFIG_HOME="$TEST_HOME/.config" XDG_CACHE_HOME="$TEST_HOME/.cache" \
  dbus-run-session -- sh -c '
    printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>"$HOME/keyring.log"
    exec "$@"' sh \
  node_modules/.bin/vitest run --reporter=default --reporter=json --outputFile.json="$REPORT" "$@" </dev/null \
  || status=$?

node scripts/vitest-summary.mjs "$REPORT" || status=1
exit "$status"

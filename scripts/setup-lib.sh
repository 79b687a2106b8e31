# setup-lib.sh — what scripts/start.sh and scripts/test.sh both do to get a fresh Debian
# or Ubuntu machine ready. Source it after defining:
#   fail MESSAGE   how the script stops on a setup failure (test.sh still prints its
#                  summary line there, as CI reads the last line)
#   PACKAGES       the Debian packages it needs
#   SETUP_NAME     its name, for messages

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else fail "need root or sudo to run: $*"
  fi
}

# install_packages installs whatever of PACKAGES is missing. Ubuntu ships some (Chromium)
# only as snaps: what has no .deb is named in a warning, not a failure, so the part that
# needs it fails later with its own message.
install_packages() {
  command -v dpkg-query >/dev/null || return 0 # not Debian or Ubuntu: the user's call
  local missing=() installable=() p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || fail "missing ${missing[*]}, and no apt-get to install them"
  echo "$SETUP_NAME: installing ${missing[*]}" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -q update \
    || fail 'apt-get update failed'
  for p in "${missing[@]}"; do
    if [ -n "$(apt-cache madison "$p" 2>/dev/null)" ]; then installable+=("$p")
    else echo "$SETUP_NAME: warning: no package $p here" >&2
    fi
  done
  [ ${#installable[@]} -eq 0 ] && return 0
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -q install -y \
    --no-install-recommends "${installable[@]}" </dev/null || fail 'apt-get install failed'
}

check_node() {
  command -v node >/dev/null || fail 'node not found: install Node.js 20.19 or newer'
  node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' \
    || fail "Node.js $(node --version) is too old: need 20.19 or newer"
}

# install_node_modules runs npm ci when node_modules is missing or older than the lock
# file (npm writes node_modules/.package-lock.json on every install). Extra arguments
# are environment settings for npm, e.g. ELECTRON_SKIP_BINARY_DOWNLOAD=1.
install_node_modules() {
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    env "$@" npm ci --no-audit --no-fund </dev/null || fail 'npm ci failed'
  fi
}

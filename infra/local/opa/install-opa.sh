#!/usr/bin/env bash
# Builds the `opa` CLI into .local/bin, only for `npm run bench:policy-engines` (it compiles the Rego side of the
# engine comparison to wasm). The product never runs OPA: monitoring tests are CEL (docs/architecture.md).
# Built from source with `go install` because the project fetches no prebuilt binaries.
set -euo pipefail

OPA_VERSION=v1.22.3
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
BIN_DIR="$ROOT/.local/bin"
OPA_BIN="$BIN_DIR/opa"
STAMP="$BIN_DIR/opa.version"

if [[ -x "$OPA_BIN" && "$(cat "$STAMP" 2>/dev/null)" == "$OPA_VERSION" ]]; then
  echo "$OPA_BIN"
  exit 0
fi
command -v go >/dev/null || { echo "install-opa: Go is required (https://go.dev/doc/install)" >&2; exit 1; }
mkdir -p "$BIN_DIR"
echo "install-opa: building opa $OPA_VERSION with go install (first run only; several minutes on 2 cores)..." >&2
GOBIN="$BIN_DIR" GOFLAGS=-buildvcs=false go install "github.com/open-policy-agent/opa@$OPA_VERSION" >&2
echo "$OPA_VERSION" >"$STAMP"
echo "$OPA_BIN"

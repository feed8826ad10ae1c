#!/usr/bin/env bash
# Installs the API fuzzer that tools/fuzz's tests run against the services: schemathesis from PyPI, pinned with all
# its dependencies in tools/fuzz/requirements.txt, in a venv under the git-ignored .local/ folder.
# Idempotent: when the venv exists and was built from the same requirements.txt it returns at once.
set -euo pipefail
ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$ROOT_DIR/.local/venvs/schemathesis"
REQUIREMENTS="$ROOT_DIR/tools/fuzz/requirements.txt"
STAMP="$VENV/.requirements.sha256"

wanted="$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)"
if [[ -x "$VENV/bin/schemathesis" && -f "$STAMP" && "$(cat "$STAMP")" == "$wanted" ]]; then
  exit 0
fi

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2>/dev/null; then
  echo "[fuzz] ERROR: Python 3.10+ with the venv module is needed for schemathesis (set PYTHON=...)" >&2
  exit 1
fi

echo "[fuzz] installing schemathesis into .local/venvs/schemathesis..."
rm -rf "$VENV"
mkdir -p "$(dirname "$VENV")"
"$PYTHON" -m venv "$VENV"
# Bounded, so that a stalled download fails the run instead of outliving the test that called this.
timeout --kill-after=10 240 \
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$REQUIREMENTS" || {
  echo "[fuzz] ERROR: pip install of tools/fuzz/requirements.txt failed" >&2
  rm -rf "$VENV"
  exit 1
}
"$VENV/bin/schemathesis" --version >/dev/null || {
  echo "[fuzz] ERROR: schemathesis does not run after install" >&2
  rm -rf "$VENV"
  exit 1
}
echo "$wanted" >"$STAMP"
echo "[fuzz] schemathesis ready"

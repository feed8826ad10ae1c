#!/usr/bin/env bash
# Installs the OSCAL validator that libs/catalog's tests run on the exported catalogs: compliance-trestle from PyPI,
# pinned with all its dependencies in tools/oscal/requirements.txt, in a venv under the git-ignored .local/ folder.
# Idempotent: when the venv exists and was built from the same requirements.txt it returns at once.
set -euo pipefail
ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$ROOT_DIR/.local/oscal-validator"
REQUIREMENTS="$ROOT_DIR/tools/oscal/requirements.txt"
STAMP="$VENV/.requirements.sha256"

wanted="$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)"
if [[ -x "$VENV/bin/python" && -f "$STAMP" && "$(cat "$STAMP")" == "$wanted" ]]; then
  exit 0
fi

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2>/dev/null; then
  echo "[oscal] ERROR: Python 3.10+ with the venv module is needed for the OSCAL validator (set PYTHON=...)" >&2
  exit 1
fi

echo "[oscal] installing the OSCAL validator (compliance-trestle) into .local/oscal-validator..."
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$REQUIREMENTS" || {
  echo "[oscal] ERROR: pip install of tools/oscal/requirements.txt failed" >&2
  rm -rf "$VENV"
  exit 1
}
"$VENV/bin/python" -W ignore -c 'import trestle.oscal.catalog' || {
  echo "[oscal] ERROR: compliance-trestle does not import after install" >&2
  rm -rf "$VENV"
  exit 1
}
echo "$wanted" >"$STAMP"
echo "[oscal] OSCAL validator ready"

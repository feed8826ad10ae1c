#!/usr/bin/env bash
# Installs a pinned Python tool from PyPI into its own venv under the git-ignored .local/ folder, once: when the venv
# exists and was built from the same requirements file it returns at once.
# Usage: ensure-python-tool.sh <label> <venv, relative to the repository> <requirements file> <check command...>
# The check command runs with the venv's bin/ first on PATH and must succeed after the install.
set -euo pipefail
ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
label="$1" venv="$ROOT_DIR/$2" requirements="$ROOT_DIR/$3"
shift 3
stamp="$venv/.requirements.sha256"

wanted="$(sha256sum "$requirements" | cut -d' ' -f1)"
if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$wanted" ]]; then
  exit 0
fi

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2>/dev/null; then
  echo "[$label] ERROR: Python 3.10+ with the venv module is needed (set PYTHON=...)" >&2
  exit 1
fi

echo "[$label] installing the packages pinned in ${requirements#"$ROOT_DIR"/} into ${venv#"$ROOT_DIR"/}..."
rm -rf "$venv"
mkdir -p "$(dirname "$venv")"
"$PYTHON" -m venv "$venv"
# Bounded, so that a stalled download fails the run instead of outliving the test that called this.
timeout --kill-after=10 240 \
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$requirements" || {
  echo "[$label] ERROR: pip install of ${requirements#"$ROOT_DIR"/} failed" >&2
  rm -rf "$venv"
  exit 1
}
PATH="$venv/bin:$PATH" "$@" >/dev/null || {
  echo "[$label] ERROR: the installed tool does not run ($*)" >&2
  rm -rf "$venv"
  exit 1
}
echo "$wanted" >"$stamp"
echo "[$label] ready"

#!/usr/bin/env bash
# Installs the independent DSSE verifier the evidence bundle tests run (securesystemslib from PyPI, pinned in
# tools/attest-verify/requirements.txt) into a venv under .local/ (once).
set -euo pipefail
exec bash "$(dirname "${BASH_SOURCE[0]}")/../scripts/ensure-python-tool.sh" dsse .local/dsse-verifier \
  tools/attest-verify/requirements.txt python -c 'import securesystemslib.dsse, cryptography'

#!/usr/bin/env bash
# Installs the API fuzzer that tools/fuzz's tests run against the services: schemathesis from PyPI, pinned with all
# its dependencies in tools/fuzz/requirements.txt, in a venv under .local/ (once).
set -euo pipefail
exec bash "$(dirname "${BASH_SOURCE[0]}")/../scripts/ensure-python-tool.sh" fuzz .local/venvs/schemathesis \
  tools/fuzz/requirements.txt schemathesis --version

#!/usr/bin/env bash
# Installs the OSCAL validator that libs/catalog's tests run on the exported catalogs: compliance-trestle from PyPI,
# pinned with all its dependencies in tools/oscal/requirements.txt, in a venv under .local/ (once).
set -euo pipefail
exec bash "$(dirname "${BASH_SOURCE[0]}")/../scripts/ensure-python-tool.sh" oscal .local/oscal-validator \
  tools/oscal/requirements.txt python -W ignore -c 'import trestle.oscal.catalog'

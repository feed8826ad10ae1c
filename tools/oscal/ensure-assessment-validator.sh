#!/usr/bin/env bash
# Installs the validator that libs/audit-report's tests run on the exported OSCAL assessment plans and results:
# compliance-trestle 5.x and jsonschema, pinned with all their dependencies in tools/oscal/assessment-requirements.txt,
# in a venv under .local/ (once), plus NIST's OSCAL 1.2.3 JSON schema under .local/oscal-schema/ (once, hash-checked).
set -euo pipefail
ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv=.local/oscal-assessment-validator
bash "$ROOT_DIR/tools/scripts/ensure-python-tool.sh" oscal-assessment "$venv" tools/oscal/assessment-requirements.txt \
  python -W ignore -c 'import jsonschema, regex, trestle.oscal.assessment_plan, trestle.oscal.assessment_results'
bash "$ROOT_DIR/tools/oscal/fetch-oscal-schema.sh" "$ROOT_DIR/$venv/bin/python" >/dev/null

#!/usr/bin/env bash
# `npm test`: every unit and integration test in one jest run, against the real local servers.
# Starts the servers when they are not running (and leaves them up for the next run; `npm run infra:down` stops them).
# Extra arguments go to jest, e.g. `npm test -- libs/catalog`.
set -euo pipefail
source "$(dirname "$0")/ensure-deps.sh"
cd "$ROOT_DIR"
bash tools/oscal/ensure-validator.sh

bash infra/local/infra.sh status >/dev/null 2>&1 || bash infra/local/infra.sh up

mkdir -p .local/test-results
# --forceExit: a client left open by a failed test must fail that test, not hang the whole run until CI times out.
# In band: Temporal's native runtime is one per process and its workers must not race (sdk-typescript #928).
exec npx jest --config jest.config.js --runInBand --forceExit --json --outputFile=.local/test-results/jest.json "$@"

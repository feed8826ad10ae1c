#!/usr/bin/env bash
# `npm test`: every unit and integration test in one jest run, against the real local servers, then the unit tests
# once more under Node.js 24 (the maintained LTS images move to). Starts the servers when they are not running (and
# leaves them up for the next run; `npm run infra:down` stops them).
# Extra arguments go to jest, e.g. `npm test -- libs/catalog`; with them the Node 24 pass is skipped.
set -euo pipefail
source "$(dirname "$0")/ensure-deps.sh"
cd "$ROOT_DIR"
bash tools/oscal/ensure-validator.sh
bash tools/oscal/ensure-assessment-validator.sh
bash tools/attest-verify/ensure-dsse-verifier.sh
bash tools/scripts/ensure-pdftotext.sh

bash infra/local/infra.sh status >/dev/null 2>&1 || bash infra/local/infra.sh up

results=.local/test-results
mkdir -p "$results"
rm -f "$results"/jest*.json
# No --forceExit: every test awaits the disconnect of what it opened, so jest exits by itself; a client left open
# shows as a run that does not end (find it with `npx jest --detectOpenHandles <files>`) instead of being hidden.
# In band: Temporal's native runtime is one per process and its workers must not race (sdk-typescript #928).
rc=0
npx jest --config jest.config.js --runInBand --json --outputFile="$results/jest.json" "$@" || rc=$?
if (($# == 0)); then
  node24="$(bash tools/scripts/node-lts.sh)"
  echo "[test] unit tests under Node $("$node24" --version)"
  "$node24" node_modules/jest/bin/jest.js --config jest.config.js --runInBand \
    --testPathIgnorePatterns '\.int\.spec\.ts$' --json --outputFile="$results/jest-node24.json" || rc=1
fi
exit $rc

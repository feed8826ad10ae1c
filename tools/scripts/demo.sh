#!/usr/bin/env bash
# `npm run demo`: brings the local servers up and runs the smoke job through Kafka, Temporal and PostgreSQL.
set -euo pipefail
source "$(dirname "$0")/ensure-deps.sh"
cd "$ROOT_DIR"

bash infra/local/infra.sh up
SWC_NODE_PROJECT=tsconfig.base.json exec node -r @swc-node/register tools/smoke/src/demo.ts

#!/usr/bin/env bash
# One entry point for the local servers Attest runs on: PostgreSQL, SeaweedFS (S3-compatible object store), Kafka
# (KRaft), Temporal (dev server + UI) and Keycloak (OpenID Connect provider).
# Usage: infra.sh up|down|status|logs [postgres|seaweedfs|kafka|temporal|keycloak ...]
set -euo pipefail

source "$(dirname "$0")/lib/common.sh"
source "$INFRA_DIR/postgres/postgres.sh"
source "$INFRA_DIR/seaweedfs/seaweedfs.sh"
source "$INFRA_DIR/kafka/kafka.sh"
source "$INFRA_DIR/temporal/temporal.sh"
source "$INFRA_DIR/keycloak/keycloak.sh"

ALL=(postgres seaweedfs kafka temporal keycloak)

ensure_node_modules() {
  # The Kafka readiness probe uses the project's kafkajs.
  if [[ ! -d "$ROOT_DIR/node_modules/kafkajs" ]]; then
    require_cmd npm "install Node.js 20 (https://nodejs.org)"
    say "installing npm dependencies (npm ci)..."
    (cd "$ROOT_DIR" && npm ci --no-audit --no-fund) >/dev/null || fail "npm ci failed"
  fi
}

cmd="${1:-status}"
shift || true
components=("$@")
((${#components[@]})) || components=("${ALL[@]}")
for c in "${components[@]}"; do
  [[ " ${ALL[*]} " == *" $c "* ]] || fail "unknown component '$c' (known: ${ALL[*]})"
done

case "$cmd" in
  up)
    require_cmd node "install Node.js 20 (https://nodejs.org)"
    require_cmd curl "install curl (Debian: apt-get install -y curl)"
    require_cmd ss "install iproute2 (Debian: apt-get install -y iproute2)"
    ensure_node_modules
    # The services sign their event chain checkpoints with it unless ATTEST_CHAIN_SIGNING_KEYS names another.
    node "$INFRA_DIR/chain-signing/generate-keyring.cjs" "$LOCAL_DIR/chain-signing/keyring.json"
    for c in "${components[@]}"; do "${c}_up"; done
    say "all up. Temporal UI: http://127.0.0.1:$TEMPORAL_UI_PORT"
    ;;
  down)
    # Reverse order: clients of PostgreSQL (none yet) and Kafka stop before the stores.
    for ((i = ${#components[@]} - 1; i >= 0; i--)); do "${components[$i]}_down"; done
    say "down"
    ;;
  status)
    rc=0
    for c in "${components[@]}"; do "${c}_status" || rc=1; done
    exit $rc
    ;;
  logs)
    for c in "${components[@]}"; do
      f="$("${c}_logs")"
      echo "==> $c: $f"
      if [[ -f "$f" ]]; then tail -n "${ATTEST_LOG_LINES:-40}" "$f"; else echo "(no log yet)"; fi
    done
    ;;
  *)
    fail "unknown command '$cmd' (use up, down, status or logs)"
    ;;
esac

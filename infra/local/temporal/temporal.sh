# Temporal dev server (with its Web UI) from the `temporal` CLI built from source with `go install`.
# Sourced by infra.sh.

TEMPORAL_PORT="${ATTEST_TEMPORAL_PORT:-7233}"
TEMPORAL_UI_PORT="${ATTEST_TEMPORAL_UI_PORT:-8233}"
TEMPORAL_HOME="$LOCAL_DIR/temporal"
TEMPORAL_BIN="$LOCAL_DIR/bin/temporal"
TEMPORAL_STAMP="$LOCAL_DIR/bin/temporal.version"
# The project's custom search attributes are a public interface; they are declared once, in the workflow contracts lib.
TEMPORAL_SEARCH_ATTRIBUTES_FILE="$ROOT_DIR/libs/workflow-contracts/src/search-attributes.json"

temporal_install() {
  if [[ ! -f "$LOCAL_DIR/temporal-test-server/libs/.complete" ]]; then
    require_java "Temporal's time-skipping test server"
    say "temporal: resolving the time-skipping test server from Maven Central (first run only)..."
    maven_copy_deps "$INFRA_DIR/temporal/test-server/pom.xml" "$LOCAL_DIR/temporal-test-server/libs" ||
      fail "temporal: could not resolve io.temporal:temporal-test-server from Maven Central"
  fi
  if [[ -x "$TEMPORAL_BIN" && "$(cat "$TEMPORAL_STAMP" 2>/dev/null)" == "$TEMPORAL_CLI_VERSION" ]]; then
    return 0
  fi
  require_cmd go "install Go 1.25 or newer (https://go.dev/doc/install, or Debian's golang-go if recent enough)"
  local go_minor
  go_minor="$(go env GOVERSION | sed -n 's/^go1\.\([0-9]*\).*/\1/p')"
  ((go_minor >= 25)) || fail "the temporal CLI $TEMPORAL_CLI_VERSION needs Go 1.25 or newer, found $(go env GOVERSION)"
  say "temporal: building the temporal CLI $TEMPORAL_CLI_VERSION with go install (first run only; several minutes on 2 cores)..."
  mkdir -p "$LOCAL_DIR/bin"
  GOBIN="$LOCAL_DIR/bin" GOFLAGS=-buildvcs=false go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION" ||
    fail "temporal: go install github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION failed (is the Go module proxy reachable?)"
  echo "$TEMPORAL_CLI_VERSION" >"$TEMPORAL_STAMP"
  say "temporal: built $("$TEMPORAL_BIN" --version)"
}

# Registers every attribute the contracts file declares, on a fresh or an already running server, so an attribute
# added to the file reaches a dev server started before it. Creating an attribute that already exists succeeds on
# the dev server (CLI v1.5.1), so this runs on every `up`.
temporal_register_search_attributes() {
  local name type count=0
  while read -r name type; do
    "$TEMPORAL_BIN" operator search-attribute create --address "127.0.0.1:$TEMPORAL_PORT" --command-timeout 10s \
      --name "$name" --type "$type" >/dev/null ||
      fail "temporal: could not register search attribute $name ($type)"
    count=$((count + 1))
  done < <(node -e '
    const attrs = require(process.argv[1]);
    for (const [name, type] of Object.entries(attrs)) console.log(`${name} ${type}`);
  ' "$TEMPORAL_SEARCH_ATTRIBUTES_FILE")
  say "temporal: $count custom search attributes registered"
}

temporal_ready() {
  "$TEMPORAL_BIN" operator cluster health --address "127.0.0.1:$TEMPORAL_PORT" --command-timeout 2s 2>/dev/null | grep -q SERVING
}

temporal_ui_ready() {
  [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$TEMPORAL_UI_PORT/")" == 200 ]]
}

temporal_up() {
  if running_pid temporal >/dev/null; then
    say "temporal: already up on 127.0.0.1:$TEMPORAL_PORT (UI http://127.0.0.1:$TEMPORAL_UI_PORT)"
    temporal_register_search_attributes
    return 0
  fi
  temporal_install
  ensure_port_free "$TEMPORAL_PORT" temporal
  ensure_port_free "$TEMPORAL_UI_PORT" "temporal UI"
  mkdir -p "$TEMPORAL_HOME"
  say "temporal: starting dev server on 127.0.0.1:$TEMPORAL_PORT, UI on 127.0.0.1:$TEMPORAL_UI_PORT (log: $TEMPORAL_HOME/server.log)"
  setsid nohup "$TEMPORAL_BIN" server start-dev --ip 127.0.0.1 --port "$TEMPORAL_PORT" \
    --ui-ip 127.0.0.1 --ui-port "$TEMPORAL_UI_PORT" --db-filename "$TEMPORAL_HOME/temporal.db" \
    --log-format json --log-level warn >"$TEMPORAL_HOME/server.log" 2>&1 </dev/null &
  echo $! >"$(pid_file temporal)"
  wait_until 90 temporal temporal_ready || fail "temporal: not ready after 90s; see $TEMPORAL_HOME/server.log"
  wait_until 60 "temporal UI" temporal_ui_ready || fail "temporal: UI not answering on $TEMPORAL_UI_PORT; see $TEMPORAL_HOME/server.log"
  say "temporal: ready"
  temporal_register_search_attributes
}

temporal_down() {
  running_pid temporal >/dev/null && say "temporal: stopping"
  stop_pid temporal
}

temporal_status() {
  if running_pid temporal >/dev/null && temporal_ready; then
    echo "temporal    127.0.0.1:$TEMPORAL_PORT   up     (dev server, CLI $TEMPORAL_CLI_VERSION)"
  else
    echo "temporal    127.0.0.1:$TEMPORAL_PORT   down"
    return 1
  fi
  if temporal_ui_ready; then
    echo "temporal-ui http://127.0.0.1:$TEMPORAL_UI_PORT   up     (HTTP 200)"
  else
    echo "temporal-ui http://127.0.0.1:$TEMPORAL_UI_PORT   down"
    return 1
  fi
}

temporal_logs() { echo "$TEMPORAL_HOME/server.log"; }

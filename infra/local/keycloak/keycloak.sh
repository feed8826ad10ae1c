# Keycloak, the OpenID Connect provider, from its server distribution on Maven Central, run on the machine's JDK.
# Realms `attest` and `attest-untrusted` are imported from realm.json; credentials are generated on the first start
# into .local/keycloak/credentials.json. Sourced by infra.sh.

KEYCLOAK_PORT="${ATTEST_KEYCLOAK_PORT:-8180}"
KEYCLOAK_MANAGEMENT_PORT="${ATTEST_KEYCLOAK_MANAGEMENT_PORT:-9190}"
KEYCLOAK_URL="http://127.0.0.1:$KEYCLOAK_PORT"
KEYCLOAK_HOME="$LOCAL_DIR/keycloak"
KEYCLOAK_DIST="$KEYCLOAK_HOME/keycloak-$KEYCLOAK_VERSION"
KEYCLOAK_CREDENTIALS="$KEYCLOAK_HOME/credentials.json"
KEYCLOAK_REALMS="$KEYCLOAK_HOME/realms"
KEYCLOAK_LOG="$KEYCLOAK_HOME/server.log"
# The realm files and credentials the database was imported from, by hash; another hash means re-import.
KEYCLOAK_IMPORTED="$KEYCLOAK_DIST/data/attest-realms.sha256"
# Build-time options, baked into the distribution once by `kc.sh build` so that every start skips Quarkus'
# augmentation (`start --optimized`). The dev-file database is H2 in $KEYCLOAK_DIST/data; health turns on the
# management interface.
KEYCLOAK_BUILD_OPTS=(--db=dev-file --health-enabled=true)

keycloak_install() {
  require_java "Keycloak $KEYCLOAK_VERSION"
  if [[ ! -f "$KEYCLOAK_DIST/.complete" ]]; then
    require_cmd mvn "install Apache Maven (Debian: apt-get install -y maven)"
    require_cmd unzip "install unzip (Debian: apt-get install -y unzip)"
    say "keycloak: fetching keycloak-quarkus-dist $KEYCLOAK_VERSION from Maven Central (first run only; 177 MB, kept in ~/.m2)..."
    local tmp="$KEYCLOAK_HOME/download"
    rm -rf "$tmp" "$KEYCLOAK_DIST"
    mvn -B -q -Dstyle.color=never org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact="org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip" -DoutputDirectory="$tmp" \
      >"$KEYCLOAK_HOME/download.log" 2>&1 ||
      fail "keycloak: Maven could not resolve keycloak-quarkus-dist $KEYCLOAK_VERSION; see $KEYCLOAK_HOME/download.log"
    unzip -q "$tmp/keycloak-quarkus-dist-$KEYCLOAK_VERSION.zip" -d "$tmp" || fail "keycloak: unzipping the distribution failed"
    mv "$tmp/keycloak-$KEYCLOAK_VERSION" "$KEYCLOAK_DIST"
    rm -rf "$tmp"
    touch "$KEYCLOAK_DIST/.complete"
  fi
  local stamp="$KEYCLOAK_DIST/.attest-build"
  if [[ "$(cat "$stamp" 2>/dev/null)" != "${KEYCLOAK_BUILD_OPTS[*]}" ]]; then
    say "keycloak: kc.sh build ${KEYCLOAK_BUILD_OPTS[*]} (first run only; about 30s)"
    "$KEYCLOAK_DIST/bin/kc.sh" build "${KEYCLOAK_BUILD_OPTS[@]}" >"$KEYCLOAK_HOME/build.log" 2>&1 ||
      fail "keycloak: kc.sh build failed; see $KEYCLOAK_HOME/build.log"
    echo "${KEYCLOAK_BUILD_OPTS[*]}" >"$stamp"
  fi
}

# Creates or completes the credentials, renders the import files into $KEYCLOAK_REALMS and sets KEYCLOAK_ENV
# (NAME=value: the bootstrap admin and the secrets the import files' placeholders name) and KEYCLOAK_REALMS_HASH.
keycloak_prepare() {
  local env_text
  env_text="$(node "$INFRA_DIR/keycloak/prepare-realms.cjs" "$KEYCLOAK_CREDENTIALS" "$KEYCLOAK_URL/realms/attest" \
    "$KEYCLOAK_REALMS")" || fail "keycloak: preparing the realm import failed"
  mapfile -t KEYCLOAK_ENV <<<"$env_text"
  KEYCLOAK_REALMS_HASH="$(cat "$KEYCLOAK_REALMS"/*.json "$KEYCLOAK_CREDENTIALS" | sha256sum | cut -d' ' -f1)"
}

keycloak_ready() {
  local realm
  for realm in attest attest-untrusted; do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 \
      "$KEYCLOAK_URL/realms/$realm/.well-known/openid-configuration")" == 200 ]] || return 1
  done
}

keycloak_wait_ready() {
  local start=$SECONDS
  until keycloak_ready; do
    running_pid keycloak >/dev/null || fail "keycloak: exited while starting; see $KEYCLOAK_LOG"
    ((SECONDS - start < 240)) || fail "keycloak: realms not served after 240s; see $KEYCLOAK_LOG"
    sleep 1
  done
}

keycloak_up() {
  keycloak_prepare
  if running_pid keycloak >/dev/null; then
    if [[ "$(cat "$KEYCLOAK_IMPORTED" 2>/dev/null)" == "$KEYCLOAK_REALMS_HASH" ]]; then
      keycloak_wait_ready
      say "keycloak: already up on $KEYCLOAK_URL"
      return 0
    fi
    say "keycloak: realm files or credentials changed since the import; restarting to re-import"
    keycloak_down
  fi
  keycloak_install
  ensure_port_free "$KEYCLOAK_PORT" keycloak
  ensure_port_free "$KEYCLOAK_MANAGEMENT_PORT" "keycloak management"
  local import=()
  if [[ "$(cat "$KEYCLOAK_IMPORTED" 2>/dev/null)" != "$KEYCLOAK_REALMS_HASH" ]]; then
    # Keycloak imports a realm only when it does not exist yet, so a changed realm file needs a fresh database.
    say "keycloak: importing realms attest and attest-untrusted into a fresh database"
    rm -rf "$KEYCLOAK_DIST/data"
    mkdir -p "$KEYCLOAK_DIST/data/import"
    cp "$KEYCLOAK_REALMS"/*.json "$KEYCLOAK_DIST/data/import/"
    import=(--import-realm)
  fi
  say "keycloak: starting $KEYCLOAK_VERSION on $KEYCLOAK_URL, management 127.0.0.1:$KEYCLOAK_MANAGEMENT_PORT (log: $KEYCLOAK_LOG)"
  local start=$SECONDS
  (
    export "${KEYCLOAK_ENV[@]}"
    export JAVA_OPTS_KC_HEAP="-Xms64m -Xmx512m"
    # The issuer is fixed to the loopback URL however a client reaches the server; --cache=local: one node, no
    # cluster discovery.
    exec setsid nohup "$KEYCLOAK_DIST/bin/kc.sh" start --optimized --http-enabled=true --http-host=127.0.0.1 \
      --http-port="$KEYCLOAK_PORT" --hostname="$KEYCLOAK_URL" --http-management-port="$KEYCLOAK_MANAGEMENT_PORT" \
      --cache=local "${import[@]}" >"$KEYCLOAK_LOG" 2>&1 </dev/null
  ) &
  echo $! >"$(pid_file keycloak)"
  keycloak_wait_ready
  echo "$KEYCLOAK_REALMS_HASH" >"$KEYCLOAK_IMPORTED"
  say "keycloak: ready in $((SECONDS - start))s (credentials: $KEYCLOAK_CREDENTIALS)"
}

keycloak_down() {
  local pid
  pid="$(running_pid keycloak)" || {
    rm -f "$(pid_file keycloak)"
    return 0
  }
  say "keycloak: stopping"
  # kc.sh runs Java as its child; setsid made kc.sh a process group leader, so signal the whole group.
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  local i
  for i in $(seq 1 30); do
    kill -0 -- "-$pid" 2>/dev/null || break
    sleep 1
  done
  if kill -0 -- "-$pid" 2>/dev/null; then
    say "keycloak did not stop in 30s; killing process group $pid"
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$(pid_file keycloak)"
}

keycloak_status() {
  if running_pid keycloak >/dev/null && keycloak_ready; then
    echo "keycloak    127.0.0.1:$KEYCLOAK_PORT   up     (Keycloak $KEYCLOAK_VERSION, realms attest and attest-untrusted, management :$KEYCLOAK_MANAGEMENT_PORT)"
  else
    echo "keycloak    127.0.0.1:$KEYCLOAK_PORT   down"
    return 1
  fi
}

keycloak_logs() { echo "$KEYCLOAK_LOG"; }

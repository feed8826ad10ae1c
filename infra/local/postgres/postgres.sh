# PostgreSQL from Debian's packages, as a private cluster of the project's own on 127.0.0.1. Sourced by infra.sh.

PG_PORT="${ATTEST_PG_PORT:-5432}"
PG_HOME="$LOCAL_DIR/postgres"
PG_LOG="$PG_HOME/postgres.log"
PG_BIN="/usr/lib/postgresql/$POSTGRES_MAJOR/bin"

# The server refuses to run as root, so as root the cluster belongs to the `postgres` system user.
if [[ $EUID -eq 0 ]]; then
  PG_AS=(runuser -u postgres --)
else
  PG_AS=()
fi

pg_data_dir() {
  local dir="$PG_HOME/data"
  if [[ $EUID -eq 0 ]] && ! runuser -u postgres -- test -x "$(dirname "$PG_HOME")" 2>/dev/null; then
    # A checkout the postgres user cannot enter: keep the cluster in its home instead, one per checkout.
    dir="/var/lib/postgresql/attest-$(printf '%s' "$ROOT_DIR" | md5sum | cut -c1-12)"
  fi
  echo "$dir"
}

postgres_install() {
  if [[ -x "$PG_BIN/postgres" ]]; then
    return 0
  fi
  [[ $EUID -eq 0 ]] || fail "PostgreSQL $POSTGRES_MAJOR is missing: run 'sudo apt-get install -y postgresql-$POSTGRES_MAJOR'"
  require_cmd apt-get "PostgreSQL $POSTGRES_MAJOR is missing and this is not a Debian system: install it and re-run"
  say "postgres: installing postgresql-$POSTGRES_MAJOR from Debian's packages (first run only)..."
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-$POSTGRES_MAJOR" >/dev/null ||
    fail "postgres: apt-get install postgresql-$POSTGRES_MAJOR failed"
  # The package may start its default cluster on 5432; it is ours (we just installed it), so stop it.
  pg_ctlcluster "$POSTGRES_MAJOR" main stop 2>/dev/null || true
}

pg_ready() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; }

pg_psql() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres "$@"; }

postgres_create_databases() {
  pg_psql -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'attest'" | grep -q 1 ||
    pg_psql -c "CREATE ROLE attest LOGIN CREATEDB"
  # Tests drop their databases WITH (FORCE), which must also end an autovacuum worker that happens to be there.
  pg_psql -c "SET client_min_messages = warning; GRANT pg_signal_backend TO attest" >/dev/null
  local db
  while read -r db; do
    [[ -z "$db" || "$db" == \#* ]] && continue
    pg_psql -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1 ||
      pg_psql -c "CREATE DATABASE $db OWNER attest"
  done <"$INFRA_DIR/postgres/databases.txt"
}

postgres_up() {
  local data
  data="$(pg_data_dir)"
  if running_pid postgres >/dev/null; then
    say "postgres: already up on 127.0.0.1:$PG_PORT"
    postgres_create_databases
    return 0
  fi
  postgres_install
  ensure_port_free "$PG_PORT" postgres
  mkdir -p "$PG_HOME" "$data"
  touch "$PG_LOG"
  if [[ $EUID -eq 0 ]]; then
    chown postgres:postgres "$PG_HOME" "$data" "$PG_LOG"
  fi
  if [[ ! -f "$data/PG_VERSION" ]]; then
    say "postgres: creating a cluster in $data"
    # Trust on loopback only: a developer's throwaway cluster with no secrets to commit.
    "${PG_AS[@]}" "$PG_BIN/initdb" -D "$data" -U postgres --auth-local=trust --auth-host=trust -E UTF8 \
      --locale=C.UTF-8 >"$PG_HOME/initdb.log" 2>&1 || fail "postgres: initdb failed; see $PG_HOME/initdb.log"
  fi
  say "postgres: starting $POSTGRES_MAJOR on 127.0.0.1:$PG_PORT (log: $PG_LOG)"
  "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$data" -l "$PG_LOG" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -c unix_socket_directories='' -c max_connections=200 -c fsync=on" \
    start >/dev/null || fail "postgres: did not start; see $PG_LOG"
  head -1 "$data/postmaster.pid" >"$(pid_file postgres)"
  wait_until 30 postgres pg_ready || fail "postgres: not accepting connections; see $PG_LOG"
  postgres_create_databases
  say "postgres: ready ($(grep -cv '^#' "$INFRA_DIR/postgres/databases.txt") databases)"
}

postgres_down() {
  running_pid postgres >/dev/null || {
    rm -f "$(pid_file postgres)"
    return 0
  }
  say "postgres: stopping"
  "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$(pg_data_dir)" -m fast -w stop >/dev/null || stop_pid postgres
  rm -f "$(pid_file postgres)"
}

postgres_status() {
  if running_pid postgres >/dev/null && pg_ready; then
    echo "postgres    127.0.0.1:$PG_PORT   up     (PostgreSQL $POSTGRES_MAJOR, databases: $(grep -v '^#' "$INFRA_DIR/postgres/databases.txt" | paste -sd, -))"
  else
    echo "postgres    127.0.0.1:$PG_PORT   down"
    return 1
  fi
}

postgres_logs() { echo "$PG_LOG"; }

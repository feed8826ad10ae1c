# Shared helpers for the local infrastructure scripts: paths, messages, pid files and port checks.
# Sourced, never run.

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOT_DIR="$(cd "$INFRA_DIR/../.." && pwd)"
LOCAL_DIR="${ATTEST_LOCAL_DIR:-$ROOT_DIR/.local}"
RUN_DIR="$LOCAL_DIR/run"
# shellcheck source=../versions.env
source "$INFRA_DIR/versions.env"

mkdir -p "$RUN_DIR"

say() { printf '[infra] %s\n' "$*"; }
fail() {
  printf '[infra] ERROR: %s\n' "$*" >&2
  exit 1
}

# require_cmd NAME HOW_TO_GET_IT
require_cmd() {
  command -v "$1" >/dev/null 2>&1 || fail "'$1' is missing: $2"
}

pid_file() { echo "$RUN_DIR/$1.pid"; }

# Prints the pid recorded for a component if that process is still alive.
running_pid() {
  local f pid
  f="$(pid_file "$1")"
  [[ -f "$f" ]] || return 1
  pid="$(cat "$f")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Fails when a port we are about to bind is held by a process we did not start.
ensure_port_free() {
  local port="$1" what="$2"
  if port_open "$port"; then
    local holder
    holder="$(ss -ltnpH "sport = :$port" 2>/dev/null | sed -n 's/.*users:((\("[^"]*"\),pid=\([0-9]*\).*/\1 pid \2/p' | head -1)"
    fail "port $port needed by $what is taken by another process (${holder:-unknown}); stop it or free the port"
  fi
}

# wait_until SECONDS DESCRIPTION COMMAND... : polls COMMAND once a second.
wait_until() {
  local timeout="$1" what="$2"
  shift 2
  local start=$SECONDS
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS - start >= timeout)); then
      return 1
    fi
    sleep 1
  done
}

stop_pid() {
  local name="$1" pid
  pid="$(running_pid "$name")" || {
    rm -f "$(pid_file "$name")"
    return 0
  }
  kill "$pid" 2>/dev/null || true
  local i
  for i in $(seq 1 30); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "$name did not stop in 30s; killing pid $pid"
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$(pid_file "$name")"
}

# maven_copy_deps POM DEST [-Dprop=value ...]: resolves a committed Maven project's runtime dependencies
# from Maven Central into DEST once; later calls find DEST complete and return at once.
maven_copy_deps() {
  local pom="$1" dest="$2"
  shift 2
  [[ -f "$dest/.complete" ]] && return 0
  require_cmd mvn "install Apache Maven (Debian: apt-get install -y maven)"
  rm -rf "$dest"
  mvn -B -q -Dstyle.color=never -f "$pom" "$@" dependency:copy-dependencies -DoutputDirectory="$dest" \
    -DincludeScope=runtime || return 1
  touch "$dest/.complete"
}

require_java() {
  require_cmd java "install a JDK 17 or newer (Debian: apt-get install -y openjdk-17-jdk-headless)"
  local major
  major="$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)"
  ((major >= 17)) || fail "$1 needs Java 17 or newer, found Java $major; install openjdk-17-jdk-headless"
}

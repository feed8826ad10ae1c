# Installs npm dependencies when node_modules is missing or older than the lock file. Sourced.
ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if [[ ! -d "$ROOT_DIR/node_modules" || "$ROOT_DIR/package-lock.json" -nt "$ROOT_DIR/node_modules/.package-lock.json" ]]; then
  echo "[deps] npm ci..."
  (cd "$ROOT_DIR" && npm ci --no-audit --no-fund --loglevel=error) || {
    echo "[deps] ERROR: npm ci failed" >&2
    exit 1
  }
fi

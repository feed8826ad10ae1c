#!/usr/bin/env bash
# Makes sure poppler's `pdftotext` is on PATH: the audit-report and auditor-engagement specs read the rendered PDF
# reports back with it. On Debian/Ubuntu it installs poppler-utils with apt-get (as root, or through sudo when that
# needs no password); elsewhere it names the package to install and fails, so no spec silently skips the PDF.
set -euo pipefail
command -v pdftotext >/dev/null 2>&1 && exit 0

fail() {
  echo "[deps] ERROR: pdftotext is missing; install poppler (Debian/Ubuntu: apt-get install -y poppler-utils)" >&2
  exit 1
}
command -v apt-get >/dev/null 2>&1 || fail
if [[ "$(id -u)" -eq 0 ]]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  fail
fi
echo "[deps] installing poppler-utils (pdftotext)..."
# The package lists of a fresh machine may be empty or stale: update once when the first try finds nothing.
"${as_root[@]}" apt-get install -y --no-install-recommends poppler-utils >/dev/null 2>&1 || {
  "${as_root[@]}" apt-get update >/dev/null && "${as_root[@]}" apt-get install -y --no-install-recommends poppler-utils >/dev/null
} || fail
command -v pdftotext >/dev/null 2>&1 || fail

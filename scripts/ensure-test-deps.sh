#!/usr/bin/env bash
# The tests start real redis-server processes (and use openssl for TLS certificates).
# Install them when missing and we may (root with apt); otherwise say exactly what to run.
set -euo pipefail
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${missing[*]} for the tests (apt-get)…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi
echo "The tests need ${missing[*]} on PATH." >&2
echo "Fix: sudo apt-get install -y ${missing[*]}   (macOS: brew install redis openssl)" >&2
exit 1

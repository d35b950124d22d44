#!/usr/bin/env bash
# The tests start real redis-server processes (and use openssl for TLS certificates), and check
# what the apps read against the real redis-py 4 and python-dotenv (the live oracles, run by
# /usr/bin/python3 or $PYTHON_ORACLE). Install them when missing and we may (root with apt);
# otherwise say exactly what to run.
set -euo pipefail
PYTHON="${PYTHON_ORACLE:-/usr/bin/python3}"
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
"$PYTHON" -c 'import redis' >/dev/null 2>&1 || missing+=(python3-redis)
"$PYTHON" -c 'import dotenv' >/dev/null 2>&1 || missing+=(python3-dotenv)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${missing[*]} for the tests (apt-get)…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi
echo "The tests need ${missing[*]}." >&2
echo "Fix: sudo apt-get install -y ${missing[*]}   (elsewhere: pip install 'redis>=4,<5' python-dotenv, then PYTHON_ORACLE=\$(which python3))" >&2
exit 1

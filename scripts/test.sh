#!/usr/bin/env bash
# Runs the whole test suite on SQLite (with the browser tests in Chromium), then the search
# and topic tests again on PostgreSQL
# (a server on 127.0.0.1:5432 if one answers, else one installed and started by
# scripts/postgres.sh, and stopped afterwards). Called by `make test` (and so by .ci/run).
# Arguments go to pytest; with arguments, only the SQLite run happens.
set -euo pipefail
cd "$(dirname "$0")/.."
export DATELINE_HOME="${DATELINE_TEST_HOME:-$(mktemp -d -t dateline-test-XXXXXX)}"
cleanup() {
  scripts/postgres.sh stop || true
  rm -rf "$DATELINE_HOME"
}
trap cleanup EXIT

# The browser tests' tools: Debian's Chromium (never a test tool's own download) and axe-core from npm.
if [ ! -x /usr/bin/chromium ] || ! command -v npm >/dev/null; then
  echo "installing Chromium and npm from Debian's packages ..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium npm) >/dev/null
fi
if [ ! -f node_modules/axe-core/axe.min.js ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --silent --no-audit --no-fund
fi
export DATELINE_REQUIRE_BROWSER=1

echo "== SQLite: the whole suite"
.venv/bin/python -m pytest "$@"
[ "$#" -gt 0 ] && exit 0

echo "== PostgreSQL: search and topics"
eval "$(scripts/postgres.sh start)"
export DATABASE_URL DATELINE_PG_DIR
.venv/bin/python -m pytest -p no:cacheprovider tests/search tests/topics

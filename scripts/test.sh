#!/usr/bin/env bash
# Runs the whole test suite twice: on SQLite with the file caches, then on PostgreSQL with Redis
# (servers on 127.0.0.1:5432 and :6379 if they answer, else installed with apt and started on
# loopback ports by scripts/postgres.sh and scripts/redis.sh, and stopped afterwards).
# Browser tests run in Chromium, static-publishing tests behind nginx, both installed here.
# Called by `make test` (and so by .ci/run). Arguments go to pytest; with arguments, only the
# SQLite run happens.
set -euo pipefail
cd "$(dirname "$0")/.."
export DATELINE_HOME="${DATELINE_TEST_HOME:-$(mktemp -d -t dateline-test-XXXXXX)}"
cleanup() {
  scripts/postgres.sh stop || true
  scripts/redis.sh stop || true
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
# nginx, for the tests that serve a publish-static folder through it.
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  echo "installing nginx from Debian's packages ..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light) >/dev/null
  service nginx stop >/dev/null 2>&1 || true  # the package starts a server on port 80; the tests start their own
fi
export DATELINE_REQUIRE_NGINX=1

echo "== SQLite: the whole suite"
.venv/bin/python -m pytest "$@"
[ "$#" -gt 0 ] && exit 0

echo "== PostgreSQL and Redis: the whole suite again"
eval "$(scripts/postgres.sh start)"
eval "$(scripts/redis.sh start)"
export DATABASE_URL DATELINE_PG_DIR REDIS_URL DATELINE_REDIS_DIR
.venv/bin/python -m pytest -p no:cacheprovider

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

# The tests' outside tools, each installed on its own only when missing (scripts/tools.sh): Debian's
# Chromium (never a test tool's own download), the machine's Node.js and npm for axe-core, and nginx
# for the tests that serve a publish-static folder through it.
scripts/tools.sh browser nginx
export DATELINE_REQUIRE_BROWSER=1 DATELINE_REQUIRE_NGINX=1

echo "== SQLite: the whole suite"
.venv/bin/python -m pytest "$@"
[ "$#" -gt 0 ] && exit 0

echo "== PostgreSQL and Redis: the whole suite again"
eval "$(scripts/postgres.sh start)"
eval "$(scripts/redis.sh start)"
export DATABASE_URL DATELINE_PG_DIR REDIS_URL DATELINE_REDIS_DIR
.venv/bin/python -m pytest -p no:cacheprovider

#!/usr/bin/env bash
# Runs the whole test suite on SQLite, then the search and topic tests again on PostgreSQL
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

echo "== SQLite: the whole suite"
.venv/bin/python -m pytest "$@"
[ "$#" -gt 0 ] && exit 0

echo "== PostgreSQL: search and topics"
eval "$(scripts/postgres.sh start)"
export DATABASE_URL DATELINE_PG_DIR
.venv/bin/python -m pytest -p no:cacheprovider tests/search tests/topics

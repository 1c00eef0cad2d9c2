#!/usr/bin/env bash
# Prints a DATABASE_URL for a PostgreSQL server the tests may use, starting one if need be.
#
#   eval "$(scripts/postgres.sh start)"   # sets DATABASE_URL (and DATELINE_PG_DIR if it started one)
#   scripts/postgres.sh stop              # stops the server it started (no-op otherwise)
#
# A server already listening on 127.0.0.1:5432 with trust authentication is used as it is.
# Otherwise PostgreSQL is installed from Debian's packages (apt) if missing, and a private
# server is started on a loopback port with its data in a temporary folder (also when
# DATELINE_PG_PRIVATE=1, to try that path on a machine that has a server).
set -euo pipefail
PORT=${DATELINE_PG_PORT:-55432}

start() {
  if [ -z "${DATELINE_PG_PRIVATE:-}" ] && pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1; then
    echo "export DATABASE_URL=postgres://postgres@127.0.0.1:5432/dateline"
    return
  fi
  "$(dirname "$0")/tools.sh" postgres >&2
  local bin dir
  bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")
  dir=$(mktemp -d -t dateline-pg-XXXXXX)
  local as=()
  if [ "$(id -u)" = 0 ]; then  # PostgreSQL refuses to run as root
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$dir"
    as=(runuser -u postgres --)
  fi
  "${as[@]}" "$bin/initdb" -D "$dir/data" -U postgres -A trust >/dev/null
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
    -o "-h 127.0.0.1 -p $PORT -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
  echo "export DATABASE_URL=postgres://postgres@127.0.0.1:$PORT/dateline DATELINE_PG_DIR=$dir"
}

stop() {
  if [ -n "${DATELINE_PG_DIR:-}" ] && [ -d "$DATELINE_PG_DIR/data" ]; then
    local bin as=()
    bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -1)")
    [ "$(id -u)" = 0 ] && as=(runuser -u postgres --)
    "${as[@]}" "$bin/pg_ctl" -D "$DATELINE_PG_DIR/data" -m fast stop >/dev/null || true
    rm -rf "$DATELINE_PG_DIR"
  fi
}

"${1:-start}"

#!/usr/bin/env bash
# Prints a REDIS_URL for a Redis server the tests may use, starting one if need be.
#
#   eval "$(scripts/redis.sh start)"   # sets REDIS_URL (and DATELINE_REDIS_DIR if it started one)
#   scripts/redis.sh stop              # stops the server it started (no-op otherwise)
#
# A server already answering on 127.0.0.1:6379 is used, database 15 only (the tests empty it).
# Otherwise Redis is installed from Debian's packages (apt) if missing and a private server is
# started on a loopback port, keeping nothing on disk (also when DATELINE_REDIS_PRIVATE=1).
set -euo pipefail
PORT=${DATELINE_REDIS_PORT:-56379}

start() {
  if [ -z "${DATELINE_REDIS_PRIVATE:-}" ] && command -v redis-cli >/dev/null \
     && [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ]; then
    echo "export REDIS_URL=redis://127.0.0.1:6379/15"
    return
  fi
  "$(dirname "$0")/tools.sh" redis >&2
  local dir
  dir=$(mktemp -d -t dateline-redis-XXXXXX)
  # As production should run it: bounded, evicting the least recently used keys (README, Speed).
  redis-server --bind 127.0.0.1 --port "$PORT" --save '' --appendonly no --dir "$dir" \
    --maxmemory 256mb --maxmemory-policy allkeys-lru \
    --pidfile "$dir/redis.pid" --logfile "$dir/log" --daemonize yes >&2
  for _ in $(seq 600); do  # up to 60 s on a busy machine
    [ "$(redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null)" = PONG ] && break
    sleep 0.1
  done
  echo "export REDIS_URL=redis://127.0.0.1:$PORT/0 DATELINE_REDIS_DIR=$dir"
}

stop() {
  if [ -n "${DATELINE_REDIS_DIR:-}" ] && [ -f "$DATELINE_REDIS_DIR/redis.pid" ]; then
    kill "$(cat "$DATELINE_REDIS_DIR/redis.pid")" 2>/dev/null || true
    rm -rf "$DATELINE_REDIS_DIR"
  fi
}

"${1:-start}"

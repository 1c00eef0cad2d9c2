#!/usr/bin/env bash
# Measures the article page under granian and gunicorn, one after the other, in one run.
# Server pinned to core 0, wrk to core 1; loopback only; every wrk run bounded in time.
#   bash bench/run.sh            (make bench)
# Env: DURATION (s, default 10), CONNECTIONS (default 16), WORKERS (default 1).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-16}
WORKERS=${WORKERS:-1}
PORT=${PORT:-8765}

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

export DATELINE_HOME=${BENCH_HOME:-$(mktemp -d -t dateline-bench-XXXXXX)}
export DJANGO_SETTINGS_MODULE=dateline.settings.production
export DATELINE_SECRET_KEY=bench-only-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
export DATELINE_ALLOWED_HOSTS=127.0.0.1,localhost
export DATELINE_HTTPS=false
export DATELINE_LOG_LEVEL=WARNING

.venv/bin/dateline migrate --noinput -v0
.venv/bin/dateline load-demo >/dev/null
.venv/bin/dateline collectstatic --noinput -v0
URL="http://127.0.0.1:${PORT}$(.venv/bin/dateline shell -c 'from dateline.news.models import ArticlePage; print(ArticlePage.objects.get(title__startswith="Ostrel coast plans").url)' 2>/dev/null | tail -1)"

STATIC_URL_PATH="http://127.0.0.1:${PORT}/static/news/css/error.css"

measure() {  # server label url
  local out
  taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 5s "$3" >/dev/null   # warm-up, discarded
  out=$(taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 5s --latency "$3")
  echo "$out" >"bench/results/$1-$2.wrk.txt"
  printf "%-10s %-8s %10s %10s %10s %10s %s\n" "$1" "$2" \
    "$(echo "$out" | awk '/Requests\/sec/ {print $2}')" \
    "$(echo "$out" | awk '$1=="50%" {print $2}')" \
    "$(echo "$out" | awk '$1=="90%" {print $2}')" \
    "$(echo "$out" | awk '$1=="99%" {print $2}')" \
    "$(echo "$out" | awk '/Non-2xx|Socket errors/ {printf "%s ", $0}')" | tee -a bench/results/servers.txt
}

mkdir -p bench/results
printf "%-10s %-8s %10s %10s %10s %10s\n" server page "req/s" p50 p90 p99 | tee bench/results/servers.txt
for server in granian gunicorn; do
  taskset -c 0 .venv/bin/dateline serve --server "$server" --host 127.0.0.1 --port "$PORT" --workers "$WORKERS" --no-collectstatic >"bench/results/$server.log" 2>&1 &
  pid=$!
  for _ in $(seq 50); do curl -fsS -o /dev/null "$URL" 2>/dev/null && break; sleep 0.2; done
  measure "$server" article "$URL"
  measure "$server" static "$STATIC_URL_PATH"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
echo "article: $URL"
echo "static:  $STATIC_URL_PATH (served by whitenoise inside the app)"
echo "${DURATION}s per run after a discarded warm-up, ${CONNECTIONS} connections, ${WORKERS} worker(s) pinned to core 0, wrk on core 1"

#!/usr/bin/env bash
# The whole SQLite pass of the suite, RUNS times (default 3), while stress-ng keeps one core fully
# busy (pinned to core 0): a test that leans on timing fails here. Prints each run's result and time.
#
#   scripts/busy-core-check.sh [RUNS] [PYTEST ARGS...]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
shift || true
make install >/dev/null
scripts/tools.sh stress
stress-ng --cpu 1 --taskset 0 --cpu-method int64 --timeout 4h --quiet &
stress=$!
trap 'kill "$stress" 2>/dev/null || true; wait "$stress" 2>/dev/null || true' EXIT
failed=0
results=()
for run in $(seq "$RUNS"); do
  t0=$(date +%s)
  rc=0
  log=$(mktemp -t dateline-busy-XXXXXX.log)
  bash scripts/test.sh -q -p no:cacheprovider "$@" >"$log" 2>&1 || rc=$?
  line=$(grep -E "(passed|failed).* in [0-9.]+s" "$log" | tail -1 || true)
  results+=("run $run: exit $rc, $(( $(date +%s) - t0 )) s: $line")
  echo "${results[-1]}"
  if [ "$rc" != 0 ]; then failed=1; grep -E "^(FAILED|ERROR)" "$log" || tail -30 "$log"; fi
done
echo "== busy-core check: ${#results[@]} runs with one core busy"
printf '%s\n' "${results[@]}"
exit "$failed"

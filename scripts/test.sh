#!/usr/bin/env bash
# Runs the whole test suite. Called by `make test` (and so by .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
export DATELINE_HOME="${DATELINE_TEST_HOME:-$(mktemp -d -t dateline-test-XXXXXX)}"
trap 'rm -rf "$DATELINE_HOME"' EXIT
.venv/bin/python -m pytest "$@"

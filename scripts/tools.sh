#!/usr/bin/env bash
# Installs the outside tools Dateline's scripts need, each on its own and only when missing.
#
#   scripts/tools.sh venv       Python's venv module (Debian: python3-venv)
#   scripts/tools.sh browser    Chromium (Debian's package) and Node.js >= 18 with npm, then axe-core (npm ci)
#   scripts/tools.sh nginx      nginx (Debian's nginx-light), for the static-publishing tests
#   scripts/tools.sh wrk        wrk, for the benchmarks
#   scripts/tools.sh stress     stress-ng, for the busy-core run of the suite
#   scripts/tools.sh postgres   PostgreSQL's server programs, when no server answers on 127.0.0.1:5432
#   scripts/tools.sh redis      Redis's server, when none answers on 127.0.0.1:6379
#
# A tool already on the machine is used as it is (a Node.js from NodeSource, say, with its own npm).
# A package apt cannot install stops the command with a message naming the package, what it is for,
# and apt's own reason, and a non-zero exit. Root runs apt directly; another user goes through sudo.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "tools: $*" >&2; }
fail() { echo "tools: error: $*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo -n "$@"
  else return 126
  fi
}

APT_UPDATED=
# A fresh machine often has apt busy for its first minutes (unattended upgrades), and two set-up runs
# may overlap: wait up to 10 minutes for apt's lock instead of failing at once.
APT_WAIT=(-o DPkg::Lock::Timeout=600)
# apt_install PACKAGE WHY: install one Debian package, or stop saying which, why it is needed and why it failed.
apt_install() {
  local package=$1 why=$2 log rc=0
  local no_root="$package is needed ($why) and is not installed; installing it needs root or passwordless sudo: run 'sudo apt-get install $package', then this again"
  log=$(mktemp -t dateline-apt-XXXXXX)
  say "installing $package from Debian's packages ($why) ..."
  if [ -z "$APT_UPDATED" ]; then
    as_root apt-get "${APT_WAIT[@]}" update -qq >"$log" 2>&1 || rc=$?
    [ "$rc" = 126 ] && fail "$no_root"
    [ "$rc" = 0 ] || fail "apt-get update failed, so $package ($why) cannot be installed:"$'\n'"$(tail -5 "$log")"
    APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get "${APT_WAIT[@]}" install -y -qq "$package" >"$log" 2>&1 || rc=$?
  [ "$rc" = 126 ] && fail "$no_root"
  [ "$rc" = 0 ] || fail "apt-get could not install $package ($why). apt said:"$'\n'"$(grep -E '^(E:|W:| )' "$log" | tail -12)"
  rm -f "$log"
}

node_major() { node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/'; }

tool_venv() {
  local python=${PYTHON:-python3}
  command -v "$python" >/dev/null || fail "$python not found: Dateline needs Python 3.11 or newer"
  "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || fail "$python is Python $("$python" -c 'import platform; print(platform.python_version())'); Dateline needs 3.11 or newer (set PYTHON=python3.11)"
  if ! "$python" -c 'import ensurepip, venv' 2>/dev/null; then
    apt_install python3-venv "Python's venv module, for .venv"
  fi
}

tool_browser() {
  if [ ! -x "${DATELINE_CHROMIUM:-/usr/bin/chromium}" ]; then
    apt_install chromium "the browser the browser tests drive"
  fi
  if ! command -v node >/dev/null; then
    apt_install nodejs "Node.js, to install axe-core for the accessibility tests"
  fi
  local major
  major=$(node_major)
  [ -n "$major" ] && [ "$major" -ge 18 ] \
    || fail "Node.js $(node --version 2>/dev/null || echo '?') at $(command -v node) is too old: the tests' npm tools need Node.js 18 or newer"
  if ! command -v npm >/dev/null; then
    # Debian's npm goes with Debian's nodejs only; NodeSource's nodejs brings its own npm and conflicts with it.
    if dpkg-query -W -f '${Version}' nodejs 2>/dev/null | grep -q nodesource; then
      fail "Node.js $(node --version) from NodeSource is installed without its npm, and Debian's npm package conflicts with it: reinstall NodeSource's nodejs package (it includes npm), then run this again"
    fi
    apt_install npm "npm, to install axe-core for the accessibility tests"
  fi
  if [ ! -f node_modules/axe-core/axe.min.js ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing the npm packages in package-lock.json (npm ci) ..."
    npm ci --silent --no-audit --no-fund || fail "npm ci failed (Node.js $(node --version), npm $(npm --version))"
  fi
}

tool_nginx() {
  if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
    apt_install nginx-light "the web server the static-publishing tests serve files through"
    # The package starts a server on port 80; the tests start their own.
    as_root service nginx stop >/dev/null 2>&1 || true
  fi
}

tool_wrk() {
  command -v wrk >/dev/null || apt_install wrk "the HTTP load generator of the benchmarks"
}

tool_postgres() {
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || apt_install postgresql "the database of the tests' second pass"
}

tool_redis() {
  command -v redis-server >/dev/null || apt_install redis-server "the cache of the tests' second pass"
}

tool_stress() {
  command -v stress-ng >/dev/null || apt_install stress-ng "a busy core for the busy-machine run of the suite"
}

[ "$#" -gt 0 ] || { sed -n '2,14p' "$0"; exit 2; }
for tool in "$@"; do
  case "$tool" in
    venv|browser|nginx|wrk|stress|postgres|redis) "tool_$tool" ;;
    *) fail "unknown tool '$tool' (venv, browser, nginx, wrk, stress, postgres, redis)" ;;
  esac
done

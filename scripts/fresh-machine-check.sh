#!/usr/bin/env bash
# Runs the README's two commands as a newcomer would: a new user with an empty HOME, a fresh clone of
# this repository's committed HEAD (no .venv, no node_modules, no var/), nothing on PATH but the
# system's own folders, no variables of ours. Then `make test`, then `make run`, checked by fetching
# the home page, the admin's sign-in page and the newsletters' sign-up, and by finding its worker. Prints what each printed last, its exit code and time.
#
#   sudo scripts/fresh-machine-check.sh [--keep] [--remove-tools] [REV]
#
#   REV             what to clone (default HEAD); uncommitted changes are not part of the check
#   --remove-tools  first remove Chromium, nginx and stress-ng with apt (on a throwaway machine only),
#                   so that `make test` must install them itself
#   --keep          keep the user, its HOME and the logs afterwards
#
# Root is needed to create the user; the user gets passwordless sudo for the run (as a developer on
# a fresh Debian machine has), which `make test` uses to install the tools that are missing. The
# shared samples (../shared) are copied beside the clone, read-only, as CI lays them out.
set -euo pipefail
KEEP= REMOVE= REV=HEAD
for arg in "$@"; do
  case "$arg" in
    --keep) KEEP=1 ;;
    --remove-tools) REMOVE=1 ;;
    -*) echo "unknown option $arg" >&2; exit 2 ;;
    *) REV=$arg ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "fresh-machine-check: run as root (it creates a throwaway user)" >&2; exit 2; }
REPO=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
COMMIT=$(git -C "$REPO" rev-parse "$REV")
USER_NAME=dlfresh$$
HOME_DIR=$(mktemp -d -t dateline-fresh-XXXXXX)
PORT=${PORT:-8000}
started=$(date +%s)

cleanup() {
  pkill -KILL -u "$USER_NAME" 2>/dev/null || true
  if [ -z "$KEEP" ]; then
    rm -f "/etc/sudoers.d/$USER_NAME"
    userdel "$USER_NAME" 2>/dev/null || true
    rm -rf "$HOME_DIR"
  else
    echo "kept: user $USER_NAME, HOME $HOME_DIR"
  fi
}
trap cleanup EXIT

if [ -n "$REMOVE" ]; then
  echo "== removing Chromium, nginx and stress-ng (--remove-tools)"
  DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq chromium chromium-common nginx-light nginx-common nginx \
    stress-ng >/dev/null 2>&1 || true
  apt-get autoremove -y -qq >/dev/null 2>&1 || true
fi
command -v sudo >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sudo >/dev/null; }

echo "== a new user $USER_NAME with an empty HOME $HOME_DIR"
useradd --home-dir "$HOME_DIR" --shell /bin/bash "$USER_NAME"
echo "$USER_NAME ALL=(ALL) NOPASSWD: ALL" >"/etc/sudoers.d/$USER_NAME"
chmod 0440 "/etc/sudoers.d/$USER_NAME"
mkdir -p "$HOME_DIR/work"
git clone --quiet --no-local "$REPO" "$HOME_DIR/work/main"
git -C "$HOME_DIR/work/main" checkout --quiet "$COMMIT"
if [ -d "$REPO/../shared" ]; then
  cp -r "$REPO/../shared" "$HOME_DIR/work/shared"
  chmod -R a-w "$HOME_DIR/work/shared"
fi
chown -R "$USER_NAME:" "$HOME_DIR"
chmod 700 "$HOME_DIR"
echo "   clone of $COMMIT; tools before: chromium $([ -x /usr/bin/chromium ] && echo yes || echo no)," \
  "nginx $(command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] && echo yes || echo no)," \
  "node $(node --version 2>/dev/null || echo no), npm $(npm --version 2>/dev/null || echo no)"

as_newcomer() {
  runuser -u "$USER_NAME" -- env -i HOME="$HOME_DIR" USER="$USER_NAME" LOGNAME="$USER_NAME" LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin SHELL=/bin/bash \
    bash -c "cd '$HOME_DIR/work/main' && $1"
}

echo "== make test"
t0=$(date +%s)
test_rc=0
as_newcomer "make test" >"$HOME_DIR/make-test.log" 2>&1 || test_rc=$?
t1=$(date +%s)
grep -E "^(== |tools: )|(passed|failed|error).* in [0-9.]+s" "$HOME_DIR/make-test.log" || true
[ "$test_rc" = 0 ] || tail -40 "$HOME_DIR/make-test.log"
echo "   make test: exit $test_rc after $((t1 - t0)) s"

echo "== make run (port $PORT)"
run_rc=0
as_newcomer "make run PORT=$PORT" >"$HOME_DIR/make-run.log" 2>&1 &
runner=$!
home_status= admin_status= signup_status= worker=no stories=0
for _ in $(seq 600); do  # install, migrate and demo first: up to 10 minutes
  home_status=$(curl -s -o "$HOME_DIR/home.html" -w '%{http_code}' "http://127.0.0.1:$PORT/" || true)
  [ "$home_status" = 200 ] && break
  kill -0 "$runner" 2>/dev/null || break
  sleep 1
done
if [ "$home_status" = 200 ]; then
  admin_status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/admin/login/" || true)
  signup_status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/newsletters/" || true)
  pgrep -u "$USER_NAME" -f "dateline.cli worker" >/dev/null && worker=yes
  stories=$(grep -o '<article' "$HOME_DIR/home.html" | wc -l)
else
  run_rc=1
fi
pkill -TERM -u "$USER_NAME" 2>/dev/null || true
wait "$runner" 2>/dev/null || true
[ "$home_status" = 200 ] && [ "$admin_status" = 200 ] && [ "$signup_status" = 200 ] && [ "$worker" = yes ] &&
  [ "$stories" -gt 0 ] || run_rc=1
[ "$run_rc" = 0 ] || tail -30 "$HOME_DIR/make-run.log"
echo "   make run: home page $home_status with $stories stories, admin sign-in $admin_status," \
  "newsletters sign-up $signup_status, a newsletter worker running: $worker"

echo "== fresh-machine check of $COMMIT: make test exit $test_rc, make run $([ "$run_rc" = 0 ] && echo served || echo FAILED)," \
  "$(( $(date +%s) - started )) s in all"
[ "$test_rc" = 0 ] && [ "$run_rc" = 0 ]

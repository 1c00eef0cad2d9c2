"""The ``dateline`` console script.

``dateline serve`` starts the production HTTP server; every other word is a Django or
Wagtail management command, with hyphens allowed (``import-text`` runs ``import_text``).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time

from dateline.settings import default_module

SERVERS = ("granian", "gunicorn")
DEFAULT_SERVER = "granian"


# The SQLite page cache of each of the app server's connections, in KiB (DATELINE_SQLITE_CACHE_KB).
SERVER_SQLITE_CACHE_KB = 64
# Threads a worker (DATELINE_SERVE_THREADS): enough that a handful of slow clients cannot take them
# all (dateline/bodies.py); each holds its own database connection. At 100,000 stories, rendering
# every request, 16 held 180 MiB in all and served 642 req/s; 32 held 193 MiB and served 549, the
# threads contending for the interpreter (bench/README.md, "The app server's memory").
SERVE_THREADS = 16


def _serve_command(server: str, host: str, port: int, workers: int, threads: int) -> list[str]:
    if server == "granian":
        return [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "--host",
            host,
            "--port",
            str(port),
            "--workers",
            str(workers),
            # Many threads a worker, so a few requests waiting on slow clients (see dateline/bodies.py)
            # never hold up the readers behind them.
            "--blocking-threads",
            str(threads),
            "--no-ws",
            "dateline.wsgi:application",
        ]
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--access-logfile",
        "-",
        "dateline.wsgi:application",
    ]


def serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="dateline serve", description="Serve the site with a production HTTP server.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--threads",
        type=int,
        default=int(os.environ.get("DATELINE_SERVE_THREADS", str(SERVE_THREADS))),
        help=f"threads a worker (default {SERVE_THREADS}, or DATELINE_SERVE_THREADS)",
    )
    parser.add_argument("--server", choices=SERVERS, default=os.environ.get("DATELINE_SERVER", DEFAULT_SERVER))
    parser.add_argument(
        "--scheduler",
        type=int,
        metavar="SECONDS",
        default=0,
        help="also run publish_scheduled every SECONDS (0: off; use cron or a timer instead)",
    )
    parser.add_argument(
        "--worker",
        action="store_true",
        help="also run `dateline worker` (newsletters and alerts), restarted if it stops; "
        "in production run workers as services of their own instead",
    )
    parser.add_argument("--no-collectstatic", action="store_true")
    args = parser.parse_args(argv)

    if not args.no_collectstatic:
        subprocess.run([sys.executable, "-m", "dateline.cli", "collectstatic", "--noinput", "-v0"], check=True)

    # What a worker's threads hold (bench/memory.py, at 100,000 stories): glibc may give each
    # thread that allocates a malloc arena of its own, up to 8 a core; two cap that, at no cost in
    # speed. Each thread has its own SQLite connection, whose page cache (SQLite's default, 2 MB)
    # holds copies of pages the machine's file cache holds already: at 64 KiB, 32 threads held about
    # 60 MiB less, at a speed within the machine's spread in our runs (bench/README.md). Commands
    # keep the default: an ingest's single connection writes with it.
    server_env = {**os.environ}
    server_env.setdefault("MALLOC_ARENA_MAX", "2")
    server_env.setdefault("DATELINE_SQLITE_CACHE_KB", str(SERVER_SQLITE_CACHE_KB))
    command = _serve_command(args.server, args.host, args.port, args.workers, args.threads)
    if not args.scheduler and not args.worker:
        # Nothing to run beside it: the app server takes this process's place (and its signals),
        # rather than a Python process waiting on it with 12 MiB of its own.
        os.execve(command[0], command, server_env)
    server = subprocess.Popen(command, env=server_env)
    worker_command = [sys.executable, "-m", "dateline.cli", "worker"]
    worker = subprocess.Popen(worker_command) if args.worker else None

    def stop(signum, frame):  # noqa: ARG001
        server.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        next_run = restart_at = time.monotonic()
        while server.poll() is None:
            if args.scheduler and time.monotonic() >= next_run:
                subprocess.run([sys.executable, "-m", "dateline.cli", "publish_scheduled"], check=False)
                next_run = time.monotonic() + args.scheduler
            if worker is not None and worker.poll() is not None:
                # A worker that stopped is started again, at most every 10 s (its work is not lost:
                # what it held is taken up again, see newsletters/sending.py).
                if restart_at <= time.monotonic():
                    stopped = worker.returncode
                    print(f"dateline serve: the worker stopped ({stopped}); starting it again", file=sys.stderr)
                    worker = subprocess.Popen(worker_command)
                    restart_at = time.monotonic() + 10
            time.sleep(0.5)
    finally:
        for process in (server, worker):
            if process is not None and process.poll() is None:
                process.terminate()
        for process in (server, worker):
            if process is not None:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
    return server.returncode or 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "dateline"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", default_module())
    if len(argv) > 1 and argv[1] == "serve":
        return serve(argv[2:])
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())

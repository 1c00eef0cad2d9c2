"""What the benchmarks share: a Dateline data folder under production settings, its commands,
and its server pinned to core 0 (the load generator takes core 1)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATELINE = [sys.executable, "-m", "dateline.cli"]


def env_for(home: Path, port: int) -> dict:
    return {
        **os.environ,
        "DATELINE_HOME": str(home),
        "DJANGO_SETTINGS_MODULE": "dateline.settings.production",
        "DATELINE_SECRET_KEY": "bench-" + secrets.token_hex(16),
        "DATELINE_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATELINE_HTTPS": "false",
        "DATELINE_LOG_LEVEL": "WARNING",
        "DATELINE_SITE_URL": f"http://127.0.0.1:{port}",
        "DATELINE_INGEST_DEFAULT": "publish",  # the benchmarks measure stories going live
    }


def run(home: Path, port: int, *args: str, core: int | None = None) -> str:
    """`dateline ARGS` against the data folder; the benchmark stops with its error output if it fails."""
    pin = ["taskset", "-c", str(core)] if core is not None else []
    done = subprocess.run([*pin, *DATELINE, *args], env=env_for(home, port), capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        sys.exit(f"dateline {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def demo_site(home: Path, port: int) -> Path:
    """A migrated data folder with the demo site and its collected static files, to copy per run."""
    run(home, port, "migrate", "--no-input", "-v", "0")
    run(home, port, "load-demo")
    run(home, port, "collectstatic", "--no-input", "-v", "0")
    return home


def serve(home: Path, port: int, extra_env: dict | None = None) -> subprocess.Popen:
    """`dateline serve` (granian, one worker) on core 0, once it answers."""
    server = subprocess.Popen(
        [
            "taskset",
            "-c",
            "0",
            *DATELINE,
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
            "--no-collectstatic",
        ],
        env={**env_for(home, port), **(extra_env or {})},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    sys.exit("the server did not start")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=20)

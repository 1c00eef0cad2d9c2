"""What the benchmarks share: a Dateline data folder under production settings, its commands,
and its server pinned to core 0 (the load generator takes core 1)."""

from __future__ import annotations

import atexit
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATELINE = [sys.executable, "-m", "dateline.cli"]
STORY = "Ostrel coast plans to move 4,000 homes back from crumbling cliffs"  # the demo's two-page article


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


def story_url(home: Path, port: int, title: str = STORY) -> str:
    """The address of the story with this headline (by default the demo's two-page article)."""
    lookup = f"from dateline.news.models import ArticlePage; print(ArticlePage.objects.get(title={title!r}).url)"
    return run(home, port, "shell", "-c", lookup).split()[-1]


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def serve(home: Path, port: int, extra_env: dict | None = None) -> subprocess.Popen:
    """`dateline serve` (granian, one worker) on core 0, once it answers; stopped when the benchmark ends.

    The port must be free: a server left by an earlier run would answer in this one's place."""
    if not _port_free(port):
        sys.exit(f"port {port} is taken (a server left by an earlier run?): stop it, then run this again")
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
    atexit.register(lambda: server.poll() is None and server.terminate())
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


# A wrk script asking for PATHS in turn (and counting 5xx answers: "server_errors N" at the end).
ROTATE = """
paths = {%s}
n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
server_errors = 0
response = function(status, headers, body)
  if status >= 500 then server_errors = server_errors + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format("server_errors %%d\\n", server_errors))
end
"""


def rotation(folder: Path, paths: list[str]) -> Path:
    """A wrk script (ROTATE) for these paths, written to FOLDER."""
    script = folder / "rotate.lua"
    script.write_text(ROTATE % ", ".join(f'"{path}"' for path in paths))
    return script


def wrk(url: str, connections: int, duration: int, script: Path | None = None) -> dict:
    """wrk (one thread) on core 1: a 2 s warm-up, then DURATION s measured; its rate, p50, p99, non-2xx."""
    pinned = ["taskset", "-c", "1", "wrk", "-t1", f"-c{connections}", "--timeout", "10s"]
    if script is not None:
        pinned += ["-s", str(script)]
    subprocess.run([*pinned, "-d2s", url], capture_output=True)
    out = subprocess.run([*pinned, f"-d{duration}s", "--latency", url], capture_output=True, text=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rate": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),
        "p50": re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE)[1],
        "p99": re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE)[1],
        "errors": int(errors[1]) if errors else 0,
    }

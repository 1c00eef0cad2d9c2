"""The article page against the machine's ceiling, with a small and a large archive.

    .venv/bin/python bench/speed.py [N ...]          (make bench-speed; default N = 2000 100000)

For the demo site (13 stories, the seed's kind of story among them) plus N generated stories, for
each N one after the other in one run (N = 0: the demo alone), each server pinned to core 0 and wrk (one thread) to core 1, on loopback:

1. ceiling: nginx (one worker) serving a saved copy of the article page's HTML as a static file;
2. cache:   `dateline serve` (granian, one worker) answering from the full-page cache;
3. static:  the `publish-static` folder behind nginx, from `dateline nginx-config`;
4. uncached: `dateline serve` with DATELINE_PAGE_CACHE=false (every request rendered, from the
   fragments kept per publish once warm): the article, the home page, a section, a section's
   page 2, a search and the ninjs API list (which the page cache never holds);
5. list: a section's page 2 from the page cache (where the archive has one).

Each wrk run: 2 s warm-up, DURATION s measured (default 10), CONNECTIONS connections (16).
Then, in cache and static modes, the time from an editor's publish (a process of its own making
a new revision live) to the new headline being served, and the app server's memory (RSS of the
granian processes). Prints a table and writes bench/results/speed.txt.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import sites

DURATION = int(os.environ.get("DURATION", "10"))
CONNECTIONS = int(os.environ.get("CONNECTIONS", "16"))
PORT, NGINX_PORT = 8767, 8768
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
STORY = sites.STORY
RESULTS = sites.ROOT / "bench" / "results"


def wrk(url: str) -> dict:
    return sites.wrk(url, CONNECTIONS, DURATION)


def nginx(config: str, folder: Path) -> subprocess.Popen:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "nginx.conf").write_text(config)
    process = subprocess.Popen(
        [
            "taskset",
            "-c",
            "0",
            NGINX,
            "-c",
            str(folder / "nginx.conf"),
            "-p",
            str(folder),
            "-e",
            str(folder / "error.log"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{NGINX_PORT}/", timeout=1)
            return process
        except urllib.error.HTTPError:
            return process
        except OSError:
            time.sleep(0.1)
    sys.exit("nginx did not start: " + (folder / "error.log").read_text()[-2000:])


def ceiling_config(root: Path, logs: Path) -> str:
    user = "user root;" if os.geteuid() == 0 else ""
    return f"""{user}
worker_processes 1; daemon off; pid {logs}/nginx.pid; error_log {logs}/error.log warn;
events {{ worker_connections 1024; }}
http {{ include /etc/nginx/mime.types; access_log off; sendfile on; tcp_nopush on; keepalive_requests 100000;
  client_body_temp_path {logs}/client_temp; proxy_temp_path {logs}/proxy_temp; fastcgi_temp_path {logs}/fcgi_temp;
  uwsgi_temp_path {logs}/uwsgi_temp; scgi_temp_path {logs}/scgi_temp;
  server {{ listen 127.0.0.1:{NGINX_PORT}; root {root}; charset utf-8; }} }}
"""


def memory(server: subprocess.Popen) -> int:
    """RSS in MiB of the server process and all its descendants."""
    pids, total = [server.pid], 0
    while pids:
        pid = pids.pop()
        try:
            total += int(re.search(r"VmRSS:\s+(\d+)", Path(f"/proc/{pid}/status").read_text())[1])
            for task in Path(f"/proc/{pid}/task").iterdir():
                pids += [int(child) for child in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total // 1024


EDIT = (
    "import time; from dateline.news.models import ArticlePage; "
    "page = ArticlePage.objects.get(title__startswith={title!r}).get_latest_revision_as_object(); "
    "page.title = {new!r}; revision = page.save_revision(); start = time.time(); revision.publish(); "
    "print(start, time.time())"
)


def publish_to_served(home: Path, url: str, marker: str) -> tuple[float, float]:
    """(seconds the publish took, seconds from its start to the new headline being served)."""
    editor = subprocess.Popen(
        [*sites.DATELINE, "shell", "-c", EDIT.format(title=STORY[:30], new=f"{STORY} {marker}")],
        env=sites.env_for(home, PORT),
        cwd=sites.ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    seen = None
    give_up = time.monotonic() + 60  # a generous bound: a publish is served within a second
    while seen is None:
        with urllib.request.urlopen(url, timeout=10) as response:
            if marker.encode() in response.read():
                seen = time.time()
        if seen is None and time.monotonic() > give_up:
            editor.kill()
            raise SystemExit(f"the publish of {marker!r} was not served at {url} within 60 s")
        time.sleep(0.005)
    out, _ = editor.communicate(timeout=120)
    start, done = map(float, out.split()[-2:])
    return done - start, seen - start


# Rendered on every request with the page cache off (the rate limits off: wrk is one client).
UNCACHED = {
    "home": "/",
    "section": "/world/",
    "section p2": "/world/?page=2",
    "search": "/search/?q=nato",
    "api list": "/api/ninjs/items/",
}
NO_LIMITS = {"DATELINE_SEARCH_RATE_LIMIT": "0", "DATELINE_API_RATE_LIMIT": "0"}


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status == 200
    except OSError:
        return False


def measure(home: Path) -> dict:
    rows = {}
    story = sites.story_url(home, PORT)
    app_url, nginx_url = f"http://127.0.0.1:{PORT}{story}", f"http://127.0.0.1:{NGINX_PORT}{story}"
    work = Path(tempfile.mkdtemp(prefix="speed-", dir=home))

    # 4. uncached render, and the page's HTML for the ceiling.
    env = {"DATELINE_PAGE_CACHE": "false", **NO_LIMITS}
    server = sites.serve(home, PORT, extra_env=env)
    html = urllib.request.urlopen(app_url).read()
    rows["uncached"] = wrk(app_url)
    rows["uncached"]["memory"] = memory(server)
    for name, path in UNCACHED.items():
        if answers(f"http://127.0.0.1:{PORT}{path}"):
            rows[name] = wrk(f"http://127.0.0.1:{PORT}{path}")
    sites.stop(server)

    # 1. ceiling: the same bytes as a static file.
    (work / "ceiling").mkdir()
    (work / "ceiling" / "article.html").write_bytes(html)
    server = nginx(ceiling_config(work / "ceiling", work / "ceiling-logs"), work / "ceiling-logs")
    rows["ceiling"] = wrk(f"http://127.0.0.1:{NGINX_PORT}/article.html")
    sites.stop(server)

    # 2. page cache; then an editor's publish.
    server = sites.serve(home, PORT)
    rows["cache"] = wrk(app_url)
    rows["cache"]["memory"] = memory(server)
    rows["cache"]["publish"] = publish_to_served(home, app_url, "(cache edit)")
    if answers(f"http://127.0.0.1:{PORT}/world/?page=2"):
        rows["list page 2"] = wrk(f"http://127.0.0.1:{PORT}/world/?page=2")

    # 3. static publishing behind nginx (the app server stays up for the dynamic routes); then a publish.
    days = int(
        sites.run(
            home,
            PORT,
            "shell",
            "-c",
            "from django.utils import timezone; "
            "from dateline.news.models import ArticlePage; "
            f"print((timezone.now() - ArticlePage.objects.get(title__startswith={STORY[:30]!r})"
            ".published_at).days + 1)",
        ).split()[-1]
    )
    started = time.time()
    sites.run(home, PORT, "publish-static", str(work / "public"), "--recent", str(days))
    publish_static_seconds = time.time() - started
    config = sites.run(
        home,
        PORT,
        "nginx-config",
        "--dir",
        str(work / "public"),
        "--app",
        f"127.0.0.1:{PORT}",
        "--listen",
        f"127.0.0.1:{NGINX_PORT}",
        "--standalone",
    )
    proxy = nginx(config, work / "nginx-logs")
    assert urllib.request.urlopen(nginx_url).headers.get("X-Dateline-Cache") is None, "nginx did not serve the file"
    rows["static"] = wrk(nginx_url)
    rows["static"]["publish"] = publish_to_served(home, nginx_url, "(static edit)")
    rows["static"]["publish_static_seconds"] = publish_static_seconds
    rows["static"]["recent_days"] = days
    sites.stop(proxy)
    sites.stop(server)
    return rows


def report(results: dict) -> str:
    lines = [f"wrk -t1 -c{CONNECTIONS} -d{DURATION}s, server on core 0 (one worker), wrk on core 1", ""]
    lines.append(f"{'archive':>9} {'mode':<22} {'req/s':>9} {'/ceiling':>8} {'p50':>8} {'p99':>8} {'non-2xx':>7}")
    for count, rows in results.items():
        ceiling = rows["ceiling"]["rate"]
        modes = ["ceiling", "cache", "static", "uncached", *UNCACHED, "list page 2"]
        for mode in (mode for mode in modes if mode in rows):
            row = rows[mode]
            label = {"uncached": "uncached article", "list page 2": "cached section p2"}.get(mode, mode)
            if mode in UNCACHED:
                label = f"uncached {mode}"
            lines.append(
                f"{count:>9,} {label:<22} {row['rate']:>9,.0f} {row['rate'] / ceiling:>8.4f} "
                f"{row['p50']:>8} {row['p99']:>8} {row['errors']:>7}"
            )
    sizes = list(results)
    if len(sizes) == 2:
        small, large = (results[size] for size in sizes)
        lines.append("")
        lines.append(
            "large/small archive, req/s: "
            + ", ".join(
                f"{mode} {large[mode]['rate'] / small[mode]['rate']:.2f}"
                for mode in ("ceiling", "cache", "static", "uncached")
            )
        )
    lines.append("")
    for count, rows in results.items():
        for mode in ("cache", "static"):
            took, served = rows[mode]["publish"]
            lines.append(
                f"{count:>9,} {mode:<7} publish took {took * 1000:.0f} ms; new headline served "
                f"{served * 1000:.0f} ms after the publish began"
            )
        lines.append(
            f"{count:>9,} app server memory (RSS, granian parent and worker): "
            f"cache {rows['cache']['memory']} MiB, uncached {rows['uncached']['memory']} MiB; "
            f"publish-static --recent {rows['static']['recent_days']}: "
            f"{rows['static']['publish_static_seconds']:.0f} s"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    generated = [int(arg) for arg in sys.argv[1:]] or [2_000, 100_000]
    if not shutil.which("wrk") or not Path(NGINX).exists():
        sys.exit("wrk and nginx are needed: make bench-speed installs them")
    base = Path(tempfile.mkdtemp(prefix="dateline-speed-"))
    try:
        template = sites.demo_site(base / "template", PORT)
        results = {}
        for extra in generated:
            count = 13 + extra  # the table names the whole archive
            home = base / f"site-{count}"
            shutil.copytree(template, home)
            if extra:
                started = time.time()
                sites.run(home, PORT, "generate-archive", str(extra), "--per-day", "30")
                print(f"generated {extra:,} stories in {time.time() - started:.0f} s", flush=True)
            results[count] = measure(home)
            print(report(results), flush=True)
            shutil.rmtree(home, ignore_errors=True)
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "speed.txt").write_text(report(results))
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()

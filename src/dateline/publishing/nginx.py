"""The nginx configuration that serves a ``publish-static`` folder and hands the rest to the app."""

from __future__ import annotations

import os
import pwd
from pathlib import Path

from django.conf import settings

from dateline.feeds.syndication import FORMATS

from .routes import DYNAMIC_PREFIXES, DYNAMIC_SUFFIXES

# The content type each feed format is served with, as the app serves it.
FEED_TYPES = {fmt: feed.content_type for fmt, feed in FORMATS.items()}  # type: ignore[attr-defined]


def config(
    root: Path,
    app: str,
    listen: str = "80",
    server_name: str = "_",
    media: Path | None = None,
    standalone: bool = False,
    pid: Path | None = None,
    logs: Path | None = None,
) -> str:
    """A ``server`` block (or, with ``standalone``, a whole nginx.conf for tests and benchmarks)."""
    root = root.resolve()
    media = (media or Path(settings.MEDIA_ROOT)).resolve()
    dynamic = [prefix for prefix in DYNAMIC_PREFIXES if prefix not in ("/media/", "/static/")]
    suffixes = "|".join(suffix.strip("/").replace("/", r"/") for suffix in DYNAMIC_SUFFIXES)
    lines = [
        f"upstream dateline_app {{ server {app}; keepalive 16; }}",
        "",
        "server {",
        f"    listen {listen};",
        f"    server_name {server_name};",
        f"    root {root};",
        "    charset utf-8;",
        "    index index.html;",
        "    # Whole request bodies are buffered here, each within 10 s between reads, before the app sees",
        "    # them: a slow client holds an nginx connection, never an app thread (see dateline/bodies.py).",
        f"    client_max_body_size {settings.DATELINE_ADMIN_BODY_MAX_MB}m;",
        "    client_body_timeout 10s;",
        "    client_header_timeout 10s;",
        "    # Open files and their metadata kept for a second: a publish (a file renamed over the old",
        "    # one) is served at most a second later.",
        "    open_file_cache max=20000 inactive=60s;",
        "    open_file_cache_valid 1s;",
        "    # Published pages are rewritten (atomically) on every publish: browsers check back often.",
        f'    add_header Cache-Control "public, max-age={settings.DATELINE_BROWSER_MAX_AGE}" always;',
        "    add_header X-Content-Type-Options nosniff always;",
        "    add_header Referrer-Policy strict-origin-when-cross-origin always;",
        "    add_header X-Frame-Options SAMEORIGIN always;",
        (
            "    add_header Content-Security-Policy \"default-src 'self'; script-src 'self'; style-src 'self'; "
            "img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; "
            "frame-ancestors 'self'; base-uri 'self'; object-src 'none'\" always;"
        ),
        "",
        "    location @app {",
        "        proxy_pass http://dateline_app;",
        "        proxy_http_version 1.1;",
        "        proxy_request_buffering on;",
        '        proxy_set_header Connection "";',
        "        proxy_set_header Host $host;",
        "        # The client's address for the app's rate limits and sign-in lockouts: set",
        "        # DATELINE_TRUSTED_PROXIES to this machine's address (127.0.0.1,::1) so the app believes it.",
        "        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "        proxy_set_header X-Real-IP $remote_addr;",
        "        proxy_set_header X-Forwarded-Proto $scheme;",
        "    }",
        "",
        "    # Pages: the published file; a query string (?page=2), an editor (session cookie) or an",
        "    # address with no file (a story published since) goes to the app.",
        "    location / {",
        "        error_page 418 = @app;",
        "        if ($args) { return 418; }",
        f"        if ($cookie_{settings.SESSION_COOKIE_NAME}) {{ return 418; }}",
        "        try_files ${uri}index.html $uri $uri/index.html @app;",
        "    }",
    ]
    for fmt, content_type in FEED_TYPES.items():
        index = "index.json" if fmt == "json" else "index.xml"
        lines += [
            f"    location ~ ^/feeds/(.+/)?{fmt}/$ {{",
            "        error_page 418 = @app;",
            "        if ($args) { return 418; }",
            "        types { }",
            f'        default_type "{content_type}";',
            f"        try_files ${{uri}}{index} @app;",
            "    }",
        ]
    lines += [
        "    # Forms, search, the admin and the API are answered by the app, never from files.",
        f"    location ~ /({suffixes})$ {{ try_files /nonexistent @app; }}",
        *(f"    location {prefix} {{ try_files /nonexistent @app; }}" for prefix in dynamic),
        "    location /static/ {",
        "        expires 30d;",
        '        add_header Cache-Control "public, immutable";',
        "        add_header X-Content-Type-Options nosniff;",
        "    }",
        f"    location /media/ {{ alias {media}/; expires 7d; }}",
        "}",
    ]
    server = "\n".join(lines) + "\n"
    if not standalone:
        return server
    logs = logs or root.parent
    user = pwd.getpwuid(os.geteuid()).pw_name  # the workers read DIR as the user who runs this
    return "\n".join(
        [
            f"user {user};" if os.geteuid() == 0 else "",
            "worker_processes 1;",
            "daemon off;",
            f"pid {pid or logs / 'nginx.pid'};",
            f"error_log {logs / 'nginx-error.log'} warn;",
            "events { worker_connections 1024; }",
            "http {",
            "    include /etc/nginx/mime.types;",
            "    default_type application/octet-stream;",
            "    access_log off;",
            f"    client_body_temp_path {logs}/client_temp;",
            f"    proxy_temp_path {logs}/proxy_temp;",
            f"    fastcgi_temp_path {logs}/fastcgi_temp;",
            f"    uwsgi_temp_path {logs}/uwsgi_temp;",
            f"    scgi_temp_path {logs}/scgi_temp;",
            "    sendfile on;",
            "    tcp_nopush on;",
            "    keepalive_requests 100000;",
            server,
            "}",
            "",
        ]
    )

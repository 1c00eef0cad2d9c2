"""Request bodies bounded in size before Django reads a byte of them.

A body larger than the address accepts is refused at once (413, unread): the public site takes
forms of at most ``DATELINE_BODY_MAX_KB``, the admin uploads of at most ``DATELINE_ADMIN_BODY_MAX_MB``.

What this cannot do is bound the *time* a client takes to send an accepted body. granian hands the
application a thread per request and ``wsgi.input`` blocks that thread until the bytes arrive; it
has no body-read timeout of its own (emmett-framework/granian#728, closed as won't fix), and a read
moved to a helper thread stalled the worker's other requests in our trials. So ``dateline serve``
runs many threads a worker (``DATELINE_SERVE_THREADS``, default 16), which a handful of slow
uploads cannot exhaust, and production runs behind a proxy that buffers whole bodies with a time
limit before it passes them on: the nginx configuration ``dateline nginx-config`` prints does
(``proxy_request_buffering on``, ``client_body_timeout``), so no slow client reaches the app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings


def limit_for(path: str) -> int:
    """The largest body a request to ``path`` may carry: uploads in the admin, small forms elsewhere."""
    if path.startswith(("/admin/", "/django-admin/")):
        return settings.DATELINE_ADMIN_BODY_MAX_MB * 1024 * 1024
    return settings.DATELINE_BODY_MAX_KB * 1024


def _plain(start_response, status: str, text: str) -> list[bytes]:
    body = (text + "\n").encode()
    start_response(
        status,
        [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
            ("Connection", "close"),
        ],
    )
    return [body]


class BodyGuard:
    """WSGI middleware: ``BodyGuard(app)`` refuses oversized bodies unread; see the module's text."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        raw_length = environ.get("CONTENT_LENGTH") or ""
        if raw_length in ("", "0"):
            return self.app(environ, start_response)
        if not raw_length.isascii() or not raw_length.isdigit() or len(raw_length) > 15:
            return _plain(start_response, "400 Bad Request", "The Content-Length header is not a number.")
        limit, length = limit_for(environ.get("PATH_INFO", "")), int(raw_length)
        if length > limit:
            return _plain(
                start_response,
                "413 Content Too Large",
                f"This request carries {length:,} bytes; this address accepts at most {limit:,}.",
            )
        return self.app(environ, start_response)

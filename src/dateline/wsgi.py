"""WSGI entry point for granian or gunicorn (``dateline serve`` starts one).

The full-page cache sits in front of Django, so a cached page costs no middleware or template.

Python's cyclic garbage collector walks every tracked object on a full collection. A loaded worker
holds a few hundred thousand (Django, Wagtail, the URL conf, compiled templates), and a full
collection came every few admin requests, adding 100–200 ms to one request in four (bench/desk.py).
So the worker freezes what it holds once it has loaded the app, and again after its first requests
have compiled the templates: frozen objects are never walked, and a full collection then costs
what the requests themselves left behind.

On SQLite the worker does not load PostgreSQL's driver: Django REST framework (which Wagtail's API
imports) looks for it at start-up and does without it, and it held 9 MiB of the worker's memory
(bench/memory.py).
"""

from __future__ import annotations

import gc
import os
import sys
import threading
from collections.abc import Callable, Iterable
from typing import Any

from django.core.wsgi import get_wsgi_application

from dateline.settings import default_module  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", default_module())


def skip_unused_drivers() -> None:
    """Make ``import psycopg`` fail (as if not installed) when the site's database is not PostgreSQL."""
    from django.conf import settings

    if not any("postgresql" in database["ENGINE"] for database in settings.DATABASES.values()):
        sys.modules.setdefault("psycopg", None)  # type: ignore[arg-type]  # None: "not installed"


skip_unused_drivers()

from dateline.bodies import BodyGuard  # noqa: E402  (needs the settings above)
from dateline.publishing.pagecache import PageCache  # noqa: E402

#: Requests a worker serves before it freezes a second time (templates compiled by then).
SETTLE_AFTER = 200


def settle() -> None:
    """Collect, then move every object that survived into the collector's permanent generation."""
    gc.collect()
    gc.freeze()


def load_url_conf() -> None:
    """Import every view and URL pattern now rather than on the first request."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (the property imports the URL conf)


class SettlingApp:
    """Counts requests and settles the worker once, after ``SETTLE_AFTER`` of them."""

    def __init__(self, app: Callable[..., Iterable[bytes]], after: int = SETTLE_AFTER) -> None:
        self.app = app
        self.remaining = after
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if self.remaining > 0:
            with self.lock:
                self.remaining -= 1
                if self.remaining == 0:
                    settle()
        return self.app(environ, start_response)


# Outside in: settle the collector once warm; refuse an oversized body unread; answer
# anonymous readers from the page cache; else Django.
application = SettlingApp(BodyGuard(PageCache(get_wsgi_application())))
load_url_conf()
settle()

"""A reader in front of the WSGI stack (page cache included), and the distribution tests' small site."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from dateline.publishing.pagecache import PageCache
from tests.feeds.conftest import site  # noqa: F401  (the fixture)


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()

    @property
    def cache(self) -> str | None:
        return self.headers.get("x-dateline-cache")


class Reader:
    """Requests through ``PageCache(WSGIHandler())``, as granian would make them, in the test's transaction."""

    def __init__(self):
        self.app = PageCache(WSGIHandler())

    def get(self, path: str, method: str = "GET", cookies: str = "", **headers) -> Answer:
        path, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SCRIPT_NAME": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1:8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": io.StringIO(),
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        if cookies:
            environ["HTTP_COOKIE"] = cookies
        for name, value in headers.items():
            environ["HTTP_" + name.upper()] = value
        seen = {}

        def start_response(status, response_headers, exc_info=None):
            seen["status"], seen["headers"] = status, response_headers

        # As Django's own test client does: a request must not close the test's connection.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            result = self.app(environ, start_response)
            body = b"".join(result)
            if hasattr(result, "close"):
                result.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        headers = {}
        for name, value in seen["headers"]:
            headers.setdefault(name.lower(), value)
        return Answer(int(seen["status"].split()[0]), headers, body)


@pytest.fixture
def reader():
    return Reader()

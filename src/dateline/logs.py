"""Log records for probes and bad requests as one line each, never a traceback.

A disallowed ``Host`` header or a ``..`` in a media path is an everyday probe, not a bug: Django
logs it under ``django.security.*`` with the exception attached, which a plain handler prints as a
13-line traceback. This filter keeps the message, adds who asked for what, and drops the traceback.
"""

from __future__ import annotations

import logging


class OneLine(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        message = " ".join(record.getMessage().split())
        if request is not None and hasattr(request, "META"):
            from dateline.clients import client_address

            path = request.META.get("PATH_INFO", "")
            message += f" [{client_address(request)} {request.method} {path[:200]!r}]"
        record.msg, record.args = message, ()
        record.exc_info = record.exc_text = record.stack_info = None
        return True

"""Numbers and dates from addresses and forms, read strictly so that no input reaches a 500.

A page number is written one way only (no sign, no leading zero, ASCII digits, at most six of
them), so "/page/0002/" or "?page=²" is never a second copy of page 2 in a cache, and a number of
5,000 digits never reaches ``int()`` or the database. Dates and times are checked against what
Python and the databases can hold after a time-zone shift (year 1 to 9998).

Imports nothing of Dateline's apps: every layer may use it.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,5}")
#: The route pattern for a page number in an address, e.g. r"^page/(?P<number>...)/$".
PAGE_NUMBER_PATTERN = PAGE_NUMBER.pattern
#: The newest update a live page has (``?after=ID``): 0 for none, else an id written one way.
AFTER_ID = re.compile(r"0|[1-9][0-9]{0,17}")
#: The largest database id an address may name (a signed 64-bit integer).
MAX_ID = 2**63 - 1
EARLIEST = date(1, 1, 2)
LATEST = date(9998, 12, 31)


class InputError(ValueError):
    """Says what was wrong with one input, in words for the person who sent it."""


def page_number(raw: str | None, name: str = "page") -> int:
    """``raw`` as a page number (1 when None), or InputError."""
    if raw is None:
        return 1
    if not PAGE_NUMBER.fullmatch(raw):
        shown = raw if len(raw) <= 20 else raw[:20] + "..."
        raise InputError(f"{name}={shown!r} is not a page number (1, 2, 3 ... written without leading zeros)")
    return int(raw)


def after_id(raw: str | None, name: str = "after") -> int:
    """``raw`` as the id of the last update a reader has (0 when None), or InputError."""
    if raw is None:
        return 0
    if not AFTER_ID.fullmatch(raw):
        shown = raw if len(raw) <= 20 else raw[:20] + "..."
        raise InputError(f"{name}={shown!r} is not an update number (0, or the id of an update, without leading zeros)")
    return int(raw)


def database_id(raw: str) -> int | None:
    """A positive id the database can hold, or None."""
    if not raw.isascii() or not raw.isdigit() or len(raw) > 19:
        return None
    value = int(raw)
    return value if 0 < value <= MAX_ID else None


def aware_moment(raw: str, name: str) -> datetime:
    """An ISO 8601 date and time with its offset, in UTC; InputError for anything else or out of range."""
    text = raw.strip().replace("Z", "+00:00").replace(" ", "+")
    example = "e.g. 2026-11-27T09:00:00Z"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"{name}={raw!r} is not an ISO 8601 date and time, {example}") from None
    if moment.tzinfo is None:
        raise InputError(f"{name}={raw!r} has no time zone; add Z or an offset such as +01:00")
    try:
        moment = moment.astimezone(UTC)
    except OverflowError:
        raise InputError(f"{name}={raw!r} is out of range: use a year from 1 to 9998") from None
    if not EARLIEST <= moment.date() <= LATEST:
        raise InputError(f"{name}={raw!r} is out of range: use a year from 1 to 9998")
    return moment


def in_range(day: date) -> bool:
    return EARLIEST <= day <= LATEST


class RejectNul:
    """Middleware: a request with a NUL character in its path, query or form fields is answered 400.

    No address or form of the site has a use for one, and PostgreSQL refuses NUL in text (a query
    naming one fails as a DataError: a 500 on PostgreSQL for what SQLite quietly accepts).
    """

    #: Views that answer a NUL themselves, keeping what the reader typed (search shows its form again).
    KEEP_FORM = ("search",)

    def __init__(self, get_response):
        self.get_response = get_response
        self.exempt: tuple[str, ...] | None = None

    def __call__(self, request):
        if self.exempt is None:
            from django.urls import reverse

            self.exempt = tuple(reverse(name) for name in self.KEEP_FORM)
        if request.path in self.exempt:
            return self.get_response(request)
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", "") or _nul_in(request.GET):
            return _bad_nul()
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            from django.http.multipartparser import MultiPartParserError

            try:
                if _nul_in(request.POST):
                    return _bad_nul()
            except MultiPartParserError as problem:  # a body that says it is a form and is not one
                return _bad_request(f"The form data could not be read: {problem}.\n")
        return self.get_response(request)


def _nul_in(data) -> bool:
    return any("\x00" in key or any("\x00" in value for value in data.getlist(key)) for key in data)


def _bad_nul():
    return _bad_request("This request contains a NUL character, which no address or form here accepts.\n")


def _bad_request(text: str):
    from django.http import HttpResponseBadRequest

    response = HttpResponseBadRequest(text, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response

"""Who is asking, and how often: the client's address behind trusted proxies, and per-client limits.

One helper decides the client's address for every rate limit, the sign-in lockouts (django-axes)
and the logs. ``REMOTE_ADDR`` is the peer that opened the connection; when that peer is one of
``DATELINE_TRUSTED_PROXIES`` (addresses or networks, e.g. ``127.0.0.1,10.0.0.0/8``), the client is
the right-most ``X-Forwarded-For`` entry that is not a trusted proxy: everything left of it was
written by the client and may be forged, everything right of it by proxies we run.

Limits group IPv6 clients by their /64 network: one subscriber's line hands out a whole /64, so a
limit per /128 is no limit at all.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

log = logging.getLogger(__name__)

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.cache
def trusted_proxies() -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in settings.DATELINE_TRUSTED_PROXIES)


def parse_address(value: str) -> Address | None:
    """An address from a header entry: "192.0.2.1", "192.0.2.1:4711", "[2001:db8::1]:443", or None."""
    value = value.strip()
    if value.startswith("["):
        value = value[1:].partition("]")[0]
    elif value.count(":") == 1:  # IPv4 with a port
        value = value.partition(":")[0]
    try:
        address = ipaddress.ip_address(value.partition("%")[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(address: Address) -> bool:
    return any(address in network for network in trusted_proxies())


def client_address(request: HttpRequest) -> str:
    """The client's address as a string ("" when the server gave none)."""
    meta = request.META
    remote = parse_address(meta.get("REMOTE_ADDR", ""))
    if remote is None:
        return meta.get("REMOTE_ADDR", "")
    if not trusted_proxies() or not _trusted(remote):
        return str(remote)
    client = remote
    for entry in reversed(meta.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        hop = parse_address(entry)
        if hop is None:  # garbage a client wrote: the last good hop is the client
            break
        client = hop
        if not _trusted(hop):
            break
    return str(client)


def client_group(address: str) -> str:
    """What limits count: the address itself, or for IPv6 the start of its /64."""
    parsed = parse_address(address)
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((parsed, 64), strict=False).network_address)
    return str(parsed) if parsed is not None else address


def client_key(request: HttpRequest) -> str:
    """The client's group (see ``client_group``): what rate limits and lockouts count."""
    return client_group(client_address(request))


@dataclass(frozen=True)
class Limit:
    """At most ``count`` requests per ``seconds`` from one client group, for one named bucket."""

    bucket: str
    count: int
    seconds: int

    def hit(self, key: str) -> int | None:
        """Count one request for ``key``; return the seconds to wait when it is over the limit, else None."""
        if self.count <= 0:
            return None
        cache = caches["default"]
        now = time.time()
        window = int(now // self.seconds)
        name = f"limit:{self.bucket}:{window}:{key}"
        if cache.add(name, 1, timeout=self.seconds + 1):
            used = 1
        else:
            try:
                used = cache.incr(name)
            except ValueError:  # expired between add and incr
                cache.set(name, 1, timeout=self.seconds + 1)
                used = 1
        if used <= self.count:
            return None
        return max(1, math.ceil((window + 1) * self.seconds - now))


def too_many(request: HttpRequest, retry_after: int, what: str) -> HttpResponse:
    """A 429 page that says what was limited and when to come back, with ``Retry-After``."""
    response = render(
        request,
        "429.html",
        {"what": what, "retry_after": retry_after, "minutes": math.ceil(retry_after / 60)},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "private, no-store"
    log.info("rate limit: %s from %s, retry after %s s", what, client_address(request), retry_after)
    return response


def limited(bucket: str, setting: str, what: str, seconds: int = 60):
    """Decorate a view that no cache answers: at most ``settings.<setting>`` requests a minute per client
    group, then 429 with ``Retry-After`` (0 turns the limit off)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            wait = Limit(bucket, getattr(settings, setting), seconds).hit(client_key(request))
            if wait is not None:
                return too_many(request, wait, what)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator

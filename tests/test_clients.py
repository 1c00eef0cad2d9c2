"""The client's address behind proxies we trust, and the per-client request limits."""

import pytest
from django.test import RequestFactory

from dateline.clients import Limit, client_address, client_group, trusted_proxies


@pytest.fixture
def proxies(settings):
    def trust(*entries):
        settings.DATELINE_TRUSTED_PROXIES = list(entries)
        trusted_proxies.cache_clear()

    yield trust
    trusted_proxies.cache_clear()


def request(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_with_no_trusted_proxy_the_peer_is_the_client_whatever_the_header_says(proxies):
    proxies()
    assert client_address(request("203.0.113.5", "198.51.100.1")) == "203.0.113.5"


def test_behind_a_trusted_proxy_the_client_is_the_right_most_untrusted_entry(proxies):
    proxies("127.0.0.1", "10.0.0.0/8")
    # The client forged "1.2.3.4"; nginx appended the real peer; a load balancer in 10/8 appended nginx.
    assert client_address(request("127.0.0.1", "1.2.3.4, 203.0.113.5, 10.1.2.3")) == "203.0.113.5"
    assert client_address(request("127.0.0.1", "203.0.113.5")) == "203.0.113.5"
    assert client_address(request("127.0.0.1", "[2001:db8::7]:4711")) == "2001:db8::7"
    assert client_address(request("127.0.0.1", "203.0.113.9:51000")) == "203.0.113.9"


def test_a_header_from_an_untrusted_peer_is_ignored(proxies):
    proxies("127.0.0.1")
    assert client_address(request("203.0.113.5", "127.0.0.1")) == "203.0.113.5"


def test_garbage_in_the_header_never_becomes_the_client(proxies):
    proxies("127.0.0.1")
    assert client_address(request("127.0.0.1", "not-an-address, 203.0.113.5")) == "203.0.113.5"
    assert client_address(request("127.0.0.1", "203.0.113.5, <script>")) == "127.0.0.1"
    assert client_address(request("127.0.0.1", "")) == "127.0.0.1"


def test_ipv6_clients_are_grouped_by_their_64_network_and_ipv4_by_address():
    assert client_group("2001:db8:1:2:aaaa::1") == client_group("2001:db8:1:2:bbbb::9") == "2001:db8:1:2::"
    assert client_group("2001:db8:1:3::1") != client_group("2001:db8:1:2::1")
    assert client_group("::ffff:203.0.113.5") == "203.0.113.5"
    assert client_group("203.0.113.5") != client_group("203.0.113.6")


def test_a_limit_counts_per_key_and_says_how_long_to_wait(settings):
    limit = Limit("test-bucket", 3, 3600)
    assert [limit.hit("a") for _ in range(3)] == [None, None, None]
    wait = limit.hit("a")
    assert wait is not None and 0 < wait <= 3600
    assert limit.hit("b") is None  # another client is not affected

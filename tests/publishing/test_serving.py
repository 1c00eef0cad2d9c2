"""The real thing: `dateline serve` (two worker processes sharing the page cache), an editor's publish
from another process, nginx in front of a publish-static folder, and purges sent to a proxy."""

from __future__ import annotations

import http.client
import http.cookies
import http.server
import os
import re
import shutil
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.browser.conftest import LiveSite, _free_port, serving
from tests.conftest import wait_for_server
from tests.publishing.test_pagecache import NEW_HEADLINE, publish_edit

NGINX = Path(os.environ.get("DATELINE_NGINX", shutil.which("nginx") or "/usr/sbin/nginx"))
STORY = "Ostrel coast plans to move 4,000 homes back from crumbling cliffs"
OTHER = "Rebuilt river bridge reopens to traffic two years after flood"


def fetch(url: str, **headers) -> tuple[int, dict, str]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read().decode()


@pytest.fixture(scope="module")
def served(migrated_home, tmp_path_factory):
    """The demo site behind `dateline serve --workers 2`, with a publish-static folder."""
    home = tmp_path_factory.mktemp("served")
    shutil.copy(migrated_home / "dateline.sqlite3", home / "dateline.sqlite3")
    site = LiveSite(home, _free_port())
    site.env["DATELINE_TRUSTED_PROXIES"] = "127.0.0.1"  # nginx, in front in the tests below
    site.command("load-demo")
    site.command("publish-static", str(home / "public"))
    with serving(site, workers=2):
        yield site


def editor_publishes(site: LiveSite, title: str, new_title: str) -> None:
    """An editor's publish, in a process of its own (as the admin's would be)."""
    site.command(
        "shell",
        "-c",
        "from dateline.news.models import ArticlePage; "
        f"page = ArticlePage.objects.get(title={title!r}).get_latest_revision_as_object(); "
        f"page.title = {new_title!r}; page.save_revision().publish()",
    )


def test_two_server_processes_share_the_cache_and_see_an_edit_at_once(served):
    story = served.url + served.story_url(STORY)
    other = served.url + served.story_url(OTHER)
    for url in (story, other, served.url + "/"):
        fetch(url)
    states = {fetch(story)[1]["x-dateline-cache"] for _ in range(6)}  # both workers answer from the one cache
    assert states == {"hit"}
    assert fetch(other)[1]["x-dateline-cache"] == "hit"

    editor_publishes(served, STORY, STORY + " (updated)")
    status, headers, body = fetch(story)
    assert status == 200 and headers["x-dateline-cache"] == "miss" and "(updated)" in body
    assert "(updated)" in fetch(served.url + "/")[2]
    assert fetch(other)[1]["x-dateline-cache"] == "hit"  # unrelated: still cached


@pytest.fixture(scope="module")
def nginx(served, tmp_path_factory):
    if not NGINX.exists():
        message = f"nginx not found at {NGINX}: `make test` installs it"
        if os.environ.get("DATELINE_REQUIRE_NGINX") == "1":
            pytest.fail(message)
        pytest.skip(message)
    folder = tmp_path_factory.mktemp("nginx")
    port = _free_port()
    config = served.command(
        "nginx-config",
        "--dir",
        str(served.home / "public"),
        "--app",
        f"127.0.0.1:{served.port}",
        "--listen",
        f"127.0.0.1:{port}",
        "--standalone",
    )
    (folder / "nginx.conf").write_text(config)
    log = folder / "nginx.out"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [str(NGINX), "-c", str(folder / "nginx.conf"), "-p", str(folder), "-e", str(folder / "error.log")],
            stdout=out,
            stderr=out,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for_server(url + "/robots.txt", process, log)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_nginx_serves_published_files_and_sends_the_rest_to_the_app(served, nginx):
    path = served.story_url(OTHER)
    status, headers, body = fetch(nginx + path)
    published = (served.home / "public" / path.strip("/") / "index.html").read_text()
    assert status == 200 and body == published and "x-dateline-cache" not in headers  # the file, not the app
    assert "script-src 'self'" in headers["content-security-policy"]
    status, headers, _ = fetch(nginx + "/feeds/rss/")
    assert status == 200 and headers["content-type"].startswith("application/rss+xml")
    status, headers, _ = fetch(nginx + "/feeds/json/")
    assert headers["content-type"].startswith("application/feed+json")
    # Dynamic routes reach the app: the email form (with its CSRF token), search, a second page of a list.
    status, _, body = fetch(nginx + path + "email/")
    assert status == 200 and "csrfmiddlewaretoken" in body
    status, _, body = fetch(nginx + "/search/?q=bridge")
    assert status == 200 and "bridge" in body.lower()
    assert fetch(nginx + "/world/?page=1")[0] == 200
    assert fetch(nginx + "/static/news/css/site.css")[0] == 200


def test_an_edit_is_served_by_nginx_within_a_second(served, nginx):
    path = served.story_url(OTHER)
    fetch(nginx + path)
    editor_publishes(served, OTHER, OTHER + " (corrected)")
    assert "(corrected)" in (served.home / "public" / path.strip("/") / "index.html").read_text()  # rewritten now
    # nginx checks an open file again after open_file_cache_valid (1 s): wait for it, with a generous bound.
    deadline = time.monotonic() + 30
    while "(corrected)" not in fetch(nginx + path)[2]:
        assert time.monotonic() < deadline, "nginx still served the old file after 30 s"
        time.sleep(0.05)
    assert "(corrected)" in fetch(nginx + "/")[2]


class _PurgeRecorder(http.server.BaseHTTPRequestHandler):
    purged: list[str] = []

    def do_PURGE(self):
        self.purged.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_purges_go_to_a_proxy_in_front(site, settings, django_capture_on_commit_callbacks):
    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _PurgeRecorder)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    _PurgeRecorder.purged = []
    settings.WAGTAILFRONTENDCACHE = {
        "proxy": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{proxy.server_port}",
        }
    }
    try:
        publish_edit(site.nato, django_capture_on_commit_callbacks, title=NEW_HEADLINE)
    finally:
        proxy.shutdown()
    purged = set(_PurgeRecorder.purged)
    assert {site.nato.url, f"{site.nato.url}print/", "/", site.world.url, "/feeds/rss/", "/sitemap-news.xml"} <= purged
    assert site.business.url not in purged and site.staff.url not in purged


def sign_in_from(base: str, source: str, username: str, password: str) -> int:
    """A sign-in through BASE from the loopback address SOURCE (127.0.0.2 ...: another client), as a browser
    makes it: the form with its CSRF token, then the POST."""
    host, port = base.removeprefix("http://").split(":")

    def connect() -> http.client.HTTPConnection:
        return http.client.HTTPConnection(host, int(port), timeout=30, source_address=(source, 0))

    connection = connect()
    connection.request("GET", "/admin/login/")
    form = connection.getresponse()
    page = form.read().decode()
    cookie = http.cookies.SimpleCookie(form.getheader("Set-Cookie"))["csrftoken"].value
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    connection.close()
    connection = connect()
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password})
    connection.request(
        "POST",
        "/admin/login/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookie}",
            "Referer": base + "/admin/login/",
            "X-Forwarded-For": "198.51.100.77",  # forged by the client: must be ignored
        },
    )
    status = connection.getresponse().status
    connection.close()
    return status


def test_behind_nginx_each_client_is_counted_on_its_own_address(served, nginx):
    served.command(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; "
        "User.objects.create_superuser('nginx-editor', 'ne@example.org', 'a-long-password-1')",
    )
    for n in range(2, 7):  # five clients, one wrong password each
        assert sign_in_from(nginx, f"127.0.0.{n}", "nginx-editor", "wrong") == 200
    assert sign_in_from(nginx, "127.0.0.7", "nginx-editor", "a-long-password-1") == 302  # a sixth signs in
    for _ in range(5):  # one client failing five times is locked out, alone
        sign_in_from(nginx, "127.0.0.8", "nginx-editor", "wrong")
    assert sign_in_from(nginx, "127.0.0.8", "nginx-editor", "a-long-password-1") == 429
    assert sign_in_from(nginx, "127.0.0.9", "nginx-editor", "a-long-password-1") == 302


def test_probes_are_logged_one_line_each(served):
    log = served.home / "server.log"
    before = log.read_text().splitlines()
    assert fetch(served.url + "/", Host="evil.example")[0] == 400
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    connection.request("GET", "/media/../../etc/passwd")  # sent as is: no client-side tidying of the path
    assert connection.getresponse().status in (400, 404)
    connection.close()
    deadline = time.monotonic() + 30  # the worker writes its log lines on its own time
    while True:
        new = log.read_text().splitlines()[len(before) :]
        wanted = [line for line in new if "evil.example" in line or "etc/passwd" in line]
        if len(wanted) >= 2 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert any(line.startswith("ERROR django.security.DisallowedHost: Invalid HTTP_HOST header") for line in wanted)
    assert any("outside of the base path" in line and "/media/../../etc/passwd" in line for line in wanted)
    assert not [line for line in new if line.startswith(("Traceback", "  File "))], new


def a_story(site: LiveSite) -> str:
    """The address of a live story the other tests here do not rename."""
    return (
        site.command(
            "shell",
            "-c",
            "from dateline.news.models import ArticlePage; "
            f"print(ArticlePage.objects.live().exclude(title__startswith={STORY[:20]!r})"
            f".exclude(title__startswith={OTHER[:20]!r}).order_by('pk').first().url)",
        )
        .strip()
        .splitlines()[-1]
    )


class SlowUpload:
    """A client that announces a body of 100,000 bytes and sends one byte a second."""

    def __init__(self, site: LiveSite, path: str, csrf_cookie: str):
        import socket

        self.socket = socket.create_connection(("127.0.0.1", site.port), timeout=60)
        head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        # With a CSRF cookie, Django reads the body for the form's token: the upload reaches the body read.
        head += f"Cookie: csrftoken={csrf_cookie}\r\n"
        self.socket.sendall((head + "Content-Length: 100000\r\n\r\n").encode())
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._trickle, daemon=True)
        self.thread.start()

    def _trickle(self):
        while not self.stop.wait(1):
            try:
                self.socket.sendall(b"a")
            except OSError:
                return

    def answered(self) -> bytes:
        """What the server has sent so far (b"" when nothing), without waiting."""
        self.socket.setblocking(False)
        try:
            return self.socket.recv(4096)
        except BlockingIOError:
            return b""
        finally:
            self.socket.setblocking(True)

    def close(self):
        self.stop.set()
        self.socket.close()


def test_slow_uploads_never_hold_up_readers(served):
    story = a_story(served)
    fetch(served.url + story)  # cached
    form = urllib.request.urlopen(served.url + story + "email/", timeout=30)
    cookie = http.cookies.SimpleCookie(form.headers["Set-Cookie"])["csrftoken"].value
    slow = [SlowUpload(served, story + "email/", cookie) for _ in range(6)]  # the two, and more
    try:
        for _ in range(3):
            status, headers, _ = fetch(served.url + story)
            assert status == 200 and headers["x-dateline-cache"] == "hit"
            assert fetch(served.url + "/search/?q=bridge")[0] == 200  # rendered, not cached
        # Readers were served while every upload still trickled, unanswered.
        assert [upload.answered() for upload in slow] == [b""] * 6
    finally:
        for upload in slow:
            upload.close()


def test_a_body_larger_than_the_site_takes_is_refused_unread(served):
    import socket

    story = a_story(served)
    with socket.create_connection(("127.0.0.1", served.port), timeout=30) as connection:
        connection.sendall(
            f"POST {story}email/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 50000000\r\n\r\n".encode()
        )
        answer = connection.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413") and b"accepts at most 262,144" in answer

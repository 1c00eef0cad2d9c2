"""The wire desk in the real browser: an urgent item arrives and is held, an editor filters by agency,
previews it, edits the headline and publishes; the agency's update waits and shows only the agency's
change; the agency's kill takes the story off the site, stands in a banner, and is e-mailed."""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import axe, axe_source  # noqa: F401 (a fixture)
from tests.wire.test_newsmlg2 import item

GUID = "urn:test:desk:quake"
HEADLINE = "Earthquake shakes northern coast"


def version(tmp: Path, number: int, body: str, status: str = "usable") -> Path:
    data = item(body, guid=GUID, version=str(number), item_meta=f'<pubStatus qcode="stat:{status}"/>')
    data = data.replace(b"NATO set to approve Patriots for Turkey", HEADLINE.encode())
    data = data.replace(b"<name>Reuters</name>", b"<name>AP</name>").replace(b"nprov:REUTERS", b"nprov:AP")
    data = data.replace(b"<contentMeta>", b"<contentMeta><urgency>1</urgency>")
    data = data.replace(
        b"2012-12-02T15:12:00Z</versionCreated>", f"2012-12-02T15:{10 + number}:00Z</versionCreated>".encode()
    )
    path = tmp / f"quake-{number}.xml"
    path.write_bytes(data)
    return path


@pytest.fixture
def desk_login(live_site, page):
    password = secrets.token_urlsafe(16)
    live_site.command(
        "shell",
        "-c",
        "from django.contrib.auth.models import Group, User; "
        f"u, _ = User.objects.get_or_create(username='deskchief'); u.set_password({password!r}); "
        "u.is_superuser = True; u.is_staff = True; u.save(); "
        "from dateline.wire.models import IngestRule; "
        "IngestRule.objects.get_or_create(name='AP held', defaults={'agencies': 'AP', 'action': 'hold'})",
    )
    page.goto(live_site.url + "/admin/login/")
    page.fill("#id_username", "deskchief")
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/admin/$"))
    return page


def wait_for(condition, what: str, bound: float = 60) -> None:
    deadline = time.monotonic() + bound
    while not condition():
        assert time.monotonic() < deadline, f"not within {bound:.0f} s: {what}"
        time.sleep(0.1)


def test_the_desk_from_an_urgent_item_to_the_kill(live_site, desk_login, tmp_path, axe_source):  # noqa: F811
    page = desk_login
    base = live_site.url
    body = "<p>TOKYO (AP) _ A strong earthquake shook the northern coast on Sunday.</p><p>No damage was reported.</p>"
    live_site.command("ingest", str(version(tmp_path, 1, body)))

    # It is held by the rule, stands out as urgent, and the desk filters by agency.
    page.goto(base + "/admin/wire/")
    row = page.locator("table.listing tbody tr", has_text=HEADLINE)
    assert row.locator(".w-status--primary", has_text="Urgent").count() == 1
    assert "AP held" in row.inner_text()
    assert not axe(page, axe_source), "the Wire view has serious accessibility violations"
    page.goto(base + "/admin/wire/?agency=AP")
    assert page.locator("table.listing tbody tr").count() >= 1
    assert all("AP" in text for text in page.locator("table.listing tbody tr td:nth-child(3)").all_inner_texts())
    story_url = live_site.story_url(HEADLINE)
    assert page.request.get(base + story_url).status == 404  # held: not on the site

    # Preview, then edit the headline in Wagtail's editor and save the draft.
    with page.context.expect_page() as preview:
        page.locator("table.listing tbody tr", has_text=HEADLINE).get_by_role("link", name="Preview").click()
    assert "A strong earthquake shook the northern coast" in preview.value.content()
    preview.value.close()
    page.locator("table.listing tbody tr", has_text=HEADLINE).get_by_role("link", name="Edit").click()
    page.fill("#id_title", "Strong quake shakes northern coast")
    with page.expect_navigation():  # every wait here is on what the browser sees, never on a guess of time
        page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messages")).to_contain_text("updated")

    # Publish from the desk: the edited headline goes live.
    page.goto(base + "/admin/wire/")
    with page.expect_navigation():
        page.locator("table.listing tbody tr", has_text="Earthquake").get_by_role("button", name="Publish").click()
    assert page.url.endswith("/admin/wire/"), page.url  # back on the desk (a CSRF failure would stay)
    expect(page.locator(".messages")).to_contain_text("is published.")
    reader = page.request.get(base + live_site.story_url("Strong quake shakes northern coast"))
    assert reader.status == 200 and "Strong quake shakes northern coast" in reader.text()

    # The agency's update waits, and the comparison shows only the agency's change.
    live_site.command("ingest", str(version(tmp_path, 2, body + "<p>Trains were halted for an hour.</p>")))
    page.goto(base + "/admin/wire/")
    with page.expect_navigation():
        page.get_by_role("link", name="Compare update").click()
    changes = page.locator("tr[data-change]")
    expect(changes).to_have_count(1)
    assert "Trains were halted for an hour." in changes.inner_text()
    assert "Earthquake shakes" not in page.locator("table.listing").inner_text()  # no headline change shown

    # The kill: off the site at once, a banner on the desk, an e-mail to the desk.
    url = live_site.story_url("Strong quake shakes northern coast")
    live_site.command("ingest", str(version(tmp_path, 3, "", status="canceled")))
    assert page.request.get(base + url).status == 404
    page.goto(base + "/admin/wire/")
    assert "Kills applied" in page.content() and "KILL:" in page.content()
    wait_for(lambda: any("KILL applied" in p.read_text() for p in live_site.outbox()), "the kill e-mail")
    mail = next(p.read_text() for p in live_site.outbox() if "KILL applied" in p.read_text())
    assert "To: desk@news.example" in mail and "Strong quake shakes northern coast" in mail

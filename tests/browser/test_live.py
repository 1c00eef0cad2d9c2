"""Live coverage in a real browser (issue 20): a reader's open page learns of an update posted from
another session within one poll, offers it behind a button without moving the text, and the page
works with JavaScript off."""

from __future__ import annotations

from playwright.sync_api import expect

LIVE = "/world/storm-marra-live/"
POLL_BOUND_MS = 45_000  # one poll is 20 s, with up to 15 % jitter; generous for a loaded machine


def post_update(site, text: str) -> int:
    """An editor's update, posted from a process of its own (the pipeline purges on commit)."""
    out = site.command(
        "shell",
        "-c",
        "import json; from dateline.news.models import ArticlePage, LiveUpdate; "
        "story = ArticlePage.objects.get(slug='storm-marra-live'); "
        f"u = LiveUpdate.objects.create(article=story, body=json.dumps([{{'type': 'paragraph', 'value': '<p>{text}</p>'}}])); "
        "print(u.pk)",
    )
    return int(out.split()[-1])


def test_a_new_update_waits_behind_a_button_and_nothing_moves(live_site, page):
    page.goto(live_site.url + LIVE)
    first_unpinned = page.locator("li.live-update:not(.live-update--pinned)").first
    before = first_unpinned.bounding_box()
    expect(page.locator(".live__refresh")).to_be_hidden()  # the script took over the refresh link

    new_id = post_update(live_site, "Harbour wall breached at the north pier.")
    button = page.locator("button.live__show")
    expect(button).to_be_visible(timeout=POLL_BOUND_MS)
    expect(button).to_have_text("Show 1 new update")
    expect(page.locator(".live__notice")).to_contain_text("1 new update")
    assert page.locator(f"#update-{new_id}").count() == 0  # not put under the reader's eyes
    assert first_unpinned.bounding_box() == before  # the text did not move

    button.click()
    new = page.locator(f"#update-{new_id}")
    expect(new).to_be_focused()
    expect(new).to_contain_text("Harbour wall breached")
    items = page.locator("li.live-update")
    assert "live-update--pinned" in (items.nth(0).get_attribute("class") or "")  # the pinned one stays on top
    assert items.nth(1).get_attribute("id") == f"update-{new_id}"
    expect(button).to_be_hidden()
    assert page.console_errors == []  # no script or CSP error


def test_with_javascript_off_the_page_has_every_update_and_a_refresh_link(live_site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_site.url + LIVE)
    assert page.locator("li.live-update").count() >= 12
    refresh = page.locator(".live__refresh a")
    expect(refresh).to_be_visible()
    expect(page.locator("button.live__show")).to_be_hidden()
    refresh.click()
    expect(page).to_have_url(live_site.url + LIVE)
    context.close()


def test_the_keyboard_reaches_the_button_and_each_update_link(live_site, page):
    page.goto(live_site.url + LIVE)
    post_update(live_site, "Trains stopped at Keel junction.")
    button = page.locator("button.live__show")
    expect(button).to_be_visible(timeout=POLL_BOUND_MS)
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator("li.live-update", has_text="Trains stopped at Keel junction.")).to_be_focused()
    page.keyboard.press("Tab")  # on to the update's time, its permanent address
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused and "/updates/" in focused

"""Live coverage in a real browser (issue 20): a reader's open page learns of an update posted from
another session within one poll, offers it behind a button without moving the text, and the page
works with JavaScript off."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.test_wire_desk import desk_login  # noqa: F401 (a fixture)

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


def edit_update(site, update_id: int, text: str | None) -> None:
    """The desk edits update UPDATE_ID to TEXT, or deletes it (None), from a process of its own."""
    action = (
        f"u.body = json.dumps([{{'type': 'paragraph', 'value': '<p>{text}</p>'}}]); u.save()" if text else "u.delete()"
    )
    site.command(
        "shell",
        "-c",
        f"import json; from dateline.news.models import LiveUpdate; u = LiveUpdate.objects.get(pk={update_id}); {action}",
    )


def test_an_edited_update_changes_in_place_and_a_deleted_one_leaves_the_open_page(live_site, page):
    corrected = post_update(live_site, "Ferry services cancelled until Friday.")
    withdrawn = post_update(live_site, "Unconfirmed report of a collapsed bridge.")
    page.goto(live_site.url + LIVE)
    expect(page.locator(f"#update-{withdrawn}")).to_be_visible()
    order = page.eval_on_selector_all("li.live-update", "items => items.map(item => item.id)")
    edit_update(live_site, corrected, "Ferry services cancelled until Thursday.")
    edit_update(live_site, withdrawn, None)

    expect(page.locator(f"#update-{withdrawn}")).to_have_count(0, timeout=POLL_BOUND_MS)
    fixed = page.locator(f"#update-{corrected}")
    expect(fixed).to_contain_text("until Thursday", timeout=POLL_BOUND_MS)
    expect(fixed.locator(".live-update__edited")).to_contain_text("Edited")
    expect(page.locator("button.live__show")).to_be_hidden()  # nothing new to offer
    after = page.eval_on_selector_all("li.live-update", "items => items.map(item => item.id)")
    assert after == [anchor for anchor in order if anchor != f"update-{withdrawn}"]  # the edit kept its place
    assert page.console_errors == []


def test_the_desk_keeps_a_draft_update_through_a_closed_tab_and_forgets_it_once_posted(live_site, desk_login):  # noqa: F811
    page = desk_login
    story = live_site.command(
        "shell",
        "-c",
        "from dateline.news.models import ArticlePage; print(ArticlePage.objects.get(slug='storm-marra-live').pk)",
    ).split()[-1]
    desk = f"{live_site.url}/admin/live/{story}/"
    page.goto(desk)
    expect(page.locator("#id_text")).to_be_focused()  # keyboard first: type at once
    page.keyboard.type("Coastguard rescues two sailors off Keel Point.")
    page.fill("#id_headline", "Sailors rescued")
    expect(page.locator(".live-draft__status")).to_contain_text("Draft saved")

    page.context.pages[0].close()  # the tab is gone before anything was posted
    again = page.context.new_page()
    again.goto(desk)
    expect(again.locator("#id_text")).to_have_value("Coastguard rescues two sailors off Keel Point.")
    expect(again.locator("#id_headline")).to_have_value("Sailors rescued")
    expect(again.locator(".live-draft__status")).to_contain_text("unposted draft")

    again.click("form[data-live-draft] button[type=submit]")
    expect(again.locator("table.listing")).to_contain_text("Coastguard rescues two sailors")
    again.goto(desk)  # the posted update is not offered as a draft a second time
    expect(again.locator("#id_text")).to_have_value("")
    expect(again.locator(".live-draft__status")).to_have_text("")

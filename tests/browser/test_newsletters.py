"""Signing up for newsletters in Chromium, without JavaScript as with it: from the foot of a story to
the confirmation link in the e-mail, then the preferences page; axe on each page."""

from __future__ import annotations

import re
from email import policy
from email.parser import BytesParser

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import MULTI_PAGE
from tests.browser.test_accessibility import axe, axe_source  # noqa: F401  (the fixture)


@pytest.fixture(params=[True, False], ids=["with JavaScript", "without JavaScript"])
def tab(browser, request):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=request.param)
    page = context.new_page()
    page.scripts = request.param
    yield page
    context.close()


def accessible(tab, source) -> bool:
    """axe finds nothing serious; it runs only where scripts do (its checks wait on timers)."""
    return not tab.scripts or not axe(tab, source)


def confirmation_link(live_site, address: str) -> str:
    for path in reversed(live_site.outbox()):
        message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        if message["To"] == address:
            text = message.get_body(("plain",)).get_content()
            return re.search(r"https?://\S+/newsletters/confirm/\S+/", text).group(0)
    raise AssertionError(f"no confirmation e-mail to {address}")


def test_from_the_foot_of_a_story_to_a_confirmed_subscription(live_site, tab, axe_source, request):  # noqa: F811
    address = f"reader-{request.node.callspec.id.replace(' ', '-').lower()}@example.org"
    tab.goto(live_site.url + live_site.story_url(MULTI_PAGE))
    footer = tab.locator(".footer-signup")
    footer.get_by_label("E-mail address").fill(address)
    footer.get_by_role("button", name="Sign up").click()

    expect(tab.get_by_role("heading", name="Newsletters", exact=True)).to_be_visible()  # the full form, no token before
    assert tab.get_by_label("Your e-mail address").input_value() == address  # what was typed is kept
    assert accessible(tab, axe_source)
    tab.get_by_label(re.compile("^The Daily Briefing")).check()
    tab.get_by_label(re.compile("^Breaking news")).check()
    tab.get_by_role("button", name="Sign up").click()
    expect(tab.get_by_role("heading", name="Check your inbox")).to_be_visible()

    link = confirmation_link(live_site, address)
    assert link.startswith(live_site.url)
    tab.goto(link)
    expect(tab.get_by_role("heading", name="Confirm your newsletters")).to_be_visible()
    tab.get_by_role("button", name="Confirm").click()
    expect(tab.get_by_role("heading", name="You are signed up")).to_be_visible()
    assert tab.locator(".newsletters li").all_inner_texts() == ["The Daily Briefing", "Breaking news"]

    tab.get_by_role("link", name="Change your newsletters").click()
    expect(tab.get_by_role("heading", name="Your newsletters")).to_be_visible()
    assert accessible(tab, axe_source)
    tab.get_by_label(re.compile("^Breaking news")).uncheck()
    tab.get_by_role("button", name="Save my choices").click()
    expect(tab.get_by_role("status")).to_have_text("Your choices are saved.")
    assert tab.get_by_label(re.compile("^The Daily Briefing")).is_checked()
    assert not tab.get_by_label(re.compile("^Breaking news")).is_checked()

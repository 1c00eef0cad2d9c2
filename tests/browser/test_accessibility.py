"""WCAG 2.2 AA with axe-core on every kind of page, the keyboard, and the Content-Security-Policy."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import AXE, MULTI_PAGE, require

SEED = "NATO aims to repair Russia ties despite Patriot row"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def pages(site):
    seed, multi = site.story_url(SEED), site.story_url(MULTI_PAGE)
    return {
        "home": "/",
        "section": "/world/",
        "article": multi,
        "article page 2": multi + "page/2/",
        "article single": multi + "single/",
        "print": seed + "print/",
        "email form": seed + "email/",
        "search": "/search/?q=cliffs",
        "search, nothing found": "/search/?q=zzqx",
        "topic": "/topics/nato/",
        "author": "/authors/mara-lindqvist/",
        "tag": "/tags/innenriks/",
        "not found": "/no-such-page/",
        "newsletters": "/newsletters/",
        "live story": "/world/storm-marra-live/",
        "live update": "/world/storm-marra-live/updates/1/",
        "story in Norwegian": site.story_url("Google har kjøpt giganttomt i Skien"),
    }


@pytest.fixture(scope="module")
def axe_source():
    require(AXE, "axe-core")
    return AXE.read_text()


def axe(page, source) -> list[dict]:
    """Serious and critical WCAG 2.2 AA violations axe-core finds on the page.

    axe is evaluated through the DevTools protocol, not added as a <script>, so the page's
    strict Content-Security-Policy stays as readers get it."""
    page.evaluate(source)
    result = page.evaluate("opts => axe.run(document, opts)", {"runOnly": {"type": "tag", "values": WCAG}})
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_no_serious_accessibility_violations(live_site, page, axe_source):
    found = {}
    for name, path in pages(live_site).items():
        page.goto(live_site.url + path)
        problems = axe(page, axe_source)
        if problems:
            found[name] = problems
    assert not found


def test_no_problem_wagtails_checker_shows_editors(live_site, page, axe_source):
    """The rules Wagtail's accessibility checker runs in the editor's preview (its own two rules
    aside, which axe-core lacks), at any impact: a paragraph styled as a heading ("Continued...",
    once) is what an editor sees flagged there."""
    from wagtail.admin.userbar import AccessibilityItem

    found = {}
    for name, path in pages(live_site).items():
        page.goto(live_site.url + path)
        page.evaluate(axe_source)
        known = set(page.evaluate("() => axe.getRules().map(rule => rule.ruleId)"))
        rules = [rule for rule in AccessibilityItem.axe_run_only if rule in known]
        assert "p-as-heading" in rules and "heading-order" in rules
        result = page.evaluate("opts => axe.run(document, opts)", {"runOnly": {"type": "rule", "values": rules}})
        if result["violations"]:
            found[name] = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    assert not found


def test_the_email_form_with_errors_is_accessible(live_site, page, axe_source):
    page.goto(live_site.url + live_site.story_url(SEED) + "email/")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#form-problem")).to_be_visible()  # waits for the answer, not for a guess of time
    assert not axe(page, axe_source)


def test_no_content_security_policy_errors(live_site, page):
    for name, path in pages(live_site).items():
        page.console_errors.clear()
        page.goto(live_site.url + path)
        page.wait_for_load_state("load")
        blocked = [e for e in page.console_errors if "Content Security Policy" in e or "Refused to" in e]
        assert not blocked, (name, blocked)


def focus_order(page, presses: int) -> list[dict]:
    """What Tab reaches, in order, up to the end of the page."""
    seen = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement === document.body"):
            break
        seen.append(
            page.evaluate("""() => {
            const e = document.activeElement, s = getComputedStyle(e);
            return {text: (e.getAttribute('aria-label') || e.innerText || e.value || '').trim(),
                    tag: e.tagName, outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
                    shadow: s.boxShadow !== 'none'};
        }""")
        )
    return seen


def test_keyboard_a_skip_link_first_then_every_tool_in_order_with_a_visible_focus(live_site, page):
    page.goto(live_site.url + live_site.story_url(MULTI_PAGE))
    order = focus_order(page, 40)
    assert order[0]["text"] == "Skip to the story"
    texts = [step["text"] for step in order]
    tools = ["Email This Article", "Print This Article", "Single Page", "Smaller text", "Larger text"]
    positions = [next(i for i, t in enumerate(texts) if t.startswith(tool)) for tool in tools]
    assert positions == sorted(positions)  # in reading order
    assert texts.index("Continued...") > positions[-1]
    assert all(step["outline"] or step["shadow"] for step in order), [
        s for s in order if not (s["outline"] or s["shadow"])
    ]
    page.keyboard.press("Shift+Tab")


def test_the_skip_link_moves_focus_to_the_story(live_site, page):
    page.goto(live_site.url + live_site.story_url(SEED))
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "story"


def test_the_dark_theme_follows_the_system_and_reads_as_well(live_site, browser, axe_source):
    """With the system set to dark, pages turn dark (no script, no setting) and axe finds no
    contrast or other serious problem in them either."""
    context = browser.new_context(color_scheme="dark", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    found = {}
    for name, path in pages(live_site).items():
        page.goto(live_site.url + path)
        if name != "print":  # paper stays white
            assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(18, 20, 23)", name
        problems = axe(page, axe_source)
        if problems:
            found[name] = problems
    context.close()
    assert not found


ARIA_REFERENCES = """() => {
  const missing = [];
  for (const attribute of ["aria-labelledby", "aria-describedby", "aria-controls", "aria-owns", "aria-details",
                           "aria-errormessage", "aria-activedescendant", "aria-flowto"]) {
    for (const element of document.querySelectorAll(`[${attribute}]`)) {
      for (const id of element.getAttribute(attribute).split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) missing.push(`${element.tagName.toLowerCase()}[${attribute}] -> #${id}`);
      }
    }
  }
  return missing;
}"""


def test_every_id_an_aria_attribute_names_is_on_the_page(live_site, page):
    """A reference to a missing id is silently ignored by screen readers (the e-mail form's help texts
    were once read by nobody): on every page type, each aria-* id reference resolves."""
    missing = {}
    for name, path in pages(live_site).items():
        page.goto(live_site.url + path)
        if found := page.evaluate(ARIA_REFERENCES):
            missing[name] = found
    page.goto(live_site.url + pages(live_site)["email form"])
    page.get_by_role("button", name="Send").click()  # the form again, with its errors
    expect(page.locator("#form-problem")).to_be_visible()
    if found := page.evaluate(ARIA_REFERENCES):
        missing["email form with errors"] = found
    assert not missing

"""Every reader tool, clicked as a reader would, in Chromium; JavaScript off; print; a phone."""

import io
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import MULTI_PAGE

SEED = "NATO aims to repair Russia ties despite Patriot row"


def body_font_size(page) -> float:
    return page.eval_on_selector(".story__body p", "p => parseFloat(getComputedStyle(p).fontSize)")


def test_text_size_steps_stop_at_the_ends_and_are_remembered(live_site, page):
    url = live_site.url + live_site.story_url(SEED)
    page.goto(url)
    larger, smaller = page.get_by_role("button", name="Larger text"), page.get_by_role("button", name="Smaller text")
    start = body_font_size(page)
    sizes = [start]
    while larger.is_enabled():
        larger.click()
        sizes.append(body_font_size(page))
    assert sizes == sorted(sizes) and len(set(sizes)) == len(sizes) and len(sizes) >= 4  # a real step each click
    assert larger.is_disabled()
    page.reload()
    assert body_font_size(page) == sizes[-1]  # survives a reload
    page.goto(live_site.url + live_site.story_url(MULTI_PAGE))
    assert body_font_size(page) == sizes[-1]  # and a move to another story
    while smaller.is_enabled():
        smaller.click()
    assert smaller.is_disabled() and body_font_size(page) < start


def test_single_page_shows_every_paragraph(live_site, page):
    url = live_site.url + live_site.story_url(MULTI_PAGE)
    page.goto(url)
    first = page.locator(".story__body p").count()
    page.get_by_role("link", name="Single Page").click()
    page.wait_for_url("**/single/")
    everything = page.locator(".story__body p").count()
    page.goto(url + "page/2/")
    second = page.locator(".story__body p").count()
    assert everything == first + second and second > 0


def test_continued_leads_to_page_two_and_back(live_site, page):
    url = live_site.url + live_site.story_url(MULTI_PAGE)
    page.goto(url)
    page.get_by_role("link", name="Continued...").click()
    page.wait_for_url("**/page/2/")
    assert page.locator(".story__body p").first.is_visible()
    page.get_by_role("link", name="Previous page").click()
    page.wait_for_url(url)


def test_print_this_article_opens_the_print_view(live_site, page):
    page.goto(live_site.url + live_site.story_url(SEED))
    page.get_by_role("link", name="Print This Article").click()
    page.wait_for_url("**/print/")
    assert page.locator("h1").inner_text() == SEED


def test_share_links_carry_the_story_address(live_site, page):
    path = live_site.story_url(SEED)
    page.goto(live_site.url + path)
    links = {
        a.text_content().split("(")[0].strip(): a.get_attribute("href")
        for a in page.locator(".toolbar__networks a").all()
    }
    assert set(links) == {"Facebook", "LinkedIn", "Twitter"}, links
    canonical = live_site.url + path
    assert parse_qs(urlsplit(links["Facebook"]).query)["u"] == [canonical]
    assert parse_qs(urlsplit(links["LinkedIn"]).query)["url"] == [canonical]
    twitter = parse_qs(urlsplit(links["Twitter"]).query)
    assert twitter["url"] == [canonical] and twitter["text"] == [SEED]


def test_the_email_form_keeps_what_was_typed_and_sends(live_site, page):
    page.goto(live_site.url + live_site.story_url(SEED) + "email/")
    page.get_by_label("Your name").fill("Ana Reader")
    page.get_by_label("Your e-mail address").fill("not-an-address")
    page.get_by_label("To", exact=True).fill("friend@example.org")
    page.get_by_label("Note (optional)").fill("Worth reading.")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#form-problem")).to_be_visible()  # waits for the answer, not for a guess of time
    assert page.locator(".field__errors").first.is_visible()
    assert page.get_by_label("Your name").input_value() == "Ana Reader"
    assert page.get_by_label("Note (optional)").input_value() == "Worth reading."
    before = len(live_site.outbox())
    page.get_by_label("Your e-mail address").fill("ana@example.org")
    page.get_by_role("button", name="Send").click()
    page.wait_for_url("**/email/sent/?sent=1")  # the count in the address: no session cookie
    assert "sent" in page.locator("main").inner_text().lower()
    assert len(live_site.outbox()) == before + 1
    assert SEED in live_site.outbox()[-1].read_text()


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_without_javascript_pages_read_and_navigate(live_site, no_js_page):
    page = no_js_page
    page.goto(live_site.url + "/")
    page.locator(".teaser__headline a").first.click()
    assert page.locator(".story__body p").count() > 0
    assert page.locator("[data-text-size-controls]").is_hidden()
    page.get_by_role("link", name="Single Page").click()
    page.wait_for_url("**/single/")
    page.goto(live_site.url + "/search/?q=cliffs")
    assert page.locator(".search-hits li").count() >= 1
    from tests.browser.test_accessibility import pages

    for name, path in pages(live_site).items():  # every kind of page reads without scripts
        response = page.goto(live_site.url + path)
        assert response.status == (404 if name == "not found" else 200), name
        assert page.locator("main h1").first.inner_text().strip(), name


def test_print_hides_the_site_around_the_story_and_the_pdf_has_it_all(live_site, page):
    path = live_site.story_url(MULTI_PAGE)
    page.goto(live_site.url + path)
    page.emulate_media(media="print")
    for selector in (".site-header", ".toolbar", ".site-footer", ".site-search"):
        assert page.locator(selector).first.is_hidden(), selector
    page.goto(live_site.url + path + "single/")
    paragraphs = [p.inner_text() for p in page.locator(".story__body p").all()]
    byline = page.locator(".story__byline").inner_text()
    dateline = page.locator(".story__dateline").inner_text().strip()
    page.goto(live_site.url + path + "print/")
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)
    assert MULTI_PAGE in text and byline in text
    assert dateline.rstrip(" -") in text  # "VELMORA (Northwind News)"
    for paragraph in paragraphs:
        assert " ".join(paragraph.split())[:60] in text


def test_the_seed_printed_has_its_caption_and_no_empty_page(live_site, page):
    page.goto(live_site.url + live_site.story_url(SEED) + "print/")
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    texts = [" ".join((sheet.extract_text() or "").split()) for sheet in pdf.pages]
    assert all(len(text) > 200 for text in texts), [len(text) for text in texts]  # no page of its own for a box
    everything = " ".join(texts)
    assert "A woman walks past the NATO logo" in everything and "REUTERS/Thierry Roge" in everything
    assert "Photo not available" not in everything
    assert everything.index("REUTERS/Thierry Roge") < everything.index("BRUSSELS (Reuters)")


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True, has_touch=True
    )
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("where", ["/", "story", "/search/?q=harbour", "/topics/nato/"])
def test_on_a_phone_nothing_scrolls_sideways_and_controls_are_big_enough(live_site, phone, where):
    url = live_site.url + (live_site.story_url(SEED) if where == "story" else where)
    phone.goto(url)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{where}: the page is {width}px wide"
    assert phone.eval_on_selector("body", "b => parseFloat(getComputedStyle(b).fontSize)") >= 16
    if where == "story":
        for control in phone.locator(".toolbar a, .toolbar button").all():
            box = control.bounding_box()
            assert box["width"] >= 24 and box["height"] >= 24, (control.inner_text(), box)
        assert body_font_size(phone) >= 16


TOOLBAR_GROUPS = """list => {
  const edge = list.getBoundingClientRect().left;  // the list clips what lies left of it
  return [...list.children].filter(group => group.getClientRects().length).map(group => {
    const box = group.getBoundingClientRect();
    const rule = parseFloat(getComputedStyle(group).borderLeftWidth) > 0 && box.left >= edge;
    const tops = [...group.querySelectorAll("a, button")].map(c => Math.round(c.getBoundingClientRect().top));
    return {name: group.innerText.trim().split("\\n")[0], top: Math.round(box.top), left: box.left,
            rule: rule, controlTops: tops, height: Math.round(box.height)};
  });
}"""


def toolbar_lines(page) -> list[list[dict]]:
    groups = page.eval_on_selector(".toolbar__list", TOOLBAR_GROUPS)
    lines: list[list[dict]] = []  # groups are centred on their line, so a line is a run of near-equal centres
    for group in sorted(groups, key=lambda g: g["top"] + g["height"] / 2):
        centre = group["top"] + group["height"] / 2
        if lines and abs(centre - (lines[-1][0]["top"] + lines[-1][0]["height"] / 2)) < 8:
            lines[-1].append(group)
        else:
            lines.append([group])
    return [sorted(line, key=lambda g: g["left"]) for line in lines]


@pytest.mark.parametrize("width", [1280, 390, 320])
def test_the_toolbar_wraps_as_whole_groups_and_no_line_starts_with_a_separator(browser, live_site, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(live_site.url + live_site.story_url(SEED))
    expect(page.get_by_role("button", name="Larger text")).to_be_visible()  # all five groups, scripts on
    lines = toolbar_lines(page)
    context.close()
    groups = [group for line in lines for group in line]
    assert len(groups) == 5, groups
    assert len(lines) <= 2, lines  # the 40-rem column of a desktop and a phone alike
    for line in lines:
        first, *rest = line
        assert not first["rule"], f"line starts with a separator at {width}px: {line}"
        assert all(group["rule"] for group in rest), f"groups not separated at {width}px: {line}"
    for group in groups:  # a group never breaks inside ("Share: Facebook LinkedIn Twitter" stays together)
        assert max(group["controlTops"]) - min(group["controlTops"]) < group["height"], group


def test_on_a_phone_the_toolbar_shows_icons_named_for_screen_readers(live_site, phone):
    phone.goto(live_site.url + live_site.story_url(SEED))
    toolbar = phone.get_by_role("navigation", name="Story tools")
    for name in ("Email This Article", "Facebook", "LinkedIn", "Twitter", "Print This Article", "Single Page"):
        control = toolbar.get_by_role("link", name=name)
        expect(control).to_be_visible()
        assert control.locator("svg").is_visible(), name
        box = control.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, (name, box)
    for label in toolbar.locator(".toolbar__label").all():  # the words are for screen readers there
        box = label.bounding_box()
        assert box is None or (box["width"] <= 1 and box["height"] <= 1), (label.text_content(), box)


@pytest.mark.parametrize("name", ["home", "section", "article", "print", "email form", "search", "topic", "author"])
def test_at_320_px_no_text_or_control_overflows_the_screen(browser, live_site, name):
    from tests.browser.test_accessibility import pages

    context = browser.new_context(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(live_site.url + pages(live_site)[name])
    width = page.evaluate("document.documentElement.scrollWidth")
    outside = page.evaluate(
        """() => [...document.querySelectorAll("body *")].filter(el => {
             const box = el.getBoundingClientRect(), style = getComputedStyle(el);
             if (!box.width || style.visibility === "hidden" || el.closest(".visually-hidden, .skip-link, [hidden], .honeypot")) return false;  // off screen on purpose
             if (getComputedStyle(el).position === "absolute" && box.width <= 1) return false;  // screen-reader text
             return box.left < -1 || box.right > window.innerWidth + 1;
           }).map(el => el.tagName + "." + el.className + ": " + (el.innerText || "").slice(0, 40))"""
    )
    context.close()
    assert width <= 320, f"{name}: the page is {width}px wide"
    assert not outside, f"{name}: outside the screen at 320px: {outside[:5]}"


def test_screenshots_for_a_person_to_look_at(live_site, browser, screenshots):
    from tests.browser.test_accessibility import pages

    for width in (1280, 390):
        context = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=width < 600)
        page = context.new_page()
        for name, path in pages(live_site).items():
            page.goto(live_site.url + path)
            page.screenshot(path=str(screenshots / f"{name.replace(' ', '-')}-{width}.png"), full_page=True)
        context.close()
    shots = sorted(screenshots.glob("*.png"))
    assert len(shots) == 2 * len(pages(live_site)), shots
    assert all(shot.stat().st_size > 10_000 for shot in shots)

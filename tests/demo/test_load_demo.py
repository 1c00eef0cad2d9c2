"""dateline load-demo: a site a newcomer can browse, created the same way every time."""

from io import StringIO

import pytest
from django.core.management import call_command

from dateline.news.models import Agency, ArticlePage, Author, SectionPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=StringIO())


def test_demo_site(demo, client):
    stories = ArticlePage.objects.live()
    assert stories.count() >= 12
    assert set(SectionPage.objects.values_list("slug", flat=True)) >= {"world", "politics", "business"}
    assert sum(1 for story in stories if len(story.story_pages()) > 1) >= 2
    with_photos = [story for story in stories if story.lead_image_id]
    assert len(with_photos) >= 4
    for story in with_photos:
        assert story.lead_image.file.size > 0 and story.lead_image.credit
    assert Author.objects.count() >= 4 and Agency.objects.count() >= 2
    for story in stories:
        assert client.get(story.url).status_code == 200


def test_demo_photo_renders_with_caption_and_credit(demo, client):
    from bs4 import BeautifulSoup

    story = ArticlePage.objects.filter(lead_image__isnull=False).first()
    figure = BeautifulSoup(client.get(story.url).content, "html.parser").select_one("figure.photo")
    img = figure.select_one("img")
    assert client.get(img["src"]).status_code == 200
    assert figure.select_one(".photo__caption").get_text() == story.lead_image.caption
    assert figure.select_one(".photo__credit").get_text() == story.lead_image.credit


def test_every_demo_photo_is_a_different_picture(demo):
    """Not the same scene redrawn: told apart by eye (the mean difference of small greyscale copies of
    any two is over 20 of 255; two of the plain landscapes differ by about 10)."""
    import itertools

    from PIL import Image, ImageChops, ImageStat

    from dateline.news.models import NewsImage

    small = []
    for image in NewsImage.objects.all():
        with image.file.open("rb") as handle:
            small.append(Image.open(handle).convert("L").resize((24, 16)))
    assert len(small) >= 7
    for a, b in itertools.combinations(small, 2):
        assert ImageStat.Stat(ImageChops.difference(a, b)).mean[0] > 20


def test_load_demo_is_idempotent(demo):
    counts = (ArticlePage.objects.count(), SectionPage.objects.count(), Author.objects.count())
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "13 unchanged" in out.getvalue()
    assert (ArticlePage.objects.count(), SectionPage.objects.count(), Author.objects.count()) == counts


def test_the_demo_home_page_leads_with_a_pinned_story_and_a_rerun_keeps_an_editors_choice(demo, client):
    from bs4 import BeautifulSoup

    from dateline.news.fronts import FrontPick, pin
    from dateline.news.models import HomePage

    def lead_title() -> str:
        soup = BeautifulSoup(client.get("/").content, "html.parser")
        return soup.select_one(".lead-story .teaser__headline").get_text(strip=True)

    newest = ArticlePage.objects.live().order_by("-published_at").first()
    pinned = FrontPick.objects.get(slot=FrontPick.Slot.LEAD)
    assert pinned.story.title != newest.title  # chosen, not the fallback
    assert pinned.story.lead_image_id is not None  # the lead's large picture
    assert lead_title() == pinned.story.title

    chosen = ArticlePage.objects.live().exclude(pk=pinned.story_id).filter(lead_image__isnull=False).first()
    pin(HomePage.objects.get(), chosen, FrontPick.Slot.LEAD)
    call_command("load_demo", stdout=StringIO())
    assert lead_title() == chosen.title


def test_the_demo_has_a_live_story_with_a_dozen_updates_one_pinned(demo, client):
    from bs4 import BeautifulSoup

    from dateline.news.live import LiveUpdate

    story = ArticlePage.objects.get(slug="storm-marra-live")
    assert story.live and story.coverage_running
    assert story.live_updates.count() == 12 and story.live_updates.filter(pinned=True).count() == 1
    soup = BeautifulSoup(client.get(story.url).content, "html.parser")
    items = soup.select("li.live-update")
    assert len(items) == 12 and "live-update--pinned" in items[0]["class"]
    assert len(soup.select(".live__key-points li")) == 5
    call_command("load_demo", stdout=StringIO())  # a second run leaves it as it is
    assert LiveUpdate.objects.filter(article=story).count() == 12

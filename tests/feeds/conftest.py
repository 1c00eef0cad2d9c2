"""A small published site for the distribution tests, with stories that must never be listed."""

from dataclasses import dataclass, replace
from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.rich_text import RichText

from dateline.demo.images import landscape
from dateline.news.models import ArticlePage, HomePage, SectionPage
from dateline.wire.importer import import_story
from dateline.wire.story import WirePhoto, WireStory

HIDDEN = ("Embargoed budget leaks", "Withdrawn report on talks", "Draft on the harbour")


@dataclass
class Site:
    world: SectionPage
    business: SectionPage
    nato: ArticlePage
    staff: ArticlePage
    markets: ArticlePage


def story(guid, headline, hours_ago, **fields):
    now = timezone.now().replace(microsecond=0)
    base = WireStory(
        guid=guid,
        headline=headline,
        published=now - timedelta(hours=hours_ago),
        paragraphs=(f"First paragraph of {headline.lower()}.", "Second paragraph, with <b>bold</b> words."),
        summary=f"Summary of {headline.lower()}.",
        source_format="test",
    )
    return replace(base, **fields)


@pytest.fixture
def site(world, tmp_path):
    business = SectionPage(title="Business", slug="business")
    HomePage.objects.get().add_child(instance=business)
    business.save_revision().publish()
    (tmp_path / "patriot.jpg").write_bytes(landscape("patriot"))

    nato = import_story(
        story(
            "urn:newsml:example.com:20121202:nato-patriot",
            "NATO set to approve Patriots for Turkey",
            2,
            byline="By Adrian Croft",
            authors=("Adrian Croft",),
            dateline="BRUSSELS",
            agency="Reuters",
            tags=("NATO", "Turkey"),
            version=2,
            updated=timezone.now().replace(microsecond=0) - timedelta(hours=1),
            photos=(WirePhoto("A Patriot missile battery on exercise.", "REUTERS/Test Photographer", "patriot.jpg"),),
        ),
        section="world",
        base_dir=tmp_path,
    ).page
    staff = import_story(
        story(
            "tag:example.com,2026:staff-1", "Ferry services resume after storm", 5, byline="By Staff", tags=("Weather",)
        ),
        section="world",
    ).page
    markets = import_story(
        story(
            "urn:test:markets",
            "Markets close higher on trade hopes",
            72,
            byline="By Adrian Croft",
            authors=("Adrian Croft",),
            tags=("Turkey",),
        ),
        section="business",
    ).page

    import_story(
        story(
            "urn:test:embargo",
            HIDDEN[0],
            1,
            embargo=timezone.now() + timedelta(days=1),
            byline="By Adrian Croft",
            authors=("Adrian Croft",),
            tags=("NATO",),
        ),
        section="world",
    )
    import_story(
        story("urn:test:withdrawn", HIDDEN[1], 3, byline="By Adrian Croft", authors=("Adrian Croft",), tags=("NATO",)),
        section="world",
    )
    import_story(story("urn:test:withdrawn", HIDDEN[1], 3, version=2, pub_status="withdrawn"), section="world")
    draft = ArticlePage(
        title=HIDDEN[2],
        slug="draft-on-the-harbour",
        live=False,
        summary="Not yet.",
        body=[("paragraph", RichText("<p>The harbour draft's only paragraph.</p>"))],
    )
    world.add_child(instance=draft)
    draft.save_revision()
    return Site(world, business, nato, staff, markets)

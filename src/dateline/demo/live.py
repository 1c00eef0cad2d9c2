"""The demo's live story: a storm reaching the Ostrel coast, followed in twelve updates, one pinned.

Written for Dateline's demo (the places and people are invented). Loaded once: a second
``load-demo`` finds it by its address and leaves it, with whatever an editor has posted since.
"""

from __future__ import annotations

import html
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from dateline.news.live import LiveUpdate
from dateline.news.models import ArticlePage, SectionPage

SLUG = "storm-marra-live"
TITLE = "Storm Marra reaches the Ostrel coast: live updates"
SUMMARY = "Gusts of up to 140 km/h, ferries halted and 2,000 homes without power as the storm comes ashore."
INTRO = (
    "Storm Marra is crossing the Ostrel coast this afternoon, bringing the strongest winds the region has "
    "recorded in a decade. Follow the latest from our reporters in Port Adley and along the cliffs below."
)
KEY_POINTS = """Gusts of up to 140 km/h recorded at the Port Adley lighthouse
All ferry sailings halted until tomorrow morning
About 2,000 homes without power, according to the grid operator
Residents of the lower cliff road asked to leave their homes by 6pm
Schools in three districts closed tomorrow"""

# (minutes after the coverage began, headline, text, pinned)
UPDATES = [
    (
        5,
        "",
        "The weather service has raised its warning for the whole coast to red, its highest level, from 2pm.",
        False,
    ),
    (
        18,
        "Ferries halted",
        "The harbour authority says no ferry will leave Port Adley before tomorrow at 7am. "
        "Passengers booked on today's sailings can change their tickets free of charge.",
        False,
    ),
    (34, "", "Waves are breaking over the harbour wall. Police have closed the promenade to walkers and cars.", False),
    (
        51,
        "Leave the lower cliff road by 6pm",
        "The council asks everyone living on the lower cliff road to leave their homes by 6pm and stay with "
        "family or at the sports hall on Mill Street, which opens at 4pm with beds and hot meals.\n\n"
        "Take medicines, documents and a phone charger. Pets are welcome at the hall.",
        True,
    ),
    (
        66,
        "",
        "The lighthouse station has measured a gust of 131 km/h, the highest reading of the afternoon so far.",
        False,
    ),
    (
        80,
        "Power cuts",
        "The grid operator says about 1,200 homes are without power, most of them in the "
        "northern villages. Crews are waiting for the wind to drop before they climb the lines.",
        False,
    ),
    (
        97,
        "",
        "Trains between Port Adley and the city are running at reduced speed, with delays of up to 40 minutes.",
        False,
    ),
    (115, "", "A fallen tree has blocked the coast road at Hallow Bend. Drivers are being sent inland.", False),
    (
        138,
        "Schools closed tomorrow",
        "Schools in the Adley, Northmoor and Keel districts will stay closed "
        "tomorrow, the education office says. Parents will get a message by 8pm.",
        False,
    ),
    (160, "", "Gusts of 140 km/h at the lighthouse. The weather service says the peak should pass by 9pm.", False),
    (181, "", "The number of homes without power has risen to about 2,000.", False),
    (
        205,
        "Evening outlook",
        "Forecasters expect the wind to ease after midnight, with heavy rain until the "
        "morning. The red warning stays in force until 6am.",
        False,
    ),
]


def _paragraphs(text: str) -> list[dict]:
    return [{"type": "paragraph", "value": f"<p>{html.escape(part.strip())}</p>"} for part in text.split("\n\n")]


@transaction.atomic
def load_live_story() -> bool:
    """Create the live story and its updates unless it exists; True when it was created."""
    section = SectionPage.objects.filter(slug="world").first()
    if section is None or ArticlePage.objects.filter(slug=SLUG).exists():
        return False
    started = timezone.now() - timedelta(minutes=UPDATES[-1][0] + 10)
    story = ArticlePage(
        title=TITLE,
        slug=SLUG,
        summary=SUMMARY,
        dateline="PORT ADLEY",
        byline_text="By Dateline staff",
        body=_paragraphs(INTRO),
        live_since=started,
        key_points=KEY_POINTS,
        published_at=started,
    )
    section.add_child(instance=story)
    story.save_revision().publish()
    for minutes, headline, text, pinned in UPDATES:
        LiveUpdate.objects.create(
            article=story,
            posted_at=started + timedelta(minutes=minutes),
            headline=headline,
            body=_paragraphs(text),
            pinned=pinned,
        )
    return True

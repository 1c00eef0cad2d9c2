"""dateline load-demo: the demo site's sections and stories, loaded through import-text.

Idempotent: sections are looked up by slug, stories by their guid, and pictures are drawn
only for stories that do not have one yet. The home page's lead is pinned, as an editor would,
to a story that is not the newest, unless a lead is pinned already (an editor's choice stays).
"""

from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from dateline.demo.images import picture
from dateline.demo.live import load_live_story
from dateline.demo.topics import load_topics
from dateline.news.fronts import FrontPick, pin
from dateline.news.models import ArticlePage, HomePage, NewsImage, SectionPage
from dateline.newsletters.models import NewsletterList
from dateline.topics.tagging import tag_story
from dateline.wire.importer import import_story
from dateline.wire.ingest import read_story
from dateline.wire.story import WireError

STORIES = Path(__file__).resolve().parents[2] / "stories"
HOME_LEAD = "world/coast-relocation"  # the day's big story, with a picture; newer ones follow it
SECTIONS = [
    ("world", "World", "News from around the world."),
    ("politics", "Politics", "Councils, parliaments and elections."),
    ("business", "Business", "Companies, work and money."),
    ("science", "Science", "Research and discoveries."),
    ("sport", "Sport", "Results and the people behind them."),
]


class Command(BaseCommand):
    help = "Create the demo sections and stories (written for Dateline; safe to run again)."

    def handle(self, *args, **options):
        home = HomePage.objects.first()
        if home is None:
            raise CommandError("there is no home page: run 'dateline migrate' first")
        for slug, title, intro in SECTIONS:
            if not SectionPage.objects.filter(slug=slug).exists():
                section = SectionPage(title=title, slug=slug, intro=intro, show_in_menus=True)
                home.add_child(instance=section)
                section.save_revision().publish()
                self.stdout.write(f"section created: /{slug}/")

        made = load_topics()  # before the stories, so that publishing them tags them
        if made:
            self.stdout.write(f"topics created: {made}")
        counts: dict[str, int] = {}
        loaded = {}
        for path in sorted(STORIES.glob("*/*.txt")):
            try:
                result = import_story(read_story(path), section=path.parent.name, action="publish")
            except WireError as exc:
                raise CommandError(f"{path.name}: {exc}") from exc
            counts[result.action] = counts.get(result.action, 0) + 1
            loaded[f"{path.parent.name}/{path.stem}"] = result.page.pk
            if result.page.lead_image_id is None and result.page.lead_caption:
                self._add_picture(result.page, path.stem)
        if not FrontPick.objects.filter(front=home, slot=FrontPick.Slot.LEAD).exists():
            lead = ArticlePage.objects.get(pk=loaded[HOME_LEAD])
            pin(home, lead, FrontPick.Slot.LEAD)
            self.stdout.write(f"home page lead pinned: {lead.title}")
        if load_live_story():
            self.stdout.write("live story created: /world/storm-marra-live/, 12 updates")
        if made:  # stories loaded before these topics existed are tagged now
            for page in ArticlePage.objects.live():
                tag_story(page)
        lists = self._newsletters()
        if lists:
            self.stdout.write(f"newsletter lists created: {lists}")
        summary = ", ".join(f"{n} {action}" for action, n in sorted(counts.items()))
        self.stdout.write(self.style.SUCCESS(f"demo stories: {summary}"))

    def _newsletters(self) -> int:
        """The daily briefing, a digest for each section and breaking-news alerts (kept as an editor left them)."""
        Kind = NewsletterList.Kind
        wanted = [
            ("daily-briefing", "The Daily Briefing", Kind.BRIEFING, "The day's main stories, each morning.", None)
        ]
        for section in SectionPage.objects.live().order_by("path"):
            wanted.append(
                (
                    f"section-{section.slug}",
                    section.title,
                    Kind.SECTION,
                    f"New {section.title} stories, daily.",
                    section,
                )
            )
        wanted.append(("breaking-news", "Breaking news", Kind.BREAKING, "An e-mail when big news breaks.", None))
        made = 0
        for order, (slug, name, kind, description, section) in enumerate(wanted):
            _, created = NewsletterList.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "kind": kind,
                    "description": description,
                    "section": section,
                    "sort_order": order,
                },
            )
            made += created
        return made

    @transaction.atomic
    def _add_picture(self, page: ArticlePage, name: str) -> None:
        image = NewsImage(title=page.title[:255], caption=page.lead_caption, credit=page.lead_credit)
        image.file = ImageFile(ContentFile(picture(name), name=f"{name}.jpg"), name=f"{name}.jpg")
        image.save()
        page = ArticlePage.objects.get(pk=page.pk)
        page.lead_image = image
        page.save_revision().publish()

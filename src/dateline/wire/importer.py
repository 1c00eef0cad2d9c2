"""The one importer: writes a ``WireStory`` into an ArticlePage, one transaction a story.

The story's guid is its identity. A later version updates the page as a new Wagtail revision;
an equal or older one arriving late is ignored. A withdrawn or cancelled story is unpublished
(kept, marked withdrawn) whatever its body holds, and wins a tie with a usable copy of the same
version; a later usable version publishes it again. A kill for a guid not seen yet is kept as a
tombstone (``WireKill``), so the story it kills, arriving later, is refused instead of published.
An embargoed story is scheduled with Wagtail's go-live time and stays invisible until then. A
correction signal adds a dated correction line that later versions keep.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import Truncator, slugify
from taggit.models import Tag
from wagtail.rich_text import RichText

from dateline import batch
from dateline.news import creation
from dateline.news.formatting import plain_text
from dateline.news.limits import size_problem
from dateline.news.models import (
    Agency,
    ArticleAuthor,
    ArticleCorrection,
    ArticlePage,
    ArticlePageTag,
    Author,
    HomePage,
    SectionPage,
)

from . import desk
from . import rules as ingest_rules
from .models import WireItem, WireKill
from .photos import import_photo
from .story import EARLIEST, WireError, WireStory

log = logging.getLogger(__name__)

SUMMARY_CHARS = 280
TAG_CHARS = 100


@dataclass(frozen=True)
class ImportResult:
    # created (published or scheduled), held (a draft on the wire desk), discarded (by a rule), updated,
    # withdrawn, unchanged (the same version again) or stale (an older version)
    action: str
    page: ArticlePage | None  # None: a kill of a story never seen, or a copy such a kill refused
    notes: tuple[str, ...] = field(default=())
    guid: str = ""

    @property
    def ignored(self) -> bool:
        return self.action in ("unchanged", "stale")

    def describe(self) -> str:
        if self.page is None:
            return "; ".join([f"{self.action}: {self.guid}", *self.notes])
        state = ""
        if self.page.withdrawn:
            state = ", withdrawn: not on the site"
        elif self.action == "held":
            state = ", held on the wire desk: not on the site"
        elif not self.page.live and self.page.go_live_at:
            state = f", embargoed: scheduled for {timezone.localtime(self.page.go_live_at):%Y-%m-%d %H:%M %Z}"
        page = self.page
        text = f"{self.action}: {page.url or page.slug} ({page.title}, version {page.source_version}{state})"
        return "; ".join([text, *self.notes])


def checksum(story: WireStory) -> str:
    """A digest of everything the agency sent for the story, to tell a resent copy from a new version.

    The JSON of ``dataclasses.asdict(story)`` (what pages already store), built without asdict's
    deep copy of every value, which cost as much as the rest of a bulk import's field mapping."""
    data = json.dumps(_plain(story), sort_keys=True, default=str)
    return hashlib.sha256(data.encode()).hexdigest()


def _plain(value):
    """What ``asdict`` gives for JSON: dataclasses as dicts, lists and tuples as lists, the rest as is."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def find_section(slug: str | None) -> SectionPage:
    """The section named SLUG (an operator's --section): it must exist."""
    slug = slug or settings.DATELINE_DEFAULT_SECTION
    section = SectionPage.objects.filter(slug=slug).first()
    if section is None:
        known = ", ".join(SectionPage.objects.order_by("path").values_list("slug", flat=True)) or "none yet"
        raise WireError(f"there is no section {slug!r} (sections: {known}); create it in the admin")
    return section


def ensure_section(slug: str) -> SectionPage:
    """The section SLUG, created (live, under the home page) the first time a story needs it.

    A fresh install has no sections: the mapping (DATELINE_SUBJECT_SECTIONS) and the default
    (DATELINE_DEFAULT_SECTION) name the ones the wire needs, and they are made on first use."""
    section = batch.remember(("section", slug), lambda: SectionPage.objects.filter(slug=slug).first())
    if section is not None:
        return section
    home = HomePage.objects.select_for_update().order_by("path").first()  # one creator at a time
    if home is None:
        raise WireError("the site has no home page to put sections under (run 'dateline migrate')")
    section = SectionPage.objects.filter(slug=slug).first()
    if section is None:
        section = SectionPage(title=slug.replace("-", " ").replace("_", " ").title(), slug=slug)
        home.add_child(instance=section)
        section.save_revision(log_action=True).publish()
        log.info("created section %r for wire stories", slug)
    return section


def _broader(code: str) -> list[str]:
    """A code and its broader codes: 'subj:15054000' -> also 'subj:15054000', 'subj:15000000'."""
    codes = [code]
    scheme, _, digits = code.partition(":")
    if scheme == "subj" and len(digits) == 8 and digits.isdigit():
        codes += [f"subj:{digits[:5]}000", f"subj:{digits[:2]}000000"]
    return list(dict.fromkeys(codes))


def section_slug(story: WireStory, explicit: str | None = None) -> str:
    """Which section the story goes to: an explicit one; else the first that its subject codes (or their
    broader codes) map to in DATELINE_SUBJECT_SECTIONS; else DATELINE_DEFAULT_SECTION."""
    if explicit:
        return explicit
    if story.section_hint:  # a WordPress category: mapped by DATELINE_WXR_SECTIONS, else a section of its name
        return settings.DATELINE_WXR_SECTIONS.get(story.section_hint, story.section_hint)
    mapping = settings.DATELINE_SUBJECT_SECTIONS
    for code in story.subject_codes:
        for candidate in _broader(code):
            if slug := mapping.get(candidate):
                return slug
    return settings.DATELINE_DEFAULT_SECTION


def section_for(story: WireStory, explicit: str | None) -> SectionPage:
    """The story's section (``section_slug``): an explicit one must exist; a mapped or default one is
    created when missing."""
    if explicit:
        return find_section(explicit)
    return ensure_section(section_slug(story))


def wanted_slug(headline: str) -> str:
    return slugify(headline)[:70].strip("-") or "story"


def _unique_slug(parent, headline: str) -> str:
    """The headline as a slug, free among the section's stories (Wagtail's own rule: -1, -2, ...)."""
    return creation.free_slugs(parent, [wanted_slug(headline)])[0]


def _summary(story: WireStory) -> str:
    if story.summary:
        return story.summary
    if story.subheadline:
        return story.subheadline
    return Truncator(plain_text(story.paragraphs[0])).chars(SUMMARY_CHARS)


def _version_key(version: int, created: datetime | None) -> tuple[int, datetime]:
    return version, created or EARLIEST


def _photos(page: ArticlePage, story: WireStory, base_dir: Path | None) -> tuple[list, list[str]]:
    """The lead photo on the page, the rest as body blocks; notes for pictures that could not be imported."""
    notes, blocks = [], []
    for position, photo in enumerate(story.photos):
        outcome = import_photo(photo, story.headline, base_dir)
        if outcome.note:
            notes.append(f"photo {position + 1}: {outcome.note}; caption and credit kept")
        if position == 0:
            page.lead_image = outcome.image
            page.lead_caption, page.lead_credit = photo.caption, photo.credit[:255]
            page.lead_remote_url = outcome.remote_url
        else:
            blocks.append(
                (
                    "photo",
                    {
                        "image": outcome.image,
                        "caption": photo.caption,
                        "credit": photo.credit,
                        "source_url": outcome.remote_url,
                    },
                )
            )
    if not story.photos:
        page.lead_image, page.lead_caption, page.lead_credit, page.lead_remote_url = None, "", "", ""
    return blocks, notes


def _known(model, name: str):
    """The agency or author of that name (any case), if there is one; read once a run's flush."""
    if not name:
        return None
    return batch.remember((model.__name__, name.casefold()), lambda: model.objects.filter(name__iexact=name).first())


def _tag(name: str) -> Tag:
    """The tag of that name (as taggit matches it), made the first time; read once a run's flush."""
    return (
        batch.remember(("Tag", name), lambda: Tag.objects.filter(name=name).first())
        or (Tag.objects.get_or_create(name=name)[0])
    )


def _apply(page: ArticlePage, story: WireStory, digest: str, base_dir: Path | None) -> list[str]:
    page.title = page.draft_title = Truncator(story.headline).chars(255)
    page.summary = _summary(story)
    page.published_at = max(story.published, story.embargo) if story.embargo else story.published
    page.updated_at = story.updated if story.updated and story.updated > page.published_at else None
    page.dateline = story.dateline[:100]
    agency = story.agency[:255]
    page.agency = _known(Agency, agency) or (Agency.objects.create(name=agency) if agency else None)
    names = [name[:255] for name in story.authors]
    authors = [_known(Author, name) or Author.objects.create(name=name) for name in names]
    page.article_authors = [ArticleAuthor(author=author, sort_order=i) for i, author in enumerate(authors)]
    page.byline_text = "" if authors else story.byline[:255]
    photo_blocks, notes = _photos(page, story, base_dir)
    page.body = [("paragraph", RichText(f"<p>{p}</p>")) for p in story.paragraphs] + photo_blocks
    # what page.tags.set() keeps (one tag row a name), without its look-up of tags by name when given tags
    tags = dict.fromkeys(_tag(tag[:TAG_CHARS]) for tag in dict.fromkeys(story.tags))
    page.tagged_items = [ArticlePageTag(tag=tag) for tag in tags]
    page.slugline = story.slugline[:100]
    page.urgency = story.urgency if story.urgency is not None and 0 <= story.urgency <= 9 else None
    page.language = "" if story.language.lower().startswith(settings.LANGUAGE_CODE[:2]) else story.language[:35]
    page.editor_note = story.ednote
    page.credit_line = story.trailer[:500]
    page.source_url = story.source_url[:500] if story.source_url.lower().startswith(("http://", "https://")) else ""
    page.source_guid = story.guid
    page.source_version = story.version
    page.source_version_created = story.version_created
    page.source_checksum = digest
    page.source_continued = story.continued
    page.withdrawn = False
    page.go_live_at = story.embargo if story.embargo and story.embargo > timezone.now() else None
    if story.is_correction:
        page.corrections.add(
            ArticleCorrection(
                noted_at=story.version_created or timezone.now(),
                text=story.ednote or "This story has been corrected.",
            )
        )
    return notes


SOURCE_FIELDS = ("withdrawn", "source_version", "source_version_created", "source_checksum", "editor_note")


def _record_source(page: ArticlePage) -> None:
    """Keep the version on the page's own row too: a revision that is only scheduled or saved
    as a draft does not touch it, and the next version is compared with it."""
    ArticlePage.objects.filter(pk=page.pk).update(**{name: getattr(page, name) for name in SOURCE_FIELDS})


def _withdraw(page: ArticlePage, story: WireStory, digest: str) -> None:
    """Take the story off the site; its last good text stays in the page's revisions."""
    page.withdrawn = True
    page.source_version = story.version
    page.source_version_created = story.version_created
    page.source_checksum = digest
    page.editor_note = story.ednote or f"The agency marked this story {story.pub_status}."
    page.save_revision(log_action=True, clean=False)
    if page.live:
        page.unpublish(log_action=True)
    _record_source(page)


def _publish(page: ArticlePage) -> None:
    revision = page.save_revision(log_action=True)
    revision.publish()  # with a future go_live_at Wagtail schedules it instead


def import_story(
    story: WireStory,
    section: str | None = None,
    base_dir: Path | None = None,
    _retried: bool = False,
    action: str | None = None,
) -> ImportResult:
    """Create or update the story's page; nothing is written if any step fails.

    ``base_dir`` is the folder the story was read from: local picture hrefs are looked up there.
    ``action`` (publish, hold or discard) overrides the ingest rules: ``load-demo`` publishes its own.
    """
    too_big = size_problem(story.paragraphs)
    if too_big is not None:
        raise WireError(too_big)
    digest = checksum(story)
    try:
        with transaction.atomic():
            existing = ArticlePage.objects.select_for_update().filter(source_guid=story.guid).first()
            if existing is not None:
                return _update(existing, story, digest, base_dir, action)
            if story.withdrawn:
                desk.record(story, None, WireItem.Status.KILLED, "")
                return _record_kill(story)
            kill = WireKill.objects.filter(guid=story.guid).first()
            if kill is not None and story.version_key[:2] <= (kill.version, kill.version_created or EARLIEST):
                note = f"the agency {kill.status} this story at version {kill.version}: this copy is not published"
                return ImportResult("stale", None, (note,), guid=story.guid)
            slug = section_slug(story, section)
            decision = ingest_rules.Decision(action, "given") if action else ingest_rules.decide(story, slug, _rules())
            if decision.action == "discard":
                desk.record(story, None, WireItem.Status.DISCARDED, decision.rule, slug)
                note = f"discarded by rule {decision.rule!r}: recorded, not on the site"
                return ImportResult("discarded", None, (note,), guid=story.guid)
            parent = section_for(story, section)
            page = ArticlePage(slug=_unique_slug(parent, story.headline))
            notes = _apply(page, story, digest, base_dir)
            held = decision.action == "hold"
            if page.go_live_at or held:
                page.live = False
                parent.add_child(instance=page)
                if held:
                    page.save_revision(log_action=True)
                    desk.log(page, "dateline.wire.held", rule=decision.rule)
                    notes.append(f"held by rule {decision.rule!r}")
                else:
                    _publish(page)  # Wagtail schedules it for its go-live time
                _record_source(page)
            else:
                creation.add_live(parent, page)  # one save: the page, its revision, its publish
            _redirect_old_address(page, story)
            status = WireItem.Status.HELD if held else WireItem.Status.PUBLISHED
            desk.record(story, page, status, decision.rule, parent.slug)
            return ImportResult("held" if held else "created", page, tuple(notes))
    except IntegrityError:
        # Another process wrote the same guid (a page or a kill) between our look-up and our insert:
        # this copy is applied again on top of theirs, as if it had come second (so a kill is never
        # lost to a race, and a second copy of one version is "unchanged").
        found = ArticlePage.objects.filter(source_guid=story.guid).exists()
        if _retried or not (found or WireKill.objects.filter(guid=story.guid).exists()):
            raise
        return import_story(story, section, base_dir, _retried=True)


def _rules() -> list:
    return batch.remember("ingest-rules", lambda: list(ingest_rules.enabled_rules()))


def _redirect_old_address(page: ArticlePage, story: WireStory) -> None:
    """A story moved in from another site (a WordPress export): its old address redirects to its page."""
    from wagtail.contrib.redirects.models import Redirect

    old = Redirect.normalise_path(story.old_path) if story.old_path.strip("/") else ""
    if old and old != Redirect.normalise_path(page.url or ""):
        Redirect.objects.update_or_create(
            old_path=old, site=None, defaults={"redirect_page": page, "is_permanent": True, "redirect_link": ""}
        )


def _record_kill(story: WireStory) -> ImportResult:
    """A kill for a guid no page carries: kept, so the story it kills is refused when it comes."""
    kill, created = WireKill.objects.select_for_update().get_or_create(
        guid=story.guid,
        defaults={
            "version": story.version,
            "version_created": story.version_created,
            "status": story.pub_status,
            "note": story.ednote,
        },
    )
    if not created and story.version_key[:2] > (kill.version, kill.version_created or EARLIEST):
        kill.version, kill.version_created, kill.status = story.version, story.version_created, story.pub_status
        kill.note = story.ednote or kill.note
        kill.save()
    note = f"{story.pub_status} before it was ever published: recorded, so older copies arriving later are refused"
    return ImportResult("withdrawn", None, (note,), guid=story.guid)


def _update(
    existing: ArticlePage, story: WireStory, digest: str, base_dir: Path | None, action: str | None = None
) -> ImportResult:
    if story.versioned:
        incoming = _version_key(story.version, story.version_created)
        current = _version_key(existing.source_version, existing.source_version_created)
        kill_wins_tie = incoming == current and story.withdrawn and not existing.withdrawn
        if incoming <= current and not kill_wins_tie:
            return ImportResult("unchanged" if existing.source_checksum == digest else "stale", existing)
    elif story.version < existing.source_version:
        return ImportResult("stale", existing)
    elif existing.source_checksum == digest:
        return ImportResult("unchanged", existing)

    # Build on the latest revision, so fields an editor changed in a draft (and the wire does not set) survive.
    page = existing.get_latest_revision_as_object()
    item = WireItem.objects.filter(guid=story.guid).first()
    if story.withdrawn:
        _withdraw(page, story, digest)
        desk.kill_applied(story, existing, item)
        return ImportResult("withdrawn", page)
    if existing.live and existing.coverage_running:
        return _live_update(existing, story, digest)
    if existing.live and not existing.is_live_coverage and story.running and not existing.has_unpublished_changes:
        decision = ingest_rules.Decision(action, "given") if action else ingest_rules.decide(story, _slug_of(existing))
        if decision.action == "live":
            return _start_live(existing, story, digest, decision.rule)
    latest = existing.get_latest_revision()
    editor_changed = latest is not None and latest.user_id is not None
    was_withdrawn = page.withdrawn
    notes = _apply(page, story, digest, base_dir)
    page.updated_at = story.updated or story.version_created or timezone.now()
    if page.updated_at <= page.published_at:
        page.updated_at = None
    waiting = item is not None and item.status in desk.WAITING and not existing.live
    if waiting and item is not None:
        # Still on the desk (held, or spiked): the new version replaces the draft there.
        page.save_revision(log_action=True)
        notes.insert(0, "the held draft is replaced by this version on the wire desk")
        status = item.status if item.status == WireItem.Status.SPIKED else WireItem.Status.UPDATED
        desk.record(story, existing, status, item.rule, existing.section.slug if existing.section else "")
    elif page.live or was_withdrawn or page.first_published_at is None:
        decision = ingest_rules.Decision(action, "given") if action else ingest_rules.decide(story, _slug_of(existing))
        if editor_changed and not was_withdrawn:
            # The editor's draft stays as it is; the agency's version waits beside it on the desk, to be
            # compared and applied (desk.merge) by an editor.
            notes.insert(0, "held on the wire desk: an editor has changed this story, so the agency's update waits")
            waiting_item = desk.record(
                story, existing, WireItem.Status.UPDATED, decision.rule, _slug_of(existing), applied=False
            )
            desk.keep_pending(waiting_item, story)
            ArticlePage.objects.filter(pk=existing.pk).update(
                source_version=story.version, source_version_created=story.version_created, source_checksum=digest
            )
            return ImportResult("updated", existing, tuple(notes))
        elif decision.publishes:
            _publish(page)
            if was_withdrawn:
                notes.insert(0, "published again")
            desk.record(story, existing, WireItem.Status.PUBLISHED, decision.rule, _slug_of(existing))
        else:
            page.save_revision(log_action=True)
            notes.insert(0, f"held on the wire desk by rule {decision.rule!r}: the live story keeps its text")
            desk.record(story, existing, WireItem.Status.UPDATED, decision.rule, _slug_of(existing))
    else:
        page.save_revision(log_action=True)
        notes.insert(0, "saved as a draft: an editor has unpublished this story")
    _record_source(page)
    return ImportResult("updated", page, tuple(notes))


def _start_live(existing: ArticlePage, story: WireStory, digest: str, rule: str) -> ImportResult:
    """A published story whose agency sends a later version marked as running (WireStory.running),
    under a rule that says "live": the page as readers have it becomes live coverage from now (a
    revision of its own, in the page's history), and what this version adds is its first update. A
    story with an editor's unpublished draft never comes here: that draft is the desk's to decide."""
    page = existing.get_latest_revision_as_object()  # the live revision: there is no newer draft
    page.live_since = timezone.now()
    _publish(page)
    desk.log(existing, "dateline.wire.live", rule=rule)
    existing.refresh_from_db()
    result = _live_update(existing, story, digest)
    note = f"a running story (version {story.version}): now live coverage by rule {rule!r}"
    return ImportResult(result.action, result.page, (note, *result.notes))


def _live_update(existing: ArticlePage, story: WireStory, digest: str) -> ImportResult:
    """A later version of a story an editor runs as live coverage (news/live.py): the paragraphs it
    adds, not already on the page or in an update, are posted as an update under its headline (when
    that changed). The page's own text stays as the desk left it. A kill never comes here: it takes
    the page down first (above)."""
    from dateline.news.live import LiveUpdate

    def words(html: str) -> str:
        return " ".join(plain_text(html).split()).casefold()

    seen = {words(block.value.source) for block in existing.body if block.block_type == "paragraph"}
    for update in existing.live_updates.all():
        seen.update(words(block.value.source) for block in update.body if block.block_type == "paragraph")
    new = [paragraph for paragraph in story.paragraphs if words(paragraph) and words(paragraph) not in seen]
    if new:
        headline = story.headline if story.headline.strip() != existing.title.strip() else ""
        moment = story.version_created if story.version_created and story.version_created <= timezone.now() else None
        LiveUpdate.objects.create(
            article=existing,
            headline=Truncator(headline).chars(255),
            body=json.dumps([{"type": "paragraph", "value": f"<p>{paragraph}</p>"} for paragraph in new]),
            posted_at=moment or timezone.now(),
        )
        note = f"posted as a live update: {len(new)} new paragraph(s) of version {story.version}"
    else:
        note = f"live coverage: version {story.version} adds no paragraph the page or its updates do not have"
    existing.source_version, existing.source_version_created = story.version, story.version_created
    existing.source_checksum, existing.withdrawn = digest, False
    existing.editor_note = story.ednote or existing.editor_note
    _record_source(existing)
    desk.record(story, existing, WireItem.Status.PUBLISHED, "live coverage", _slug_of(existing))
    return ImportResult("updated", existing, (note,))


def _slug_of(page: ArticlePage) -> str:
    section = page.section
    return section.slug if section is not None else ""

"""A new story put on the site in one write: its page, its first revision, its publish.

Wagtail's own way (``add_child``, ``save_revision``, ``publish``) saves a new page three times,
each time validating every field (a query per foreign key) and writing its child relations
again: about 170 queries for an agency story. ``add_live`` writes the page row once, its
revision once and points the page at it, and records the history Wagtail would (created,
edited, published) in one insert. What a reader, an editor or the history sees is the same as
Wagtail's way gives: the page live with that revision as its latest and live one, and
``page_published`` sent, so the story pipeline (publishing/pipeline.py) runs as for any publish.

Only a story that goes live at once comes this way; an embargoed or held one takes Wagtail's.
"""

from __future__ import annotations

import itertools

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from modelcluster.models import get_all_child_relations
from wagtail.log_actions import get_active_log_context
from wagtail.models import Page, PageLogEntry, Revision
from wagtail.signals import page_published

from dateline.backends.tasks import held_tasks

from .pages import ArticlePage, SectionPage

# What Wagtail's add_child + save_revision(log_action=True) + publish record in a page's history.
HISTORY = ("wagtail.create", "wagtail.edit", "wagtail.publish")


def children(parent: Page):
    """PARENT's children, found by the path index (a range, as treebeard's get_children), however many."""
    return Page.objects.filter(depth=parent.depth + 1, path__range=parent._get_children_path_interval(parent.path))


def next_child_path(parent: Page) -> str:
    """The tree path for a new last child of PARENT; the caller holds the parent's row (``take_parent``)."""
    last = children(parent).order_by("-path").values_list("path", flat=True).first()
    if last is None:
        return Page._get_path(parent.path, parent.depth + 1, 1)
    probe = Page(path=last)
    return probe._inc_path()  # PathOverflow past 36^4 children, as treebeard's add_child


TRIES = 4  # slug, slug-1, slug-2, slug-3 asked in one query; past those, one look-up each


def free_slugs(parent: Page, wanted: list[str]) -> list[str]:
    """For each wanted slug, the one Wagtail's find_available_slug would give (the slug, else slug-1,
    slug-2...), none used twice, in one query by the slug index rather than a scan of the children."""
    candidates = {_numbered(slug, n) for slug in wanted for n in range(TRIES)}
    taken = set(children(parent).filter(slug__in=candidates).values_list("slug", flat=True))
    free = []
    for slug in wanted:
        for n in itertools.count():
            candidate = _numbered(slug, n)
            if candidate in taken:
                continue
            if n < TRIES or not children(parent).filter(slug=candidate).exists():
                break
        taken.add(candidate)
        free.append(candidate)
    return free


def _numbered(slug: str, n: int) -> str:
    return f"{slug}-{n}" if n else slug


def take_parent(parent: Page, count: int = 1) -> None:
    """Count the new children on the parent's row; in PostgreSQL this also locks the row, so two writers
    never take the same path (SQLite writes one transaction at a time)."""
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + count)
    parent.numchild += count  # as treebeard's add_child does to the node in memory


def prepare(page: ArticlePage, parent: Page, path: str, now) -> None:
    """Fill in what Wagtail's add_child, save_revision and publish would set on a new live page."""
    page.depth = parent.depth + 1
    page.path = path
    page.numchild = 0
    page._cached_parent_obj = parent  # Page.save reads the parent for url_path: no query for it
    page._is_site_root = False  # a story is never a site's root: Page.save need not ask
    page.locale_id = parent.locale_id
    page.draft_title = page.title
    page.live = True
    page.has_unpublished_changes = False
    page.expired = False
    page.first_published_at = page.last_published_at = page.latest_revision_created_at = now
    if page.published_at is None:
        page.published_at = now
    if isinstance(parent, SectionPage):
        page.section_page_id = parent.pk


def validate(page: ArticlePage) -> None:
    """Every field's own checks (lengths, choices, the body's blocks), without a query per foreign key:
    those rows (the section, the agency, the picture) were just read or written by the caller."""
    page.clean_fields(exclude=[field.name for field in page._meta.concrete_fields if field.is_relation])


def add_live(parent: Page, page: ArticlePage, user=None) -> Revision:
    """Create PAGE under PARENT, live at once, with its first revision; returns the revision.

    All or nothing: in the caller's transaction (the importer's, one a story), or in one of its own."""
    # Index tasks (search, references) run once the child rows are written too, not at the page's
    # own save (or with the caller's, when it holds them: wire/ingest.py).
    with transaction.atomic(savepoint=False), held_tasks():
        return _add_live(parent, page, user)


def _add_live(parent: Page, page: ArticlePage, user) -> Revision:
    now = timezone.now()
    take_parent(parent)
    prepare(page, parent, next_child_path(parent), now)
    validate(page)
    # The child rows (authors, tags, corrections...) as set on the page: once saved, Wagtail's
    # revision and the pipeline read them from here rather than query them back.
    children = {name: list(getattr(page, name).all()) for name in child_relations(page)}
    page.save(clean=False, log_action=None)  # the history is written below, in one insert
    page._cluster_related_objects.update(children)
    try:
        return _revise_and_publish(page, now, user)
    finally:
        for name in children:  # back to reading them from the database
            page._cluster_related_objects.pop(name, None)


def child_relations(page: ArticlePage) -> list[str]:
    return [relation.get_accessor_name() for relation in get_all_child_relations(page)]


def _revise_and_publish(page: ArticlePage, now, user) -> Revision:
    revision = Revision.objects.create(
        content_object=page,
        base_content_type=page.get_base_content_type(),
        user=user,
        approved_go_live_at=None,
        content=page.serializable_data(),
        object_str=str(page),
        created_at=now,
    )
    page.latest_revision = page.live_revision = revision
    Page.objects.filter(pk=page.pk).update(latest_revision=revision, live_revision=revision)
    PageLogEntry.objects.bulk_create(history(page, revision, now, user))
    page_published.send(sender=ArticlePage, instance=page, revision=revision)
    return revision


def history(page: ArticlePage, revision: Revision, now, user=None) -> list[PageLogEntry]:
    """The entries Wagtail's history shows for a page created and published at once (``HISTORY``)."""
    content_type = ContentType.objects.get_for_model(page, for_concrete_model=False)  # cached by Django
    uuid, label = get_active_log_context().uuid, page.get_admin_display_title()
    return [
        PageLogEntry(
            content_type=content_type,
            label=label,
            action=action,
            timestamp=now,
            data={},
            user=user,
            uuid=uuid,
            page=page,
            revision=None if action == "wagtail.create" else revision,
            content_changed=True,
        )
        for action in HISTORY
    ]

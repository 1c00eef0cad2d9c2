"""``dateline ingest --bulk``: back-files (an archive, a move from another system) a chunk at a time.

A normal ingest writes each story in its own transaction, purges what shows it and indexes it
(news/creation.py, dateline/batch.py). A back-file of 100,000 stories needs none of that per
story: none of them is on the site yet, no reader is waiting for one of them. Here a chunk of
stories is written in one transaction with a few inserts a table (pages, their child rows,
revisions, history, the desk's records, topics, references), indexed for search in one bulk
write after it commits, and the site's lists are purged once every 10,000 stories (so what is
waiting stays small) and when the run ends.

The pages, revisions and history are the ones a normal ingest writes (the same ``_apply``, the
same page and revision fields, the same slugs; tests/wire/test_bulk.py compares them). What a
chunk cannot do the normal importer does, one story at a time, in the same run:

- a story whose guid is already on the site or killed, or appears twice in the chunk (a later
  version, a kill), or is withdrawn, embargoed, held or discarded by a rule;
- every story of a chunk that failed as a whole (so one bad story costs only itself).
"""

from __future__ import annotations

import logging
import multiprocessing
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import CharField, OuterRef, Subquery
from django.db.models.constants import OnConflict
from django.db.models.functions import Cast
from django.utils import timezone
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision

from dateline import batch
from dateline.backends.tasks import held_tasks, index_pages
from dateline.news import creation
from dateline.news.limits import size_problem
from dateline.news.models import ArticlePage
from dateline.news.signals import stories_published_in_bulk

from . import desk, rules
from .importer import (
    ImportResult,
    _apply,
    _rules,
    checksum,
    import_story,
    section_for,
    section_slug,
    wanted_slug,
)
from .ingest import FileReport, ParsedFile, chunks, in_version_order, parse_files, readable_stories
from .models import WireItem, WireKill
from .story import WireError, WireStory

log = logging.getLogger(__name__)

CHUNK = 500
RUN_SIZE = 10_000  # the lists are purged (and the others' index work done) every so many stories, and at the end


@dataclass
class Pending:
    """A story waiting for its chunk, with where it came from."""

    report: FileReport
    label: str
    story: WireStory
    base_dir: Path
    notes: list[str] = field(default_factory=list)


def ingest_bulk(
    paths: Iterable[Path], section: str | None = None, chunk: int = CHUNK, media: Path | None = None
) -> Iterator[FileReport]:
    """Ingest files a chunk of stories at a time; yields each file's report once its stories are written.

    Pictures are looked for beside each file, or, for a WordPress export, in MEDIA."""
    for parsed in parsed_ahead(chunks(paths, chunk)):
        yield from _files(parsed, section, media)


def parsed_ahead(groups: Iterable[list[Path]]) -> Iterator[list[ParsedFile]]:
    """Each group of files parsed, the next group in a second process while this one's are written.

    Parsing needs no database (wire/parsers are pure functions), so a forked process reads and
    parses the next chunk on the other core; one chunk ahead at most, so memory stays that of two
    chunks however long the run. Where a process cannot be forked, each group is parsed here."""
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:  # no fork on this platform
        yield from (parse_files(paths) for paths in groups)
        return
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as parser:
        ahead = None
        for paths in groups:
            following = parser.submit(parse_files, paths)
            if ahead is not None:
                yield ahead.result()
            ahead = following
        if ahead is not None:
            yield ahead.result()


def _files(files: list[ParsedFile], section: str | None, media: Path | None) -> Iterator[FileReport]:
    reports, stories = [], []
    for parsed in in_version_order(files):
        report = FileReport(parsed.path, parsed.format)
        reports.append(report)
        for label, story, pictures in readable_stories(parsed, report, media):
            stories.append(Pending(report, label, story, pictures))
    write(stories, section)
    yield from reports


def write(stories: list[Pending], section: str | None) -> None:
    """Write the stories: those that can go in bulk together, the others one at a time, in the agency's order."""
    counts = Counter(item.story.guid for item in stories)
    guids = list(counts)
    on_site = set(ArticlePage.objects.filter(source_guid__in=guids).values_list("source_guid", flat=True))
    killed = set(WireKill.objects.filter(guid__in=guids).values_list("guid", flat=True))
    together: list[Pending] = []
    alone: list[Pending] = []
    for item in stories:
        story = item.story
        plain = counts[story.guid] == 1 and story.guid not in on_site and story.guid not in killed
        plain = plain and not story.withdrawn and not (story.embargo and story.embargo > timezone.now())
        (together if plain and _published_by_rules(story, section) else alone).append(item)
    if together:
        try:
            _write_together(together, section)
        except Exception as exc:  # each is tried alone, so a bad story costs only itself
            batch.forget()  # the chunk's new agencies, authors and tags were rolled back
            for item in together:
                item.notes = []
            if isinstance(exc, WireError):  # one story cannot be written (too long...): said again when alone
                log.warning("a bulk chunk falls back to one story at a time: %s", exc)
            else:
                log.exception("a bulk chunk of %d stories failed; writing them one at a time", len(together))
            alone = together + alone
    for item in sorted(alone, key=lambda item: item.story.version_key):
        _write_alone(item, section)
    for _ in stories:
        batch.story_done()  # the run's shared work (list purges, held index tasks) every RUN_SIZE stories


def _published_by_rules(story: WireStory, section: str | None) -> bool:
    return rules.decide(story, section_slug(story, section), _rules()).publishes


def _write_alone(item: Pending, section: str | None) -> None:
    try:
        with held_tasks():  # its index work once its child rows are written, as ingest_file does
            result = import_story(item.story, section=section, base_dir=item.base_dir)
        item.report.results.append((item.label, result))
    except WireError as exc:
        batch.forget()
        item.report.errors.append((item.label, str(exc)))
    except Exception as exc:
        batch.forget()
        log.exception("%s: %s could not be imported", item.report.path, item.label)
        item.report.errors.append((item.label, f"internal error ({exc.__class__.__name__}: {exc}); see the log"))


def _write_together(items: list[Pending], section: str | None) -> None:
    now = timezone.now()
    with transaction.atomic():
        pages, by_parent = [], defaultdict(list)
        for item in items:
            story = item.story
            if problem := size_problem(story.paragraphs):
                raise WireError(f"{item.label}: {problem}")
            parent = section_for(story, section)
            page = ArticlePage()
            item.notes = _apply(page, story, checksum(story), item.base_dir)
            by_parent[parent.pk].append((parent, page, story))
            pages.append((item, parent, page))
        for siblings in by_parent.values():
            parent = siblings[0][0]
            slugs = creation.free_slugs(parent, [wanted_slug(story.headline) for _, _, story in siblings])
            for (_, page, _), slug in zip(siblings, slugs, strict=True):
                page.slug = slug
            creation.take_parent(parent, count=len(siblings))
            path = creation.next_child_path(parent)
            for _, page, _ in siblings:
                creation.prepare(page, parent, path, now)
                page.set_url_path(parent)
                creation.validate(page)
                path = page._inc_path()
        for _, _, page in pages:  # every child relation in memory (the unset ones empty): read without a query
            for name in creation.child_relations(page):
                page._cluster_related_objects.setdefault(name, list(getattr(page, name).all()))
        _insert_pages([page for _, _, page in pages])
        _insert_children([page for _, _, page in pages])
        revisions = _insert_revisions([page for _, _, page in pages], now)
        _insert_history([page for _, _, page in pages], revisions, now)
        _insert_references([page for _, _, page in pages])
        desk_items = [_desk_item(item.story, page, parent) for item, parent, page in pages]
        _insert_rows(WireItem, desk_items, update=("guid", list(_DESK_FIELDS)))  # a discarded version's record too
        stories_published_in_bulk.send(sender=ArticlePage, pages=[page for _, _, page in pages])
    for item, _, page in pages:
        item.report.results.append((item.label, ImportResult("created", page, tuple(item.notes))))
    index_pages([page for _, _, page in pages])  # committed: searchable from now on


_DESK_FIELDS = (
    "page",
    "status",
    "version",
    "source_format",
    "received_at",
    "urgency",
    "language",
    "subjects",
    "rule",
    "section",
    "agency_fields",
    "corrected",
    "headline",
    "first_words",
    "body_text",
    "agency",
    "seen",
    "desk_rank",
)


def _desk_item(story: WireStory, page: ArticlePage, parent: Page) -> WireItem:
    decision = rules.decide(story, parent.slug, _rules())
    item = WireItem(
        guid=story.guid, **desk.item_fields(story, page, WireItem.Status.PUBLISHED, decision.rule, parent.slug)
    )
    item.desk_rank = 0 if item.urgent and not item.seen else 1
    return item


def _insert_pages(pages: list[ArticlePage]) -> None:
    """The rows of both tables of each page: Page's with its ids returned, then ArticlePage's."""
    for page in pages:
        page._state.adding = True
    Page.objects.bulk_create(pages)  # fills page.id (RETURNING, on SQLite and PostgreSQL)
    for page in pages:
        page.page_ptr_id = page.id
        page._state.adding, page._state.db = False, connection.alias
    _insert_rows(ArticlePage, pages)  # its own table's row (bulk_create refuses a model of several tables)


def _insert_children(pages: list[ArticlePage]) -> None:
    """Author links, tags, corrections...: each page's child rows, one insert a kind."""
    by_model = defaultdict(list)
    for page in pages:
        for name in creation.child_relations(page):
            rel_items = page._cluster_related_objects.get(name, [])
            relation = getattr(ArticlePage, name).rel
            for child in rel_items:
                setattr(child, relation.field.attname, page.pk)
                by_model[relation.related_model].append(child)
    for model, children in by_model.items():
        model.objects.bulk_create(children)


def _insert_revisions(pages: list[ArticlePage], now) -> list[Revision]:
    base = pages[0].get_base_content_type()
    revisions = [
        Revision(
            content_type=ContentType.objects.get_for_model(page),
            base_content_type=base,
            object_id=str(page.pk),
            user=None,
            approved_go_live_at=None,
            content=page.serializable_data(),
            object_str=str(page),
            created_at=now,
        )
        for page in pages
    ]
    Revision.objects.bulk_create(revisions)
    for page, revision in zip(pages, revisions, strict=True):
        page.latest_revision = page.live_revision = revision
    latest = Revision.objects.filter(
        base_content_type=base, object_id=Cast(OuterRef("pk"), output_field=CharField())
    ).order_by("-pk")
    Page.objects.filter(pk__in=[page.pk for page in pages]).update(
        latest_revision_id=Subquery(latest.values("pk")[:1]), live_revision_id=Subquery(latest.values("pk")[:1])
    )
    return revisions


def _insert_rows(model, rows: list, update: tuple[str, list[str]] | None = None) -> None:
    """ROWS (new instances of MODEL, ids not wanted back) written as bulk_create writes them."""
    if rows:
        fields = [
            f for f in model._meta.local_concrete_fields if not (f.primary_key and getattr(rows[0], f.attname) is None)
        ]
        values = [[f.pre_save(row, True) for f in fields] for row in rows]
        _insert_values(model, [f.name for f in fields], values, update=update)


def _insert_values(
    model, names: list[str], rows: list, ignore_conflicts: bool = False, update: tuple[str, list[str]] | None = None
) -> None:
    """ROWS of values for MODEL's fields NAMES, each prepared by its field as Django does, in one
    ``executemany``: Django's bulk_create builds a statement of every row's placeholders, which for the
    thousands of history and reference rows of a chunk cost more than the database's work.

    UPDATE, (a unique field, the fields to set), makes a row whose unique field is taken update that row."""
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in names]
    ops = connection.ops
    conflict, unique, updated = OnConflict.IGNORE if ignore_conflicts else None, None, None
    if update:
        conflict, unique = OnConflict.UPDATE, [model._meta.get_field(update[0]).column]
        updated = [model._meta.get_field(name).column for name in update[1]]
    sql = (
        f"{ops.insert_statement(on_conflict=conflict)} {ops.quote_name(model._meta.db_table)} "
        f"({', '.join(ops.quote_name(f.column) for f in fields)}) VALUES ({', '.join(['%s'] * len(fields))})"
        f" {ops.on_conflict_suffix_sql(fields, conflict, updated, unique)}"
    )
    preparers = [_preparer(f) for f in fields]
    prepared = [[prepare(value) for prepare, value in zip(preparers, row, strict=True)] for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql.rstrip(), prepared)


_AS_THEY_ARE = {
    models.CharField.get_prep_value: (str, type(None)),
    models.TextField.get_prep_value: (str, type(None)),
    models.IntegerField.get_prep_value: (int, type(None)),  # AutoField and BigAutoField's too
}


def _preparer(field):
    """How FIELD's values are made ready for the database: ``get_db_prep_save``, except that a str for a
    text column, an int for a number column (or a key to one) and None go as they are, which is what
    Django's preparing gives back for them; half of a chunk's history and reference rows' time was
    spent asking."""
    target = field.target_field if field.is_relation and field.many_to_one else field
    kinds = _AS_THEY_ARE.get(type(target).get_prep_value)  # a field of its own preparing is asked
    if kinds:

        def prepare(value):
            return value if type(value) in kinds else field.get_db_prep_save(value, connection)

        return prepare
    return lambda value: field.get_db_prep_save(value, connection)


def _insert_history(pages: list[ArticlePage], revisions: list[Revision], now) -> None:
    _insert_rows(
        PageLogEntry,
        [
            entry
            for page, revision in zip(pages, revisions, strict=True)
            for entry in creation.history(page, revision, now)
        ],
    )


def _insert_references(pages: list[ArticlePage]) -> None:
    """What Wagtail's reference index records for each new page (its agency, authors, pictures...),
    found by Wagtail's own extractor in the pages as built, written in one insert."""
    content_types = [
        ContentType.objects.get_for_model(model, for_concrete_model=False)
        for model in [ArticlePage, *ArticlePage._meta.get_parent_list()]
    ]
    content_type, base = content_types[0], content_types[-1]
    rows = []
    hashes: dict[str, object] = {}  # a content path's hash, computed once for every page that has it
    for page in pages:
        for to_content_type_id, to_object_id, model_path, content_path in set(
            ReferenceIndex._extract_references_from_object(page)
        ):
            if content_path not in hashes:
                hashes[content_path] = ReferenceIndex._get_content_path_hash(content_path)
            rows.append(
                (
                    content_type.pk,
                    base.pk,
                    str(page.pk),
                    to_content_type_id,
                    to_object_id,
                    model_path,
                    content_path,
                    hashes[content_path],
                )
            )
    columns = ["content_type", "base_content_type", "object_id", "to_content_type", "to_object_id"]
    columns += ["model_path", "content_path", "content_path_hash"]
    _insert_values(ReferenceIndex, columns, rows, ignore_conflicts=connection.features.supports_ignore_conflicts)

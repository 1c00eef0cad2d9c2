"""Running a reader's search, on SQLite's FTS5 or PostgreSQL's full-text search, in bounded time.

Both read the index Wagtail keeps (SQLite: an FTS5 table; PostgreSQL: tsvector columns), filtered
in SQL by the live stories the reader's filters leave. Wagtail's own search ranks every match
(with 100,000 stories, a common word took over a minute on SQLite); here a page of hits and their
number are one statement, and a word in very many stories is ranked among its newest matches only
(``Hits``). Every word and phrase reaches FTS5 as a quoted string and PostgreSQL through Wagtail's
query builder, so no query syntax reaches either.
"""

from __future__ import annotations

import re

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import CharField, Exists, F, IntegerField, OuterRef, Subquery, prefetch_related_objects
from django.db.models.expressions import CombinedExpression, RawSQL
from django.db.models.functions import Cast

from dateline.news.fragments import kept_many
from dateline.news.models import ArticlePage

from .backend import TITLE_WEIGHT  # the headline's weight, as the admin's search gives it

MAX_OFFSET = 10**9
RANKED = 1000  # by relevance, the newest this many matches are ranked (and listed): see SQLiteHits
SCAN_FROM = 5000  # by date, a word in more index entries than this: the newest stories are read for it
CAST_ID = "CAST(e.object_id AS INTEGER)"  # the matched story's id, in the statement's index entry row
_PHRASE = re.compile(r'"([^"]*)"')
_TOKEN = re.compile(r"\w+", re.UNICODE)


def fts_terms(query: str) -> list[str]:
    """Phrases (in double quotes) and words of the query, each as an FTS5 string; operators are words."""
    terms = []
    for phrase in _PHRASE.findall(query):
        words = _TOKEN.findall(phrase)
        if words:
            terms.append('"' + " ".join(words) + '"')
    rest = _PHRASE.sub(" ", query)
    terms += [f'"{word}"' for word in _TOKEN.findall(rest)]
    return list(dict.fromkeys(terms))


class Hits:
    """The stories matching a query, for Django's Paginator: a page of them and their number, in one statement.

    Each match is kept if the filtered stories' query holds for its story (on SQLite a correlated
    EXISTS on the story's own row: an index look-up a match), so a rare name costs a few look-ups
    however large the archive. The page's ids and the total (a window count) come back together:
    ``window`` is the page the reader asked for, which ``count()`` reads with the total, so the
    Paginator's count and its page are one statement.

    By relevance, the newest ``RANKED`` matches (newest in the index, which both databases read in
    that order, stopping there) are ranked and listed, and ``more`` says there were others. A word
    in nearly every story of a 100,000-story archive otherwise cost a score and a story check for
    each of its 100,000 matches (about 300 ms on SQLite) for a page of ten; no reader pages through
    more than a hundred pages of results, and a filter or another word narrows them.

    By date, every match is sorted and counted; but a word with more than ``SCAN_FROM`` index entries
    is looked for the other way round: the live stories are read newest first (the published_at
    index) and the first ``RANKED`` that match are listed (``more`` says there were others), so a
    word in every story costs a thousand look-ups, not a hundred thousand.
    """

    def __init__(self, stories, query: str, by_date: bool, window: tuple[int, int] | None = None):
        self.stories = stories
        self.by_date = by_date
        self.terms = fts_terms(query)  # none: nothing is looked for
        # a page far past any archive is not asked for: the Paginator says it does not exist
        self.window = window if window is not None and window[0] <= MAX_OFFSET else (0, 10)
        self._count: int | None = None
        self.more = False  # more than RANKED stories match (by relevance, only RANKED are listed)
        self._pages: dict[tuple[int, int], list[int]] = {}

    def _page(self, start: int, stop: int) -> list[int]:
        """The ids of matches START to STOP (and the total, noted on the way)."""
        for (first, last), ids in self._pages.items():  # within a page already read (the Paginator
            # asks for the last page cut at the total)
            if first <= start and (stop <= last or len(ids) < last - first):
                return ids[start - first : stop - first]
        if self.by_date and self.terms and self._many_matches():
            return self._newest_matches()[start:stop]
        if (start, stop) not in self._pages:
            rows: list = []
            if self.terms:
                with connection.cursor() as cursor:
                    cursor.execute(*self._statement(start, stop))
                    rows = cursor.fetchall()
            if rows or start == 0:
                found = rows[0][1] if rows else 0
                self.more = not self.by_date and found > RANKED
                self._count = min(found, RANKED) if not self.by_date else found
                rows = rows[: max(0, self._count - start)]  # the one past RANKED is not listed
            self._pages[(start, stop)] = [row[0] for row in rows]
        return self._pages[(start, stop)]

    def _many_matches(self) -> bool:
        if not hasattr(self, "_raw"):
            self._raw = self._index_matches(SCAN_FROM + 1)
        return self._raw > SCAN_FROM

    def _statement(self, start: int, stop: int) -> tuple[str, list]:
        """The statement reading matches START to STOP, as (story id, number of matches) rows."""
        raise NotImplementedError

    def _index_matches(self, at_most: int) -> int:
        """How many index entries match (any live or not), counting no further than AT_MOST."""
        raise NotImplementedError

    def _newest_ids(self) -> list[int]:
        """The newest RANKED + 1 matching stories, read newest first."""
        raise NotImplementedError

    def _newest_matches(self) -> list[int]:
        """The newest RANKED live stories (as filtered) that match, read newest first (noting if there are more)."""
        if (0, RANKED) not in self._pages:
            ids = self._newest_ids()
            self.more, self._count = len(ids) > RANKED, min(len(ids), RANKED)
            self._pages[(0, RANKED)] = ids[:RANKED]
        return self._pages[(0, RANKED)]

    def count(self) -> int:
        if self._count is None:
            self._page(*self.window)
        if self._count is None:  # the page asked for is past the end: the total, from the first page
            self._page(0, self.window[1] - self.window[0])
        return self._count or 0

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list:
        start, stop = window.start or 0, window.stop
        ids = self._page(start, stop)
        pages = kept_many("search-hit", ids, self._fetch)
        return [pages[pk] for pk in ids if pk in pages]

    def _fetch(self, ids: list[int]) -> dict:
        pages = self.stories.in_bulk(ids)
        prefetch_related_objects(list(pages.values()), "article_authors__author")  # their bylines
        for page in pages.values():
            page.authors  # noqa: B018 (read now, so what is kept holds them)
        return pages


class PostgresHits(Hits):
    """``Hits`` on PostgreSQL: the index entries whose headline and body (tsvectors, with a GIN index on
    the two together: search/migrations) match the query Wagtail's PostgreSQL backend builds, each
    kept if its story passes the filters (a correlated EXISTS), ranked as Wagtail ranks them
    (ts_rank, the headline weighted by its norm)."""

    def __init__(self, stories, query: str, by_date: bool, window: tuple[int, int] | None = None):
        super().__init__(stories, query, by_date, window)
        from wagtail.search.backends import get_search_backend
        from wagtail.search.models import IndexEntry
        from wagtail.search.query import And, Phrase, PlainText

        if not self.terms:
            return
        # the same words and phrases as on SQLite (fts_terms), all wanted; no field names or operators
        parts = [Phrase(term[1:-1]) if " " in term else PlainText(term[1:-1]) for term in self.terms]
        parsed = parts[0] if len(parts) == 1 else And(parts)
        backend = get_search_backend()
        compiler = backend.query_compiler_class(stories, parsed, order_by_relevance=not by_date)
        config = compiler.get_config(backend)
        tsquery = compiler.build_tsquery(parsed, config=config)
        if tsquery is None:
            self.terms = []
            return
        self.rank = compiler._build_rank_expression([(F("title"), F("title_norm")), (F("body"), 1.0)], config)
        vector = CombinedExpression(F("title"), "||", F("body"))
        content_type = ContentType.objects.get_for_model(ArticlePage).pk
        self.entries = (
            IndexEntry.objects.filter(content_type_id=content_type).annotate(_vector_=vector).filter(_vector_=tsquery)
        )
        story = Cast(OuterRef("object_id"), IntegerField())
        self.kept = self.entries.filter(Exists(stories.filter(pk=story).order_by().values("pk")))

    def _statement(self, start: int, stop: int) -> tuple[str, list]:
        story = Cast("object_id", IntegerField())
        if self.by_date:
            published = ArticlePage.objects.filter(pk=Cast(OuterRef("object_id"), IntegerField()))
            inner = self.kept.annotate(_story=story, _published=Subquery(published.values("published_at")[:1]))
            sql, params = inner.order_by().values_list("_story", "_published").query.sql_with_params()
            order = "t.published DESC, t.story DESC"
            columns = "story, published"
        else:  # the newest RANKED + 1 matches (index entries newest first), ranked
            inner = self.kept.annotate(_story=story, _rank=self.rank).order_by("-id")
            sql, params = inner.values_list("_story", "_rank")[: RANKED + 1].query.sql_with_params()
            order, columns = "t.rank DESC, t.story DESC", "story, rank"
        return (
            f"SELECT t.story, count(*) OVER () FROM ({sql}) t ({columns}) ORDER BY {order} LIMIT %s OFFSET %s",
            [*params, stop - start, start],
        )

    def _index_matches(self, at_most: int) -> int:
        return self.entries.order_by("-id").values("id")[:at_most].count()

    def _newest_ids(self) -> list[int]:
        entry = self.entries.filter(object_id=Cast(OuterRef("pk"), CharField()))
        newest = self.stories.filter(Exists(entry)).order_by("-published_at", "-pk")
        return list(newest.values_list("pk", flat=True)[: RANKED + 1])


class SQLiteHits(Hits):
    """``Hits`` on SQLite: FTS5 matches (rowid: the index entry), checked on their story's row."""

    def __init__(self, stories, query: str, by_date: bool, window: tuple[int, int] | None = None):
        from wagtail.search.models import IndexEntry

        super().__init__(stories, query, by_date, window)
        self.fts = IndexEntry._meta.db_table + "_fts"
        self.entries = IndexEntry._meta.db_table
        self.content_type = ContentType.objects.get_for_model(ArticlePage).pk

    def _kept(self, story: str) -> tuple[str, list]:
        """The filtered stories' query for the one whose id is the SQL expression STORY (for an EXISTS)."""
        return self.stories.filter(pk=RawSQL(story, [])).order_by().values("pk").query.sql_with_params()

    def _statement(self, start: int, stop: int) -> tuple[str, list]:
        story = CAST_ID
        kept_sql, kept_params = self._kept(story)
        match = " AND ".join(self.terms)
        if self.by_date:
            sql = (
                f"WITH m AS MATERIALIZED (SELECT rowid AS id FROM {self.fts} WHERE {self.fts} MATCH %s) "
                f"SELECT {story}, count(*) OVER () FROM m JOIN {self.entries} e ON e.id = m.id "
                f"JOIN {ArticlePage._meta.db_table} a ON a.page_ptr_id = {story} "
                f"WHERE e.content_type_id = %s AND EXISTS ({kept_sql}) "
                "ORDER BY a.published_at DESC, a.page_ptr_id DESC LIMIT %s OFFSET %s"
            )
            return sql, [match, self.content_type, *kept_params, stop - start, start]
        sql = (
            f"WITH m AS MATERIALIZED (SELECT f.rowid AS id, bm25({self.fts}, 1.0, 1.0, {TITLE_WEIGHT}) AS rank, "
            f"{story} AS story FROM {self.fts} f JOIN {self.entries} e ON e.id = f.rowid "
            f"WHERE {self.fts} MATCH %s AND e.content_type_id = %s AND EXISTS ({kept_sql}) "
            "ORDER BY f.rowid DESC LIMIT %s) "
            "SELECT story, count(*) OVER () FROM m ORDER BY rank, story DESC LIMIT %s OFFSET %s"
        )
        return sql, [match, self.content_type, *kept_params, RANKED + 1, stop - start, start]

    def _index_matches(self, at_most: int) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM (SELECT rowid FROM {self.fts} WHERE {self.fts} MATCH %s LIMIT %s)",
                [" AND ".join(self.terms), at_most],
            )
            return cursor.fetchone()[0]

    def _newest_ids(self) -> list[int]:
        story = "a.page_ptr_id"
        kept_sql, kept_params = self._kept(story)
        sql = (
            f"WITH m AS MATERIALIZED (SELECT rowid AS id FROM {self.fts} WHERE {self.fts} MATCH %s) "
            f"SELECT {story} FROM {ArticlePage._meta.db_table} a WHERE EXISTS ({kept_sql}) "
            f"AND EXISTS (SELECT 1 FROM {self.entries} e WHERE e.content_type_id = %s "
            f"AND e.object_id = CAST({story} AS TEXT) AND e.id IN (SELECT id FROM m)) "
            "ORDER BY a.published_at DESC, a.page_ptr_id DESC LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [" AND ".join(self.terms), *kept_params, self.content_type, RANKED + 1])
            return [row[0] for row in cursor.fetchall()]


def search(stories, query: str, by_date: bool, window: tuple[int, int] | None = None) -> Hits:
    """Something Django's Paginator can page: the stories matching ``query``, best (or newest) first.

    ``window``: the slice of them the reader's page shows (read with the total)."""
    if connection.vendor == "sqlite":
        return SQLiteHits(stories, query, by_date, window)
    return PostgresHits(stories, query, by_date, window)

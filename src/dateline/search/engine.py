"""Running a reader's search: SQLite's FTS5 directly, or Wagtail's backend on PostgreSQL.

Wagtail's SQLite backend ranks each match with a correlated subquery, which with 100,000
stories made a search for a common word take over a minute. On SQLite the page's hits and their
number are read here in one statement against the same FTS5 index Wagtail keeps (the page's ids
ranked by bm25() with the headline weighted, or by date), filtered in SQL by the live stories
the filters leave. Every word and phrase is passed to FTS5 as a
quoted string, so no query syntax reaches it. On PostgreSQL, Wagtail's full-text backend is
used as it is.
"""

from __future__ import annotations

import re

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import prefetch_related_objects
from django.db.models.expressions import RawSQL

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


class SQLiteHits:
    """The stories matching a query, for Django's Paginator: a page of them and their number, in one statement.

    The matches come from FTS5; each is kept if the filtered stories' query holds for it, asked as a
    correlated EXISTS on the story's own row (an index look-up a match), so a rare name costs a few
    look-ups however large the archive. The page's ids and the total (a window count) come back
    together: ``window`` is the page the reader asked for, which ``count()`` reads with the total,
    so the Paginator's count and its page are one statement.

    By relevance, the newest ``RANKED`` matches (newest in the index: FTS5 reads its matches in that
    order and stops there) are ranked with bm25 and listed, and ``more`` says there were others. A
    word in nearly every story of a 100,000-story archive otherwise cost a bm25 score and a story
    check for each of its 100,000 matches (about 300 ms) for a page of ten, and no reader pages
    through more than a hundred pages of results: a filter or another word narrows them.

    By date, every match is sorted and counted; but a word with more than ``SCAN_FROM`` index entries
    is looked for the other way round: the live stories are read newest first (the published_at
    index) and the first ``RANKED`` that match are listed (``more`` says there were others), so a
    word in every story costs a thousand look-ups, not a hundred thousand.
    """

    def __init__(self, stories, query: str, by_date: bool, window: tuple[int, int] | None = None):
        from wagtail.search.models import IndexEntry

        self.stories = stories
        self.by_date = by_date
        self.terms = fts_terms(query)
        self.fts = IndexEntry._meta.db_table + "_fts"
        self.entries = IndexEntry._meta.db_table
        self.content_type = ContentType.objects.get_for_model(ArticlePage).pk
        # a page far past any archive is not asked for: the Paginator says it does not exist
        self.window = window if window is not None and window[0] <= MAX_OFFSET else (0, 10)
        self._count: int | None = None
        self.more = False  # more than RANKED stories match (by relevance, only RANKED are listed)
        self._pages: dict[tuple[int, int], list[int]] = {}

    def _statement(self, start: int, stop: int) -> tuple[str, list]:
        story = CAST_ID
        kept_sql, kept_params = (
            self.stories.filter(pk=RawSQL(story, [])).order_by().values("pk").query.sql_with_params()
        )
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
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT count(*) FROM {self.fts} WHERE {self.fts} MATCH %s", [" AND ".join(self.terms)])
                self._raw = cursor.fetchone()[0]
        return self._raw > SCAN_FROM

    def _newest_matches(self) -> list[int]:
        """The newest RANKED + 1 live stories (as filtered) that match, read newest first (noting their number)."""
        if (0, RANKED) not in self._pages:
            story = "a.page_ptr_id"
            kept_sql, kept_params = (
                self.stories.filter(pk=RawSQL(story, [])).order_by().values("pk").query.sql_with_params()
            )
            sql = (
                f"WITH m AS MATERIALIZED (SELECT rowid AS id FROM {self.fts} WHERE {self.fts} MATCH %s) "
                f"SELECT {story} FROM {ArticlePage._meta.db_table} a WHERE EXISTS ({kept_sql}) "
                f"AND EXISTS (SELECT 1 FROM {self.entries} e WHERE e.content_type_id = %s "
                f"AND e.object_id = CAST({story} AS TEXT) AND e.id IN (SELECT id FROM m)) "
                "ORDER BY a.published_at DESC, a.page_ptr_id DESC LIMIT %s"
            )
            with connection.cursor() as cursor:
                cursor.execute(sql, [" AND ".join(self.terms), *kept_params, self.content_type, RANKED + 1])
                ids = [row[0] for row in cursor.fetchall()]
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


def search(stories, query: str, by_date: bool, window: tuple[int, int] | None = None):
    """Something Django's Paginator can page: the stories matching ``query``, best (or newest) first.

    ``window``: the slice of them the reader's page shows (SQLite reads it with the total)."""
    if connection.vendor == "sqlite":
        return SQLiteHits(stories, query, by_date, window)
    from wagtail.search.utils import parse_query_string

    _, parsed = parse_query_string(query, operator="and")
    if by_date:
        stories = stories.order_by("-published_at", "-id")
    return stories.search(parsed, order_by_relevance=not by_date)

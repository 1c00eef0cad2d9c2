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

    The matches come from FTS5 (ranked by bm25 once, in a materialized CTE); each is kept if the
    filtered stories' query holds for it, asked as a correlated EXISTS on the story's own row (an
    index look-up a match), so a rare name costs a few look-ups however large the archive, where
    building the set of every live story cost a tenth of a second at 100,000. The page's ids and the
    total (a window count) come back together: ``window`` is the page the reader asked for, which
    ``count()`` reads with the total, so the Paginator's count and its page are one statement.
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
        self._pages: dict[tuple[int, int], list[int]] = {}

    def _statement(self, start: int, stop: int) -> tuple[str, list]:
        story = CAST_ID
        kept_sql, kept_params = (
            self.stories.filter(pk=RawSQL(story, [])).order_by().values("pk").query.sql_with_params()
        )
        rank = f", bm25({self.fts}, 1.0, 1.0, {TITLE_WEIGHT}) AS rank" if not self.by_date else ""
        if self.by_date:
            join = f"JOIN {ArticlePage._meta.db_table} a ON a.page_ptr_id = {story}"
            order = "a.published_at DESC, a.page_ptr_id DESC"
        else:
            join, order = "", "m.rank, e.object_id DESC"
        sql = (
            f"WITH m AS MATERIALIZED (SELECT rowid AS id{rank} FROM {self.fts} WHERE {self.fts} MATCH %s) "
            f"SELECT {story}, count(*) OVER () FROM m JOIN {self.entries} e ON e.id = m.id {join} "
            f"WHERE e.content_type_id = %s AND EXISTS ({kept_sql}) ORDER BY {order} LIMIT %s OFFSET %s"
        )
        return sql, [" AND ".join(self.terms), self.content_type, *kept_params, stop - start, start]

    def _page(self, start: int, stop: int) -> list[int]:
        """The ids of matches START to STOP (and the total, noted on the way)."""
        for (first, last), ids in self._pages.items():  # within a page already read (the Paginator
            # asks for the last page cut at the total)
            if first <= start and (stop <= last or len(ids) < last - first):
                return ids[start - first : stop - first]
        if (start, stop) not in self._pages:
            rows: list = []
            if self.terms:
                with connection.cursor() as cursor:
                    cursor.execute(*self._statement(start, stop))
                    rows = cursor.fetchall()
            if rows or start == 0:
                self._count = rows[0][1] if rows else 0
            self._pages[(start, stop)] = [row[0] for row in rows]
        return self._pages[(start, stop)]

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

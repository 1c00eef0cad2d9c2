"""Running a reader's search: SQLite's FTS5 directly, or Wagtail's backend on PostgreSQL.

Wagtail's SQLite backend ranks each match with a correlated subquery, which with 100,000
stories made a search for a common word take over a minute. On SQLite the page's hits are
read here in two statements against the same FTS5 index Wagtail keeps (one counts, one
returns the page's ids ranked by bm25() with the headline weighted, or by date), each filtered
in SQL by the live stories the filters leave. Every word and phrase is passed to FTS5 as a
quoted string, so no query syntax reaches it. On PostgreSQL, Wagtail's full-text backend is
used as it is.
"""

from __future__ import annotations

import re

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import prefetch_related_objects

from dateline.news.fragments import kept_many
from dateline.news.models import ArticlePage

from .backend import TITLE_WEIGHT  # the headline's weight, as the admin's search gives it

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
    """The stories matching a query, for Django's Paginator: ``count()`` and slices, each one statement."""

    def __init__(self, stories, query: str, by_date: bool):
        from wagtail.search.models import IndexEntry

        self.stories = stories
        self.by_date = by_date
        self.terms = fts_terms(query)
        self.fts = IndexEntry._meta.db_table + "_fts"
        self.entries = IndexEntry._meta.db_table
        self.content_type = ContentType.objects.get_for_model(ArticlePage).pk
        self._count: int | None = None

    def _statement(self, columns: str, tail: str = "", join: str = "") -> tuple[str, list]:
        """Matches first (FTS5 alone, ranked), then the live stories the filters leave, each computed once."""
        live_sql, live_params = self.stories.order_by().values("pk").query.sql_with_params()
        sql = (
            f"WITH m AS MATERIALIZED (SELECT rowid AS id, bm25({self.fts}, 1.0, 1.0, {TITLE_WEIGHT}) AS rank "
            f"FROM {self.fts} WHERE {self.fts} MATCH %s), "
            f"live AS MATERIALIZED ({live_sql}) "
            f"SELECT {columns} FROM m JOIN {self.entries} e ON e.id = m.id {join} "
            f"WHERE e.content_type_id = %s AND CAST(e.object_id AS INTEGER) IN (SELECT * FROM live) {tail}"
        )
        return sql, [" AND ".join(self.terms), *live_params, self.content_type]

    def count(self) -> int:
        if self._count is None:
            count = 0
            if self.terms:
                with connection.cursor() as cursor:
                    cursor.execute(*self._statement("count(*)"))
                    count = cursor.fetchone()[0]
            self._count = count
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list:
        if not self.terms:
            return []
        start, stop = window.start or 0, window.stop
        join = ""
        if self.by_date:
            join = f"JOIN {ArticlePage._meta.db_table} a ON a.page_ptr_id = CAST(e.object_id AS INTEGER)"
            order = "a.published_at DESC, a.page_ptr_id DESC"
        else:
            order = "m.rank, e.object_id DESC"
        sql, params = self._statement("CAST(e.object_id AS INTEGER)", f"ORDER BY {order} LIMIT %s OFFSET %s", join)
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, stop - start, start])
            ids = [row[0] for row in cursor.fetchall()]
        pages = kept_many("search-hit", ids, self._fetch)
        return [pages[pk] for pk in ids if pk in pages]

    def _fetch(self, ids: list[int]) -> dict:
        pages = self.stories.in_bulk(ids)
        prefetch_related_objects(list(pages.values()), "article_authors__author")  # their bylines
        for page in pages.values():
            page.authors  # noqa: B018 (read now, so what is kept holds them)
        return pages


def search(stories, query: str, by_date: bool):
    """Something Django's Paginator can page: the stories matching ``query``, best (or newest) first."""
    if connection.vendor == "sqlite":
        return SQLiteHits(stories, query, by_date)
    from wagtail.search.utils import parse_query_string

    _, parsed = parse_query_string(query, operator="and")
    if by_date:
        stories = stories.order_by("-published_at", "-id")
    return stories.search(parsed, order_by_relevance=not by_date)

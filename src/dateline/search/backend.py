"""Wagtail's database search backend, with headlines weighted on SQLite too.

On PostgreSQL Wagtail ranks with the fields' boosts (a headline counts more than the body).
On SQLite it ranks with FTS5's bm25() over the whole row, so a headline that names the term
counts no more than one mention deep in the body; here bm25() is given column weights
(autocomplete, body, title) so that it does. Everything else is Wagtail's.
"""

from functools import cache

from django.db import connection
from modelsearch.backends import database

TITLE_WEIGHT = 10.0  # FTS5 columns: autocomplete, body, title


@cache
def _weighted_sqlite_backend_class():
    # Imported here: these modules exist only where SQLite's FTS5 does.
    from modelsearch.backends.database.sqlite.query import BM25, SQLiteFTSIndexEntry
    from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend, SQLiteSearchQueryCompiler
    from modelsearch.query import Phrase, PlainText

    class WeightedBM25(BM25):
        def as_sql(self, compiler, connection, function=None, template=None):
            return f"bm25({SQLiteFTSIndexEntry._meta.db_table}, 1.0, 1.0, {TITLE_WEIGHT})", []

    class WeightedQueryCompiler(SQLiteSearchQueryCompiler):
        def build_tsrank(self, vector, query, config=None, boost=1.0):
            if isinstance(query, (Phrase, PlainText)):
                return WeightedBM25()  # the field boosts are the column weights; a row is ranked once
            return super().build_tsrank(vector, query, config=config, boost=boost)

    class WeightedSQLiteSearchBackend(SQLiteSearchBackend):
        query_compiler_class = WeightedQueryCompiler

    return SQLiteSearchBackend, WeightedSQLiteSearchBackend


def SearchBackend(params):  # noqa: N802 (Wagtail's name for a backend factory)
    backend = database.SearchBackend(params)
    if connection.vendor == "sqlite":
        plain, weighted = _weighted_sqlite_backend_class()
        if type(backend) is plain:
            return weighted(params)
    return backend

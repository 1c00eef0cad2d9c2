"""On PostgreSQL, a GIN index on an index entry's headline and body together.

Wagtail's PostgreSQL search (and search/engine.py, which builds its query the same way) matches
``title || body`` against the query; Wagtail indexes each column alone, so every search read every
index entry. With this index a search reads the entries of its words only. SQLite's FTS5 table
needs nothing."""

from django.db import migrations

INDEX = "dateline_search_title_body_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                f'CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailsearch_indexentry USING gin (("title" || "body"))'
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("wagtailsearch", "0010_add_text_fields")]

    operations = [migrations.RunPython(create, drop)]

"""On PostgreSQL, trigram indexes for the desk's search (a substring search over 100,000 items would
read them all). pg_trgm ships with PostgreSQL; creating it needs a role that may create extensions:
without one the indexes are left out, and the search still works, only slower."""

from django.db import migrations

FIELDS = ("headline", "body_text", "agency", "guid")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SAVEPOINT dateline_trgm")
        try:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception:  # noqa: BLE001 (no permission to create extensions: the search stays unindexed)
            cursor.execute("ROLLBACK TO SAVEPOINT dateline_trgm")
            return
        cursor.execute("RELEASE SAVEPOINT dateline_trgm")
        for field in FIELDS:
            # Django's icontains on PostgreSQL is UPPER(field::text) LIKE UPPER(%s): the index matches it.
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS wire_item_{field}_trgm ON wire_wireitem "
                f'USING gin ((UPPER("{field}"::text)) gin_trgm_ops)'
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for field in FIELDS:
            cursor.execute(f"DROP INDEX IF EXISTS wire_item_{field}_trgm")


class Migration(migrations.Migration):
    dependencies = [("wire", "0005_desk_order")]

    operations = [migrations.RunPython(create, drop)]

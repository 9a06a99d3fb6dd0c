"""Trigram indexes on partnerships' names for the directory's search on PostgreSQL.

The directory finds a partnership whose name is like the words asked for (the ``%>`` operator,
at the 0.5 threshold of migration 0008) or contains them (``UPPER(name) LIKE``). Without an
index, PostgreSQL worked out the word similarity of every partnership's name on every search.
On SQLite this does nothing.
"""

from django.db import migrations

INDEXES = {
    "partnerships_partnership_name_trgm": "name gin_trgm_ops",
    "partnerships_partnership_upper_name_trgm": "UPPER(name::text) gin_trgm_ops",
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON partnerships_partnership "
            f"USING gin ({expression})",
            None,
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}", None)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0008_directory_search_indexes"),
        ("partnerships", "0007_invitation"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

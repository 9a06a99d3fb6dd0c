"""Indexes for the directory's search on PostgreSQL, found slow on a national-size dataset.

The search matched schools by a full-text vector of their name, town and local authority, or
by the word similarity of their name, computed for every school on every search (0.9 s a query
with 24,000 schools). An expression index on the vector, the trigram index on names (0004) and
the ``%>`` operator at the same 0.5 threshold let PostgreSQL find the matches from the indexes.
On SQLite this does nothing.
"""

from django.db import migrations

INDEX = "partnerships_school_search"
# The expression Django writes for SearchVector("name", "town", "local_authority",
# config="simple"), so that the planner recognises it.
VECTOR = (
    "to_tsvector('simple'::regconfig, COALESCE(name, '') || ' ' || COALESCE(town, '') "
    "|| ' ' || COALESCE(local_authority, ''))"
)
# word_similarity(query, name) >= 0.5, as the search asked before, now as an indexable
# operator: for every new connection to this database, and for this one.
THRESHOLD = "pg_trgm.word_similarity_threshold = 0.5"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON partnerships_school USING gin ({VECTOR})", None
    )
    schema_editor.execute(
        "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET " + THRESHOLD + "', "
        "current_database()); END $$",
        None,
    )
    schema_editor.execute(f"SET {THRESHOLD}", None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}", None)
    schema_editor.execute(
        "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I RESET pg_trgm.word_similarity_threshold',"
        " current_database()); END $$",
        None,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0007_notifications"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

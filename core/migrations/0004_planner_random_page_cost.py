"""PostgreSQL's planner, told that reading a page out of order costs little more than reading
the next one.

Its default (``random_page_cost = 4``) was set for spinning disks. Cairn's working set lives in
memory or on SSD, where the usual setting is 1.1; with the default, the planner hash-joined
whole tables (24,000 schools, 15,000 priorities) to look up the 250 rows of one batch of the
reminder sweep, where an index lookup per row takes a tenth of the time (``make bench``,
docs/performance.md). Set for the database, as the directory's trigram threshold is (reviews
migration 0008), so that it holds for every connection, through a pooler too. An operator on
spinning disks can set it back with ``ALTER DATABASE ... RESET random_page_cost``.
"""

from django.db import migrations

SETTING = "random_page_cost = 1.1"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET " + SETTING + "', "
        "current_database()); END $$",
        None,
    )
    schema_editor.execute(f"SET {SETTING}", None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I RESET random_page_cost', "
        "current_database()); END $$",
        None,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_outgoing_email"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]

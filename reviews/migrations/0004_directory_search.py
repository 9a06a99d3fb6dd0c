"""The public directory's search: PostgreSQL's trigram extension, and a trigram index on school
names. Both are PostgreSQL's alone; on SQLite (the embedded default) this does nothing."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = "partnerships_school_name_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON partnerships_school USING gin (name gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0006_school_town"),
        ("reviews", "0003_partnership_review_publication"),
    ]

    operations = [
        # A no-op on any database but PostgreSQL (Django's CreateExtension checks the vendor).
        TrigramExtension(),
        migrations.RunPython(create_index, drop_index),
    ]

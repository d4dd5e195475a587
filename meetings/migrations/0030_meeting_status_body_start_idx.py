"""On SQLite, the public list's browse counts (``publication.selectors.published_note_facets``)
read every published note by body and year from an index on (status, body, start), not each
note's row (SQLite reads a row's pages up to the columns asked for, past the note's search
text of about 17 KB). Not on PostgreSQL (``meetings.search_index.FACETS_INDEX``). Made again
after every ``migrate`` too, since a table Django rebuilds on SQLite keeps only the model's
indexes."""

from django.db import migrations


def create(apps, schema_editor):
    from meetings.search_index import sqlite_indexes_ensure

    sqlite_indexes_ensure(using=schema_editor.connection.alias)


def drop(apps, schema_editor):
    from meetings.search_index import FACETS_INDEX

    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP INDEX IF EXISTS {FACETS_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0029_sqlite_search_index"),
    ]

    operations = [migrations.RunPython(create, drop)]

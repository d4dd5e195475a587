"""The public search's full-text index (migration 0023) without a pending list.

A GIN index is made with ``fastupdate`` on: new entries wait in a list that every search reads
through, entry by entry, until a vacuum or an automatic analyse merges it into the index.
After 1,800 notes were loaded the bench's search for a word in no note read 7,244 buffers
(8.8 ms at 2,003 notes, and growing with every note until the next vacuum) instead of a
handful (0.08 ms); with the list the planner also prices the index out and reads every
note's text instead. Without it each published note's entries go straight into the index:
about 2.5 ms more once, when the note is published (its text never changes afterwards, and a
draft's is empty), for searches whose cost does not depend on when autovacuum last ran.
"""

from django.db import migrations

INDEX = "meeting_search_text_fts"


def without_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'ALTER INDEX "{INDEX}" SET (fastupdate = off)')
        # Turning it off does not merge what is already waiting.
        schema_editor.execute("SELECT gin_clean_pending_list(%s::regclass)", [INDEX])


def with_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'ALTER INDEX "{INDEX}" RESET (fastupdate)')


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0027_merge_pdf_pages_frozen_reds"),
    ]

    operations = [
        migrations.RunPython(without_pending_list, with_pending_list, elidable=False),
    ]

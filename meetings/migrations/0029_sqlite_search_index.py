"""On SQLite, the public search's own full-text index (FTS5), as PostgreSQL has one (0023).

Without it a SQLite search read every published note's text (``LIKE '%word%'`` on each) to
find a word in none of them, or in one: 4.4 times the time at 2,003 notes as at 203 (the
bench, 3 December 2026), growing with every note. The FTS5 table holds no copy of the text
(``content=``: it reads ``meetings_meeting.search_text``), stems English words as PostgreSQL's
``english`` configuration does (Porter), and is kept by triggers on every insert, update of
the text and delete, whatever writes the row (a save, a bulk update, raw SQL): see
``meetings.search_index``. A SQLite built without FTS5 keeps the search of before
(``publication.selectors``).
"""

from django.db import OperationalError, migrations

TABLE = "meeting_search_fts"
TRIGGERS = ("meeting_search_fts_insert", "meeting_search_fts_delete", "meeting_search_fts_update")


def _has_fts5(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_compileoption_used('ENABLE_FTS5')")
        if cursor.fetchone()[0]:
            return True
        try:  # some builds load it without the compile option
            cursor.execute("CREATE VIRTUAL TABLE temp.scrutiny_fts5_probe USING fts5(x)")
        except OperationalError:  # no such module: fts5
            return False
        cursor.execute("DROP TABLE temp.scrutiny_fts5_probe")
        return True


def create_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite" or not _has_fts5(connection):
        return
    schema_editor.execute(
        f"CREATE VIRTUAL TABLE {TABLE} USING fts5(search_text, content='meetings_meeting', "
        "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')"
    )
    # The triggers that keep it, and its first build from the notes already published, come
    # after every migrate (meetings.search_index.triggers_ensure): a later migration that
    # rebuilds meetings_meeting drops them.


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for trigger in TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0028_search_index_without_pending_list"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]

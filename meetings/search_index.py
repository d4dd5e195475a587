"""SQLite's full-text index of the published notes' search text (FTS5; migration 0029).

PostgreSQL parses ``Meeting.search_text`` into a generated column with a GIN index (0023).
SQLite has no generated tsvector: an FTS5 table reads the text from ``meetings_meeting``
(``content=``, no copy) and three triggers keep it in step with every insert, update of the
text and delete, whatever writes the row. Django's SQLite schema editor rebuilds a table to
alter it (a new table, the rows copied, the old one dropped): that drops its triggers, so
they are made again after every ``migrate`` (``post_migrate``), and the index rebuilt from the
text whenever one was missing. A SQLite without FTS5 has no table, and the search reads the
text itself (``publication.selectors``).
"""

from __future__ import annotations

from django.db import connections

TABLE = "meeting_search_fts"
_TRIGGERS = {
    "meeting_search_fts_insert": (
        "AFTER INSERT ON meetings_meeting BEGIN "
        f"INSERT INTO {TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END"
    ),
    "meeting_search_fts_delete": (
        "AFTER DELETE ON meetings_meeting BEGIN "
        f"INSERT INTO {TABLE}({TABLE}, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); END"
    ),
    "meeting_search_fts_update": (
        "AFTER UPDATE OF search_text ON meetings_meeting BEGIN "
        f"INSERT INTO {TABLE}({TABLE}, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); "
        f"INSERT INTO {TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END"
    ),
}


# What Django does not manage on SQLite, made by a migration and again after every migrate (a
# table rebuilt by Django's schema editor keeps only the indexes of the models): the public
# list's counts of every published note group them by body and year, which this index answers
# alone; without it SQLite reads each note's row, up to its columns past its search text of
# about 17 KB (4.2 -> 2.1 ms at 1,995 notes). Not on PostgreSQL: its rows keep long text out
# of line, and its planner would read every published note by this index for a search
# instead of the full-text index.
FACETS_INDEX = "meeting_status_body_start_idx"
_FACETS_INDEX_SQL = (
    f"CREATE INDEX IF NOT EXISTS {FACETS_INDEX} ON meetings_meeting (status, body_id, start)"
)


def sqlite_indexes_ensure(*, using: str = "default", **kwargs) -> None:
    """Make ``FACETS_INDEX`` where it is missing, on SQLite (migration 0030, post_migrate)."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(_FACETS_INDEX_SQL)


def has_sqlite_index(connection) -> bool:
    """Whether ``connection`` is SQLite with the index (asked once per connection object)."""
    if connection.vendor != "sqlite":
        return False
    known = getattr(connection, "_scrutiny_search_index", None)
    if known is None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [TABLE]
            )
            known = cursor.fetchone() is not None
        connection._scrutiny_search_index = known
    return known


def triggers_ensure(*, using: str = "default", **kwargs) -> None:
    """Make the index's triggers where they are missing and, if one was, rebuild the index
    from the text (post_migrate)."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    connection._scrutiny_search_index = None  # the migration may have just made the table
    if not has_sqlite_index(connection):
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        present = {name for (name,) in cursor.fetchall()}
        missing = [name for name in _TRIGGERS if name not in present]
        for name in missing:
            cursor.execute(f"CREATE TRIGGER {name} {_TRIGGERS[name]}")
        if missing:
            cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')")

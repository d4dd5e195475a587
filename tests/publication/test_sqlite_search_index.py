"""SQLite's full-text index of the published notes (FTS5, ``meetings.search_index``): the
search reads it instead of every note's text, it follows every write of the text, it survives
a rebuild of the meetings' table, and no query text is read as FTS5 syntax."""

import pytest
from django.db import connection
from django.urls import reverse

from meetings import search_index
from meetings.models import Meeting
from publication.selectors import published_note_search
from tests.factories import MeetingFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 index"),
]


@pytest.fixture(autouse=True)
def _with_the_index(db):
    if not search_index.has_sqlite_index(connection):
        pytest.skip("this SQLite has no FTS5: the search reads every note's text")


def _published(text: str) -> Meeting:
    meeting = MeetingFactory()  # a draft: its text can be set directly
    Meeting.objects.filter(pk=meeting.pk).update(search_text=text, status="published")
    return meeting


def _write(sql: str, *params) -> None:
    """A write no model sees (a published note cannot change through the ORM): the triggers
    keep the index whatever writes the row."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _found(query: str) -> set[int]:
    return set(published_note_search(query).values_list("pk", flat=True))


def test_a_search_reads_the_index_not_every_notes_text():
    _published("Burglaries rose in the north of the county.")
    sql, params = published_note_search("zebra").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " | ".join(row[-1] for row in cursor.fetchall())
    assert "VIRTUAL TABLE INDEX" in plan and search_index.TABLE in plan, plan
    assert "LIKE" not in sql.upper()


def test_every_word_is_needed_and_forms_of_a_word_find_each_other():
    burglary = _published("Burglaries rose; Miranda Carruthers-Watt spoke for the force.")
    other = _published("Road safety: the Chief Constable reported on speeding.")
    assert _found("burglary") == {burglary.pk}
    assert _found("Carruthers") == {burglary.pk}
    assert _found("burglary speeding") == set()
    assert _found("speed") == {other.pk}  # "speeding", stemmed as PostgreSQL stems it
    assert _found("constable reported") == {other.pk}


def test_the_index_follows_every_write_of_the_text():
    meeting = _published("Wombats were discussed.")
    assert _found("wombats") == {meeting.pk}
    _write("UPDATE meetings_meeting SET search_text = %s WHERE id = %s", "Quokkas.", meeting.pk)
    assert _found("wombats") == set() and _found("quokkas") == {meeting.pk}
    _write("DELETE FROM meetings_meeting WHERE id = %s", meeting.pk)
    assert _found("quokkas") == set()
    fresh = _published("Quokkas again.")  # a new row, perhaps with the same id
    assert _found("quokkas") == {fresh.pk}


def test_a_rebuilt_table_gets_its_triggers_back_and_the_index_is_rebuilt():
    """Django's SQLite schema editor rebuilds a table to alter it, which drops its triggers:
    after the next migrate they are made again and the index rebuilt from the text."""
    meeting = _published("Wombats were discussed.")
    with connection.cursor() as cursor:
        for name in search_index._TRIGGERS:
            cursor.execute(f"DROP TRIGGER {name}")
        cursor.execute(
            f"INSERT INTO {search_index.TABLE}({search_index.TABLE}) VALUES ('delete-all')"
        )
    later = _published("Okapis, unseen by the index until it is rebuilt.")
    assert _found("okapis") == set()
    search_index.triggers_ensure(using="default")
    assert _found("wombats") == {meeting.pk} and _found("okapis") == {later.pk}
    _write("UPDATE meetings_meeting SET search_text = %s WHERE id = %s", "Giraffes.", later.pk)
    assert _found("giraffes") == {later.pk} and _found("okapis") == set()


@pytest.mark.parametrize(
    ("query", "finds"),
    [
        ('"wombats', True),
        ("NEAR(wombats discussed", False),  # "near" is a word it needs
        ("wombats OR okapis", False),  # every word is needed, "or" among them
        ("-wombats", True),
        ("search_text:wombats", False),  # "search" and "text" are words too
        ("^wombats*", True),
        ("wom*", False),  # words, not prefixes, as PostgreSQL's search
        ("_", None),  # no word at all: every note is listed, as for an empty search
        ("((", None),
    ],
)
def test_no_query_is_read_as_fts5_syntax(client, query, finds):
    meeting = _published("Wombats were discussed.")
    assert client.get(reverse("public:note-list"), {"q": query}).status_code == 200
    if finds is None:
        assert _found(query) == _found("")
    else:
        assert _found(query) == ({meeting.pk} if finds else set())

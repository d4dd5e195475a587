"""The public search reads each published note's text, written once when it is published:
one query whatever the number of notes, never a restricted item's text, and a text that
cannot change afterwards (as nothing else of a published note can)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import Meeting
from meetings.models.notes import NoteFrozen
from meetings.selectors.note import note_search_text
from publication.selectors import published_note_search
from tests.factories import AgendaItemFactory, AttendanceFactory, MeetingFactory, note_published


def test_publishing_writes_the_text_the_search_reads(published):
    text = Meeting.objects.get(pk=published.pk).search_text
    assert text == note_search_text(published)
    assert "Cabinet Room" in text  # the venue
    assert "Miranda Carruthers-Watt" in text  # an attendee
    assert "zebra" not in text  # the restricted item's note


def test_a_draft_has_no_search_text(db, draft):
    assert Meeting.objects.get(pk=draft.pk).search_text == ""


def test_the_search_text_of_a_published_note_cannot_change(published):
    meeting = Meeting.objects.get(pk=published.pk)
    meeting.search_text = "something else entirely"
    with pytest.raises(NoteFrozen):
        meeting.save()
    with pytest.raises(NoteFrozen):
        Meeting.objects.filter(pk=published.pk).update(search_text="")


def _publish_many(staff, chief_executive, count: int) -> None:
    for number in range(count):
        meeting = MeetingFactory(title=f"Board {number}", venue="Hall")
        AttendanceFactory(meeting=meeting)
        AgendaItemFactory(meeting=meeting, narrative=f"Item about wombats {number}")
        note_published(meeting, staff=staff, chief_executive=chief_executive)


def test_a_search_costs_the_same_queries_whatever_the_number_of_notes(
    client, staff, chief_executive
):
    url = reverse("public:note-list")
    _publish_many(staff, chief_executive, 2)
    client.get(url, {"q": "wombats hall"})
    with CaptureQueriesContext(connection) as few:
        assert "Board 1" in client.get(url, {"q": "wombats hall"}).content.decode()
    _publish_many(staff, chief_executive, 6)
    with CaptureQueriesContext(connection) as many:
        assert "Board 5" in client.get(url, {"q": "wombats hall"}).content.decode()
    assert len(many) == len(few)
    # One table: the meetings' own, not a join over items, attendance, actions and reports.
    searched = [q["sql"] for q in many if "search_" in q["sql"]]  # search_text or search_document
    assert searched and all("meetings_agendaitem" not in sql for sql in searched)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's full-text index")
def test_postgresql_answers_a_search_from_its_full_text_index(published):
    with connection.cursor() as cursor:
        # On a table of a few rows the planner may prefer walking the date index and filtering;
        # a GIN index is read only through a bitmap scan, so leave it the only cheap way in.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("ANALYZE meetings_meeting")
        sql, params = published_note_search("burglary").query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "meeting_search_text_fts" in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's full-text index")
def test_a_note_of_megabytes_of_distinct_words_is_still_stored_and_found(db):
    import random

    words = random.Random(15).choices("abcdefghijklmnopqrstuvwxyz", k=2_000_000)
    text = "Firstword " + " ".join("".join(words[i : i + 8]) for i in range(0, len(words), 8))
    meeting = MeetingFactory()  # a draft: its text can be set directly
    Meeting.objects.filter(pk=meeting.pk).update(search_text=text, status="published")
    assert published_note_search("firstword").filter(pk=meeting.pk).exists()

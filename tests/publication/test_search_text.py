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
    client, staff, chief_executive, list_not_kept
):
    url = reverse("public:note-list")
    _publish_many(staff, chief_executive, 2)
    client.get(url, {"q": "wombats hall"})
    with CaptureQueriesContext(connection) as few:
        assert "Board 1" in client.get(url, {"q": "wombats hall"}).content.decode()
    _publish_many(staff, chief_executive, 6)
    client.get(url, {"q": "wombats hall"})  # the browse counts, cached until the next publish
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
def test_a_word_in_no_note_is_answered_from_the_index_not_from_a_pending_list(db):
    """A GIN index with ``fastupdate`` (PostgreSQL's default) queues new entries in a pending
    list that every search reads through until a vacuum merges it: after 1,800 notes were
    loaded, a word in no note read 7,000 buffers (9 ms) instead of a handful (0.08 ms). The
    index is kept without one, so what a search reads does not depend on when autovacuum ran."""
    import random

    vocabulary = ["".join(random.Random(n).choices("abcdefghij", k=7)) for n in range(3000)]
    for number in range(30):
        words = random.Random(number).sample(vocabulary, 600)
        meeting = MeetingFactory()  # a draft: its text can be set directly
        Meeting.objects.filter(pk=meeting.pk).update(
            search_text=" ".join(words), status="published"
        )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = published_note_search("zebra").query.sql_with_params()
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    nodes, index_scans = [plan[0]["Plan"]], []
    while nodes:
        node = nodes.pop()
        nodes.extend(node.get("Plans", []))
        if node.get("Index Name") == "meeting_search_text_fts":
            index_scans.append(node)
    assert index_scans, plan
    read = sum(n["Shared Hit Blocks"] + n["Shared Read Blocks"] for n in index_scans)
    assert read <= 5, f"the index scan read {read} buffers"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's full-text index")
def test_a_note_of_megabytes_of_distinct_words_is_still_stored_and_found(db):
    import random

    words = random.Random(15).choices("abcdefghijklmnopqrstuvwxyz", k=2_000_000)
    text = "Firstword " + " ".join("".join(words[i : i + 8]) for i in range(0, len(words), 8))
    meeting = MeetingFactory()  # a draft: its text can be set directly
    Meeting.objects.filter(pk=meeting.pk).update(search_text=text, status="published")
    assert published_note_search("firstword").filter(pk=meeting.pk).exists()


def test_a_word_in_nearly_every_note_is_counted_only_up_to_the_cap(
    client, staff, chief_executive, monkeypatch
):
    import publication.views

    monkeypatch.setattr(publication.views, "NOTES_PER_PAGE", 2)
    monkeypatch.setattr(publication.views, "SEARCH_COUNT_CAP", 3)
    url = reverse("public:note-list")
    _publish_many(staff, chief_executive, 5)
    expected = [m.title for m in published_note_search("wombats")]
    assert len(expected) == 5
    with CaptureQueriesContext(connection) as queries:
        first = client.get(url, {"q": "wombats"}).content.decode()
    assert "More than 3 notes matching" in first
    assert "Page 1</span>" in first and "Page 1 of" not in first
    assert 'href="?q=wombats&amp;page=2">Next' in first
    # The search's count (the browse counts are grouped, cached, and not of the matches).
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper() and "search_" in q["sql"]]
    assert counts and all("LIMIT 4" in sql for sql in counts)  # never every match counted
    # Every match is still reachable, in order, page after page; the last has no Next.
    shown = []
    for number in (1, 2, 3):
        page = client.get(url, {"q": "wombats", "page": number}).content.decode()
        shown += [title for title in expected if f">{title}, " in page]
    assert shown == expected
    assert "Next" not in page and "Previous" in page
    # Past the last page (or not a number): the first page, as the plain pagination does.
    assert expected[0] in client.get(url, {"q": "wombats", "page": 9}).content.decode()
    assert expected[0] in client.get(url, {"q": "wombats", "page": "x"}).content.decode()


def test_under_the_cap_the_matches_are_counted_and_the_pages_numbered(
    client, staff, chief_executive, monkeypatch
):
    import publication.views

    monkeypatch.setattr(publication.views, "NOTES_PER_PAGE", 2)
    _publish_many(staff, chief_executive, 3)
    page = client.get(reverse("public:note-list"), {"q": "wombats"}).content.decode()
    assert "3 notes matching" in page and "More than" not in page
    assert "Page 1 of 2" in page

"""The browse counts follow the search and the other choice (the usual faceted-search rule):
a body's count is of the notes of the chosen year matching the search, a year's of the notes
of the chosen body matching the search; the queries stay the same whatever the number of
notes, and a search's counts stop at the search's cap."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import Meeting
from publication.selectors import published_note_facets
from tests.factories import BodyFactory, MeetingFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _note(body, year: int, text: str, day: int = 1) -> Meeting:
    """A published note with this search text (set as publishing would, without the PDF)."""
    meeting = MeetingFactory(body=body, start=dt.datetime(year, 6, day, 12, tzinfo=LONDON))
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.PUBLISHED, search_text=f"{body.name}\n{text}"
    )
    return meeting


@pytest.fixture
def notes():
    audit, panel = BodyFactory(name="Audit Committee"), BodyFactory(name="Police Panel")
    _note(audit, 2013, "wombats in the park")
    _note(audit, 2013, "nothing to see", day=2)
    _note(audit, 2014, "wombats again")
    _note(panel, 2014, "more wombats")
    _note(panel, 2014, "plain business", day=2)
    _note(panel, 2013, "plain business")
    return audit, panel


def _counts(**choice) -> tuple[dict, dict]:
    facets = published_note_facets(**choice)
    return (
        {b["name"]: b["count"] for b in facets["bodies"]},
        {y["year"]: y["count"] for y in facets["years"]},
    )


def test_without_a_search_each_facet_is_counted_under_the_other_choice(notes):
    audit, _panel = notes
    assert _counts() == ({"Audit Committee": 3, "Police Panel": 3}, {2014: 3, 2013: 3})
    assert _counts(year=2014) == ({"Audit Committee": 1, "Police Panel": 2}, {2014: 3, 2013: 3})
    assert _counts(body=audit.pk) == (
        {"Audit Committee": 3, "Police Panel": 3},
        {2014: 1, 2013: 2},
    )
    assert _counts(body=audit.pk, year=2014) == (
        {"Audit Committee": 1, "Police Panel": 2},
        {2014: 1, 2013: 2},
    )


def test_the_counts_are_of_the_search_s_matches(notes):
    _audit, panel = notes
    assert _counts(query="wombats") == (
        {"Audit Committee": 2, "Police Panel": 1},
        {2014: 2, 2013: 1},
    )
    # a body with no match in the chosen year is left out; the years are the search's
    assert _counts(query="wombats", year=2013) == ({"Audit Committee": 1}, {2014: 2, 2013: 1})
    assert _counts(query="wombats", body=panel.pk) == (
        {"Audit Committee": 2, "Police Panel": 1},
        {2014: 1},
    )
    # what is chosen is always listed, with 0 when nothing matches it
    assert _counts(query="wombats", body=panel.pk, year=2013) == (
        {"Audit Committee": 1, "Police Panel": 0},
        {2014: 1, 2013: 0},
    )
    assert _counts(query="giraffes") == ({}, {})


def test_past_the_cap_a_search_s_facets_are_listed_without_counts(notes):
    assert _counts(query="wombats", cap=2) == (
        {"Audit Committee": None, "Police Panel": None},
        {2014: None, 2013: None},
    )
    # under the cap within the chosen year: counted
    assert _counts(query="wombats", year=2013, cap=2) == (
        {"Audit Committee": 1},
        {2014: None, 2013: None},
    )


def test_the_page_shows_the_counts_of_the_search_and_the_choice(client, notes):
    audit, panel = notes
    page = client.get(reverse("public:note-list"), {"q": "wombats", "year": "2014"})
    html = page.content.decode()
    assert f'q=wombats&amp;year=2014&amp;body={audit.pk}">Audit Committee (1)</a>' in html
    assert f'body={panel.pk}">Police Panel (1)</a>' in html
    assert '<strong aria-current="page">2014 (2)</strong>' in html
    assert 'year=2013">2013 (1)</a>' in html


def test_past_the_cap_the_page_shows_no_count(client, notes, monkeypatch):
    import publication.views

    monkeypatch.setattr(publication.views, "SEARCH_COUNT_CAP", 2)
    html = client.get(reverse("public:note-list"), {"q": "wombats"}).content.decode()
    assert ">Audit Committee</a>" in html and ">2013</a>" in html
    assert not re.search(r"Audit Committee \(\d+\)", html)


def _grouped(client, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("public:note-list"), params).status_code == 200
    return len(queries), sum("GROUP BY" in q["sql"] for q in queries)


@pytest.mark.parametrize(
    "params",
    [{}, {"year": "2014"}, {"q": "wombats"}, {"q": "wombats", "year": "2014", "body": "PANEL"}],
)
def test_the_queries_are_the_same_for_six_notes_and_for_eighteen(
    client, notes, params, list_not_kept
):
    audit, panel = notes
    params = {k: str(panel.pk) if v == "PANEL" else v for k, v in params.items()}
    client.get(reverse("public:note-list"), params)  # the cached counts of every note
    few = _grouped(client, params)
    for number in range(12):
        _note(panel if number % 2 else audit, 2012 + number % 3, f"wombats {number}", day=3)
    client.get(reverse("public:note-list"), params)
    assert _grouped(client, params) == few
    # browsing costs no grouped query once cached; a search one a facet (one with no choice)
    assert few[1] == (0 if "q" not in params else 1 if len(params) == 1 else 2)


@pytest.mark.parametrize(
    ("when", "year"),
    [
        ((2013, 12, 31, 23, 30), 2013),
        ((2014, 1, 1, 0, 30), 2014),
        ((2014, 7, 1, 0, 30), 2014),  # summer time: 30 June 23:30 UTC
        ((1970, 1, 1, 0, 30), 1970),  # British Standard Time, UTC+1 all year: 1969 in UTC
    ],
)
def test_a_note_is_counted_in_its_local_year_however_the_year_is_worked_out(when, year):
    from publication.selectors import _facet_rows

    meeting = MeetingFactory(start=dt.datetime(*when, tzinfo=LONDON))
    Meeting.objects.filter(pk=meeting.pk).update(status="published")
    rows = _facet_rows(Meeting.objects.filter(pk=meeting.pk))
    assert [row[2] for row in rows] == [year]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_every_published_note_is_counted_from_the_index_not_the_notes(notes):
    """The counts of every note read (status, body, start) from its index (migration 0030),
    never each note's row, whose search text SQLite would read past."""
    from publication.selectors import by_body_and_year

    plan = by_body_and_year(Meeting.objects.filter(status=Meeting.Status.PUBLISHED)).explain()
    assert "USING COVERING INDEX meeting_status_body_start_idx" in plan, plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own index")
def test_the_counts_index_is_made_again_after_a_migrate_that_lost_it(notes):
    """A table Django rebuilds on SQLite keeps only the model's indexes: post_migrate makes
    the counts' index again (``search_index.sqlite_indexes_ensure``)."""
    from meetings.search_index import FACETS_INDEX, sqlite_indexes_ensure

    def present() -> bool:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = %s", [FACETS_INDEX]
            )
            return cursor.fetchone() is not None

    assert present()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {FACETS_INDEX}")
    assert not present()
    sqlite_indexes_ensure()
    assert present()

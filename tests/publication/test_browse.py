"""The public list can be browsed by meeting (body) and by year, with counts of the published
notes of each, keeping the search and the pagination."""

import pytest
from django.urls import reverse

from tests.factories import executive_board_meetings, note_published

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_bodies(published, staff, chief_executive):
    _, march = executive_board_meetings(staff)
    return published, note_published(march, staff=staff, chief_executive=chief_executive)


def _list(client, **params) -> str:
    return client.get(reverse("public:note-list"), params).content.decode()


def test_the_list_names_each_body_and_year_with_its_count(client, two_bodies):
    page = _list(client)
    scrutiny, board = two_bodies
    assert f'body={board.body_id}">Executive Board (1)</a>' in page
    assert f'body={scrutiny.body_id}">Strategic Scrutiny Meeting (1)</a>' in page
    assert 'year=2014">2014 (1)</a>' in page and 'year=2013">2013 (1)</a>' in page
    assert page.index("2014 (1)") < page.index("2013 (1)")  # latest year first


def test_a_year_lists_that_years_notes_only(client, two_bodies):
    page = _list(client, year="2014")
    assert "Executive Board, Tuesday, 11 March 2014" in page
    assert "Monday, 23 December 2013" not in page
    assert "1 note in 2014" in page
    assert '<strong aria-current="page">2014 (1)</strong>' in page


def test_a_body_lists_its_notes_only_and_keeps_the_search(client, two_bodies):
    scrutiny, _ = two_bodies
    page = _list(client, body=str(scrutiny.body_id), q="Grunshaw")
    assert "Strategic Scrutiny Meeting, Monday, 23 December 2013" in page
    assert "11 March 2014" not in page
    assert f'<input type="hidden" name="body" value="{scrutiny.body_id}">' in page
    # choosing a year keeps the search and the body
    assert f"q=Grunshaw&amp;body={scrutiny.body_id}&amp;year=2013" in page


def test_a_body_and_a_year_with_no_note_say_so(client, two_bodies):
    scrutiny, _ = two_bodies
    page = _list(client, body=str(scrutiny.body_id), year="2014")
    assert "0 notes of the Strategic Scrutiny Meeting in 2014" in page
    assert "No published note matches your search." in page


@pytest.mark.parametrize("params", [{"year": "abc"}, {"year": "99999"}, {"body": "-1"}])
def test_nonsense_filters_are_ignored(client, two_bodies, params):
    response = client.get(reverse("public:note-list"), params)
    assert response.status_code == 200
    page = response.content.decode()
    assert "11 March 2014" in page and "23 December 2013" in page


def test_pages_keep_the_filters(client, staff, chief_executive, two_bodies, monkeypatch):
    from publication import views

    monkeypatch.setattr(views, "NOTES_PER_PAGE", 1)
    page = _list(client, q="Meeting", year="")
    assert "?q=Meeting&page=2" in page.replace("&amp;", "&")


def test_the_counts_are_read_once_and_a_publish_or_a_rename_shows_at_once(
    client, published, staff, chief_executive
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def counted() -> int:
        with CaptureQueriesContext(connection) as queries:
            _list(client)
        return sum("GROUP BY" in q["sql"] for q in queries)

    assert counted() == 1  # bodies and years in one query, body × year
    assert counted() == 0  # cached
    _, march = executive_board_meetings(staff)
    assert "Executive Board (1)" not in _list(client)
    note_published(march, staff=staff, chief_executive=chief_executive)
    assert "Executive Board (1)" in _list(client)
    march.body.name = "Police and Crime Panel"
    march.body.save()
    page = _list(client)
    assert "Police and Crime Panel (1)" in page and "Executive Board (1)" not in page

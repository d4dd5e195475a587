"""The meeting list is paginated: 25 meetings a page, the next page shows the next ones, a page
out of range shows the last, and the queries do not grow with the number of meetings."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.views.note import MEETINGS_PER_PAGE
from tests.factories import LONDON, BodyFactory, MeetingFactory

pytestmark = pytest.mark.django_db
URL = reverse("meetings:meeting-list")


def _past_meetings(count: int, body=None):
    body = body or BodyFactory()
    first = dt.datetime(2010, 1, 4, 10, 0, tzinfo=LONDON)
    return [
        MeetingFactory(body=body, title=f"Meeting {n:03d}", start=first + dt.timedelta(weeks=n))
        for n in range(count)
    ]


def _titles(response) -> list[str]:
    return [m.title for m in response.context["past"]]


def test_the_second_page_shows_the_next_meetings(staff_client):
    meetings = _past_meetings(MEETINGS_PER_PAGE + 5)
    latest_first = [m.title for m in reversed(meetings)]
    first = staff_client.get(URL)
    assert _titles(first) == latest_first[:MEETINGS_PER_PAGE]
    assert b"Page 1 of 2" in first.content
    assert b'href="?upcoming=1&amp;page=2">Next</a>' in first.content
    second = staff_client.get(URL, {"page": 2})
    assert _titles(second) == latest_first[MEETINGS_PER_PAGE:]
    assert "Meeting 000" in second.content.decode()
    assert "Meeting 000" not in first.content.decode()


@pytest.mark.parametrize("page", ["99", "0", "not-a-number"])
def test_a_page_out_of_range_shows_a_page_not_an_error(staff_client, page):
    _past_meetings(MEETINGS_PER_PAGE + 1)
    response = staff_client.get(URL, {"page": page})
    assert response.status_code == 200
    assert len(_titles(response)) in (1, MEETINGS_PER_PAGE)


def test_the_list_costs_the_same_queries_for_30_and_300_meetings(staff_client):
    body = BodyFactory()
    _past_meetings(30, body)
    staff_client.get(URL)
    with CaptureQueriesContext(connection) as small:
        staff_client.get(URL, {"page": 2})
    MeetingFactory.reset_sequence(1000)
    for _ in range(270):
        MeetingFactory(body=body)
    staff_client.get(URL)  # as before the first: the navigation's counts of My work, cached
    with CaptureQueriesContext(connection) as large:
        response = staff_client.get(URL, {"page": 2})
    assert len(_titles(response)) == MEETINGS_PER_PAGE
    assert len(small) == len(large) <= 6


def test_the_list_links_each_meeting_and_never_reads_the_notes_search_text(staff_client):
    meetings = _past_meetings(3)
    with CaptureQueriesContext(connection) as queries:
        html = staff_client.get(URL).content.decode()
    for meeting in meetings:
        assert f'<a href="{meeting.get_absolute_url()}">{meeting.title}</a>' in html
    listed = [q["sql"] for q in queries if "meetings_meeting" in q["sql"]]
    assert listed and all("search_text" not in sql for sql in listed)


def test_each_request_reads_the_meetings_afresh(staff_client):
    """The list's query is built once per process and copied by each request: never a list
    kept from an earlier request."""
    _past_meetings(2)
    assert len(_titles(staff_client.get(URL))) == 2
    later = MeetingFactory(title="Added since", start=dt.datetime(2012, 1, 2, 10, tzinfo=LONDON))
    titles = _titles(staff_client.get(URL))
    assert titles[0] == "Added since" and len(titles) == 3
    later.title = "Renamed since"
    later.save()
    assert _titles(staff_client.get(URL))[0] == "Renamed since"

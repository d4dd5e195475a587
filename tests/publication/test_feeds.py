"""The public feeds: Atom and the iCalendar calendar."""

import pytest
from django.urls import reverse

from publication import feeds
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def test_the_atom_feed_lists_published_notes(client, published, draft):
    response = client.get(reverse("public:note-feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "Strategic Scrutiny Meeting, 23 December 2013" in body
    assert "Draft scrutiny" not in body


def test_the_calendar_lists_scheduled_meetings(client):
    import datetime as dt

    from tests.factories import LONDON

    MeetingFactory(
        title="Strategic Scrutiny Meeting, with a comma",
        start=dt.datetime(2099, 3, 2, 10, 0, tzinfo=LONDON),
        venue="Cabinet Room B, County Hall, Preston",
    )
    response = client.get(reverse("public:meetings-calendar"))
    body = response.content.decode()
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "DTSTART:20990302T100000Z" in body
    assert "SUMMARY:Strategic Scrutiny Meeting\\, with a comma" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_long_calendar_lines_are_folded():
    folded = feeds._ics_fold("LOCATION:" + "é" * 100)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "LOCATION:" + "é" * 100

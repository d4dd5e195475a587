"""The public feeds: Atom and the iCalendar calendar."""

import datetime as dt

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publication import feeds
from tests.factories import LONDON, MeetingFactory

pytestmark = pytest.mark.django_db


def test_the_atom_feed_lists_published_notes(client, published, draft):
    response = client.get(reverse("public:note-feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "Strategic Scrutiny Meeting, 23 December 2013" in body
    assert "Draft scrutiny" not in body


def test_the_calendar_lists_scheduled_meetings(client):
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


def _events(client) -> list:
    response = client.get(reverse("public:meetings-calendar"))
    return icalendar.Calendar.from_ical(response.content).walk("VEVENT")


def test_the_calendar_shows_a_past_meeting_only_once_its_note_is_published(
    client, published, draft, monkeypatch
):
    # A month after the reference meeting of 23 December 2013, which is published.
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2014, 1, 23, 12, 0, tzinfo=dt.UTC))
    draft.venue = "Secret venue of a draft"
    draft.start = dt.datetime(2014, 1, 10, 10, 0, tzinfo=LONDON)
    draft.save()
    body = client.get(reverse("public:meetings-calendar")).content.decode()
    assert "Draft scrutiny" not in body
    assert "Secret venue" not in body
    events = _events(client)
    assert [str(event["SUMMARY"]) for event in events] == ["Strategic Scrutiny Meeting"]
    assert str(events[0]["URL"]).endswith(reverse("public:note-detail", args=[published.pk]))


def test_meetings_to_come_show_their_date_time_and_place(client):
    MeetingFactory(
        title="Strategic Scrutiny Meeting",
        start=timezone.now() + dt.timedelta(days=30),
        venue="Cabinet Room B, County Hall, Preston",
    )
    (event,) = _events(client)
    assert str(event["LOCATION"]) == "Cabinet Room B, County Hall, Preston"
    assert "URL" not in event


def test_meetings_to_come_can_be_left_out(client, settings):
    settings.PUBLIC_CALENDAR_SHOWS_SCHEDULED = False
    MeetingFactory(start=timezone.now() + dt.timedelta(days=30))
    assert _events(client) == []


def test_a_bare_carriage_return_never_reaches_the_calendar_raw(client):
    MeetingFactory(
        title="Injected\rBEGIN:VEVENT\rSUMMARY:Fake",
        start=timezone.now() + dt.timedelta(days=3),
        venue="Room\r\nX-INJECTED:1\rmore",
    )
    body = client.get(reverse("public:meetings-calendar")).content
    assert b"\r" not in body.replace(b"\r\n", b"")
    assert body.split(b"\r\n").count(b"BEGIN:VEVENT") == 1
    assert b"\nX-INJECTED" not in body
    (event,) = _events(client)
    assert str(event["SUMMARY"]) == "Injected\nBEGIN:VEVENT\nSUMMARY:Fake"


CALENDAR_TEXT = st.one_of(
    st.text(max_size=400),
    st.text(alphabet=st.sampled_from("\r\n,;:\\\t é😀\u2028\x85\x00\x7f\"'Nn"), max_size=300),
    st.sampled_from(["\\N", "C:\\Notes", "\\n", "\\\\N", "a\\,b", "\\;"]),
    st.text(min_size=70, max_size=2000),
)


@settings(max_examples=300, deadline=None)
@given(text=CALENDAR_TEXT)
def test_calendar_text_round_trips_and_every_line_fits(text):
    """Any text, once made calendar text, is escaped and folded per RFC 5545: it parses back
    to itself and no line is longer than 75 octets."""
    cleaned = feeds.calendar_text(text)
    calendar = feeds.calendar_of(
        [
            feeds.CalendarEntry(
                uid="meeting-1@example.org",
                start=dt.datetime(2026, 3, 2, 10, 0, tzinfo=LONDON),
                end=None,
                summary=text,
                location=text,
                url=None,
            )
        ],
        name=text,
    )
    lines = calendar.split(b"\r\n")
    assert lines[-1] == b""
    assert all(len(line) <= 75 for line in lines)
    assert b"\r" not in calendar.replace(b"\r\n", b"")
    (event,) = icalendar.Calendar.from_ical(calendar).walk("VEVENT")
    assert str(event["SUMMARY"]) == cleaned
    assert str(event.get("LOCATION", "")) == cleaned


# What a form lets through: Django's text fields refuse the NUL character (and PostgreSQL could
# not store it).
# Lone surrogates cannot reach the portal: a form posts UTF-8, which cannot encode them.
TYPED = st.characters(exclude_characters="\x00", exclude_categories=("Cs",))


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    title=st.text(TYPED, min_size=1, max_size=200),
    venue=st.text(TYPED, max_size=300),
)
@pytest.mark.django_db
def test_whatever_staff_type_the_feed_parses(client, title, venue):
    from meetings.models import Meeting

    Meeting.objects.all().delete()
    MeetingFactory(title=title, venue=venue, start=timezone.now() + dt.timedelta(days=1))
    response = client.get(reverse("public:meetings-calendar"))
    assert all(len(line) <= 75 for line in response.content.split(b"\r\n"))
    (event,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["SUMMARY"]) == feeds.calendar_text(title)


def test_a_meeting_without_a_start_time_is_an_all_day_event(client):
    MeetingFactory(
        title="Executive Board",
        start=dt.datetime(2099, 3, 2, 0, 0, tzinfo=LONDON),
        has_start_time=False,
    )
    body = client.get(reverse("public:meetings-calendar")).content.decode()
    assert "DTSTART;VALUE=DATE:20990302" in body
    assert "DTEND;VALUE=DATE:20990303" in body
    assert "T000000" not in body


def test_the_atom_feed_is_built_once_per_change_of_the_published_notes(
    client, published, staff, chief_executive
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import executive_board_meetings, note_published

    first = client.get(reverse("public:note-feed")).content
    with CaptureQueriesContext(connection) as queries:
        again = client.get(reverse("public:note-feed"))
    assert (again.content, len(queries)) == (first, 0)
    assert again["Content-Type"].startswith("application/atom+xml")
    _, march = executive_board_meetings(staff)
    note_published(march, staff=staff, chief_executive=chief_executive)
    assert b"Executive Board, 11 March 2014" in client.get(reverse("public:note-feed")).content
    # The addresses in it are the request's own: another host gets its own feed.
    other = client.get(reverse("public:note-feed"), HTTP_HOST="localhost").content.decode()
    assert "http://localhost/notes/" in other and "testserver" not in other

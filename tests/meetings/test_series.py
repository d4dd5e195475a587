"""The next meeting of a series, started from the last one."""

import datetime as dt

import pytest
from django.urls import reverse

from meetings.services import exception_reports, series
from tests.factories import (
    LONDON,
    AgendaItemFactory,
    AttendanceFactory,
    ExceptionReportFactory,
    MeetingFactory,
)

pytestmark = pytest.mark.django_db


def _at(year, month, day):
    return dt.datetime(year, month, day, 14, tzinfo=LONDON)


def test_a_report_asked_to_return_is_proposed_at_the_next_meeting(
    staff, commissioner, staff_client
):
    september = MeetingFactory(start=_at(2013, 9, 23))
    AttendanceFactory(meeting=september, person__name="Clive Grunshaw")
    report = ExceptionReportFactory(
        meeting=september,
        category_slug="other-sexual-offences",
        category_name="Other sexual offences",
    )
    exception_reports.conclusion_record(
        user=commissioner,
        report=report,
        conclusion="not_assured",
        comments="Still red.",
        return_requested=True,
    )
    response = staff_client.post(
        reverse("meetings:meeting-next", args=[september.pk]),
        {"date": "2013-12-23", "start_time": "14:00", "venue": ""},
    )
    from meetings.models import Meeting

    december = Meeting.objects.get(start=_at(2013, 12, 23))
    assert response["Location"] == december.get_absolute_url()
    returning = december.exception_reports.get()
    assert returning.returns_from == report
    assert returning.category_name == "Other sexual offences"
    assert list(december.attendances.values_list("person__name", flat=True)) == ["Clive Grunshaw"]
    assert list(december.items.values_list("title", flat=True)) == list(series.STANDARD_ITEMS)
    assert december.venue == september.venue


def test_minute_numbers_continue_in_the_next_meeting(staff):
    previous = MeetingFactory(numbering="minutes", first_minute_number=41)
    for position in range(1, 4):
        AgendaItemFactory(meeting=previous, position=position)
    following = series.meeting_create_from_previous(
        user=staff, previous=previous, start=previous.start + dt.timedelta(days=90)
    )
    assert following.first_minute_number == 44


def test_the_next_meeting_takes_its_bodys_standard_items_and_links_the_previous_record(staff):
    from tests.factories import BodyFactory

    body = BodyFactory(
        name="Executive Board",
        standard_items="Apologies\nMinutes of the previous meeting\nAny other business",
    )
    previous = MeetingFactory(body=body, start=_at(2014, 1, 14))
    following = series.meeting_create_from_previous(
        user=staff, previous=previous, start=_at(2014, 3, 11), has_start_time=True
    )
    items = list(following.items.order_by("position"))
    assert [item.title for item in items] == [
        "Apologies",
        "Minutes of the previous meeting",
        "Any other business",
    ]
    assert [item.previous_meeting for item in items] == [None, previous, None]
    assert following.body == body


def test_minute_numbers_run_on_within_a_body_whatever_other_bodies_do(staff):
    import datetime as dt

    from meetings.services import note
    from tests.factories import BodyFactory

    board = BodyFactory(name="Executive Board", numbering="minutes")
    first = note.meeting_create(
        user=staff, body=board, start=_at(2014, 1, 14), first_minute_number=7
    )
    for position in range(1, 3):
        AgendaItemFactory(meeting=first, position=position)
    # A meeting of another body in between, with items of its own.
    other = MeetingFactory(start=_at(2014, 2, 1), numbering="minutes", first_minute_number=90)
    AgendaItemFactory(meeting=other)
    second = note.meeting_create(user=staff, body=board, start=_at(2014, 3, 11))
    assert second.first_minute_number == 9
    assert second.item_label(0) == "9."
    late = note.meeting_create(
        user=staff, body=board, start=first.start + dt.timedelta(days=1), has_start_time=True
    )
    assert late.first_minute_number == 9  # runs on from the meeting before it


def test_the_next_meeting_without_a_start_time(staff, staff_client):
    previous = MeetingFactory(start=_at(2013, 9, 23))
    response = staff_client.post(
        reverse("meetings:meeting-next", args=[previous.pk]),
        {"date": "2013-12-23", "start_time": "", "venue": ""},
    )
    from meetings.models import Meeting

    following = Meeting.objects.exclude(pk=previous.pk).get()
    assert response["Location"] == following.get_absolute_url()
    assert not following.has_start_time

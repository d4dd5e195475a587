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

"""The rules the database itself keeps, whatever path a change takes."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from meetings.models import AgendaItem, Attendance, Meeting
from tests.factories import (
    LONDON,
    AgendaItemFactory,
    AttendanceFactory,
    MeetingFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


def test_meeting_cannot_end_before_it_starts():
    start = dt.datetime(2013, 12, 23, 14, tzinfo=LONDON)
    meeting = Meeting(
        title="Strategic Scrutiny Meeting", start=start, end=start - dt.timedelta(hours=1)
    )
    with pytest.raises(ValidationError, match="must end after it starts"):
        meeting.full_clean()
    with pytest.raises(IntegrityError):
        meeting.save()


def test_meeting_needs_a_title_and_a_start():
    with pytest.raises(ValidationError) as error:
        Meeting(title="", start=None).full_clean()
    assert {"title", "start"} <= set(error.value.message_dict)


def test_minute_numbering_needs_the_first_number():
    meeting = MeetingFactory.build(numbering=Meeting.Numbering.MINUTES, first_minute_number=None)
    with pytest.raises(ValidationError, match="first item"):
        meeting.full_clean()


@pytest.mark.parametrize(
    ("numbering", "first", "labels"),
    [
        (Meeting.Numbering.LETTERS, None, ["a)", "b)", "c)"]),
        (Meeting.Numbering.NUMBERS, None, ["1.", "2.", "3."]),
        (Meeting.Numbering.MINUTES, 41, ["41.", "42.", "43."]),
    ],
)
def test_items_are_labelled_by_the_meetings_numbering(numbering, first, labels):
    meeting = Meeting(numbering=numbering, first_minute_number=first)
    assert [meeting.item_label(index) for index in range(3)] == labels


def test_letters_continue_past_z():
    meeting = Meeting(numbering=Meeting.Numbering.LETTERS)
    assert meeting.item_label(25) == "z)"
    assert meeting.item_label(26) == "aa)"
    assert meeting.item_label(27) == "ab)"


def test_a_person_is_listed_once_per_meeting():
    first = AttendanceFactory()
    duplicate = Attendance(meeting=first.meeting, person=first.person, kind="apologies")
    with pytest.raises(ValidationError, match="already listed"):
        duplicate.full_clean()
    with pytest.raises(IntegrityError):
        duplicate.save()


def test_the_same_person_can_attend_different_meetings():
    first = AttendanceFactory()
    AttendanceFactory(person=first.person)
    assert first.person.attendances.count() == 2


def test_a_meeting_has_at_most_one_chair():
    chair = AttendanceFactory(is_chair=True)
    second = AttendanceFactory.build(meeting=chair.meeting, person=PersonFactory(), is_chair=True)
    with pytest.raises(ValidationError, match="already chairs"):
        second.full_clean()


def test_someone_who_sent_apologies_cannot_chair_or_take_the_note():
    for flag in ("is_chair", "is_note_taker"):
        attendance = AttendanceFactory.build(
            meeting=MeetingFactory(), person=PersonFactory(), kind="apologies", **{flag: True}
        )
        with pytest.raises(ValidationError, match="apologies"):
            attendance.full_clean()


def test_nobody_attends_on_their_own_behalf():
    attendance = AttendanceFactory()
    attendance.on_behalf_of = attendance.person
    with pytest.raises(ValidationError, match="own behalf"):
        attendance.full_clean()


def test_an_item_needs_a_title():
    with pytest.raises(IntegrityError):
        AgendaItemFactory(title="")


def test_a_restricted_item_needs_its_exemption():
    item = AgendaItemFactory.build(meeting=MeetingFactory(), is_restricted=True, exemption="")
    with pytest.raises(ValidationError, match="exemption"):
        item.full_clean()
    item.exemption = "s.40 personal information"
    item.full_clean()


def test_items_come_in_position_order():
    meeting = MeetingFactory()
    second = AgendaItemFactory(meeting=meeting, position=2)
    first = AgendaItemFactory(meeting=meeting, position=1)
    assert list(AgendaItem.objects.filter(meeting=meeting)) == [first, second]

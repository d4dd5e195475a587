"""The action log: actions raised, corrected, followed from meeting to meeting until closed."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings.models import Action, Person
from meetings.services import action_log, series, sign_off
from tests.factories import (
    LONDON,
    ActionFactory,
    AgendaItemFactory,
    AttendanceFactory,
    MeetingFactory,
    PersonFactory,
    note_signed,
)

pytestmark = pytest.mark.django_db


def _at(year, month, day):
    return dt.datetime(year, month, day, 14, tzinfo=LONDON)


def test_an_action_needs_an_owner(staff, staff_client):
    meeting = MeetingFactory()
    response = staff_client.post(
        reverse("meetings:action-log", args=[meeting.pk]),
        {"description": "Report back on burglary."},
    )
    assert response.context["form"].errors["owners"] == ["Give the action at least one owner."]
    with pytest.raises(ValidationError):
        action_log.action_raise(user=staff, meeting=meeting, description="x", owners=[])
    assert not Action.objects.exists()


def test_owners_need_not_have_attended(staff, staff_client):
    meeting = MeetingFactory()
    absent = PersonFactory(name="Chief Superintendent Somebody")
    response = staff_client.post(
        reverse("meetings:action-log", args=[meeting.pk]),
        {
            "description": "Report back on burglary.",
            "owners": [absent.pk],
            "new_owner": "Head of Corporate Development",
            "due": "2014-03-01",
        },
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.number == 1
    assert set(action.owners.values_list("name", flat=True)) == {
        "Chief Superintendent Somebody",
        "Head of Corporate Development",
    }
    assert action.due == dt.date(2014, 3, 1)


def test_open_actions_follow_from_meeting_to_meeting_until_closed(
    staff, chief_executive, staff_client
):
    first = MeetingFactory(start=_at(2013, 9, 23))
    AttendanceFactory(meeting=first)
    AgendaItemFactory(meeting=first)
    owner = PersonFactory()
    action = action_log.action_raise(
        user=staff, meeting=first, description="Burglary plan", owners=[owner]
    )
    sign_off.note_submit(user=staff, meeting=first, warnings_confirmed=True)
    note_signed(user=chief_executive, meeting=first)
    second = series.meeting_create_from_previous(
        user=staff, previous=first, start=_at(2013, 12, 23)
    )
    page = staff_client.get(reverse("meetings:action-log", args=[second.pk])).content.decode()
    assert "Burglary plan" in page
    staff_client.post(
        reverse("meetings:action-update", args=[second.pk, action.pk]),
        {"text": "Strategy written.", "status": "in_progress"},
    )
    action.refresh_from_db()
    assert action.status == Action.Status.IN_PROGRESS
    staff_client.post(
        reverse("meetings:action-update", args=[second.pk, action.pk]),
        {"text": "Adopted.", "status": "closed"},
    )
    action.refresh_from_db()
    assert (action.status, action.closed_at, action.closed_on) == (
        Action.Status.CLOSED,
        second,
        dt.date(2013, 12, 23),
    )
    page = staff_client.get(reverse("meetings:action-log", args=[second.pk])).content.decode()
    assert "Burglary plan" in page and "Adopted." in page  # closed at this meeting: shown
    third = series.meeting_create_from_previous(user=staff, previous=second, start=_at(2014, 3, 24))
    page = staff_client.get(reverse("meetings:action-log", args=[third.pk])).content.decode()
    assert "Burglary plan" not in page
    # What was raised at the signed meeting stays as it was.
    action.description = "Rewritten"
    from meetings.models import NoteFrozen

    with pytest.raises(NoteFrozen):
        action.save()


def test_my_actions_lists_what_i_own(staff, staff_client):
    me = Person.objects.create(name="Bev Wood", user=staff)
    ActionFactory(description="Mine", owners=[me])
    ActionFactory(description="Someone else's")
    page = staff_client.get(reverse("meetings:my-actions")).content.decode()
    assert "Mine" in page and "Someone else" not in page


def test_actions_are_numbered_in_one_log(staff):
    meeting = MeetingFactory()
    owner = PersonFactory()
    numbers = [
        action_log.action_raise(
            user=staff, meeting=meeting, description=f"Action {n}", owners=[owner]
        ).number
        for n in range(3)
    ]
    assert numbers == [1, 2, 3]


def test_an_action_is_corrected_deleted_and_restored_while_its_meeting_is_a_draft(
    staff, staff_client
):
    meeting = MeetingFactory()
    owner, other = PersonFactory(name="Owner One"), PersonFactory(name="Owner Two")
    action = action_log.action_raise(
        user=staff, meeting=meeting, description="Report back", owners=[owner]
    )
    url = reverse("meetings:action-edit", args=[action.pk])
    stale = action.version
    response = staff_client.post(
        url,
        {"description": "Report back by March", "owners": [owner.pk, other.pk], "version": stale},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.description == "Report back by March"
    assert set(action.owners.values_list("name", flat=True)) == {"Owner One", "Owner Two"}
    conflict = staff_client.post(
        url, {"description": "Mine", "owners": [owner.pk], "version": stale}
    )
    assert "Someone else changed this action" in conflict.content.decode()
    assert ">\nMine</textarea>" in conflict.content.decode()  # what was typed is kept
    action_id, number = action.pk, action.number
    staff_client.post(reverse("meetings:action-delete", args=[action_id]))
    assert not Action.objects.exists()
    page = staff_client.get(reverse("meetings:action-log", args=[meeting.pk])).content.decode()
    assert "Recently deleted" in page and "Report back by March" in page
    staff_client.post(reverse("meetings:action-restore", args=[meeting.pk, action_id]))
    restored = Action.objects.get()
    assert restored.number == number
    assert set(restored.owners.values_list("name", flat=True)) == {"Owner One", "Owner Two"}

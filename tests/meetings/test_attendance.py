"""The attendance editor: pick a known person or add a new one, set kind, role, order, flags."""

import pytest
from django.urls import reverse

from meetings.models import Attendance, Person
from tests.factories import AttendanceFactory, MeetingFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _add(client, meeting, **data):
    return client.post(
        reverse("meetings:attendance-edit", args=[meeting.pk]),
        {"kind": "present", "role": "", **data},
    )


def test_staff_list_a_known_person_with_their_role(staff_client):
    meeting = MeetingFactory()
    person = PersonFactory(name="Steve Finnigan")
    response = _add(
        staff_client, meeting, person=person.pk, role="Chief Constable, Lancashire Constabulary"
    )
    assert response.status_code == 302
    attendance = meeting.attendances.get()
    assert (attendance.person, attendance.kind, attendance.role) == (
        person,
        "present",
        "Chief Constable, Lancashire Constabulary",
    )


def test_staff_add_a_new_person_by_name(staff_client):
    meeting = MeetingFactory()
    _add(
        staff_client,
        meeting,
        new_person_name="  Superintendent   Paul Wilson ",
        role="Superintendent, Lancashire Constabulary",
        kind="in_attendance",
    )
    person = Person.objects.get()
    assert person.name == "Superintendent Paul Wilson"
    assert person.usual_role == "Superintendent, Lancashire Constabulary"
    assert meeting.attendances.get().kind == "in_attendance"


def test_a_role_may_be_only_an_organisation(staff_client):
    meeting = MeetingFactory()
    _add(staff_client, meeting, new_person_name="Larry Weir", role="Lancashire Constabulary")
    assert meeting.attendances.get().role == "Lancashire Constabulary"


def test_a_person_listed_twice_is_refused_with_a_clear_message(staff_client):
    existing = AttendanceFactory(person__name="Ibby Master")
    response = _add(staff_client, existing.meeting, person=existing.person.pk, kind="apologies")
    assert response.status_code == 200
    assert response.context["form"].errors["person"] == [
        "Ibby Master is already listed at this meeting."
    ]
    assert existing.meeting.attendances.count() == 1


def test_choose_a_person_or_type_a_name(staff_client):
    meeting = MeetingFactory()
    neither = _add(staff_client, meeting)
    assert "person" in neither.context["form"].errors
    both = _add(staff_client, meeting, person=PersonFactory().pk, new_person_name="Someone")
    assert "new_person_name" in both.context["form"].errors
    assert not meeting.attendances.exists()


def test_errors_keep_what_was_typed(staff_client):
    meeting = MeetingFactory()
    response = _add(
        staff_client,
        meeting,
        new_person_name="Bruce Jassi",
        role="Assistant Police and Crime Commissioner",
        kind="apologies",
        is_chair="on",
    )
    page = response.content.decode()
    assert "Someone who sent apologies cannot chair the meeting." in page
    assert 'value="Bruce Jassi"' in page
    assert 'value="Assistant Police and Crime Commissioner"' in page
    assert not Person.objects.exists()  # nothing half-saved


def test_a_second_chair_is_refused(staff_client):
    chair = AttendanceFactory(is_chair=True, person__name="Clive Grunshaw")
    response = _add(staff_client, chair.meeting, new_person_name="Ibby Master", is_chair="on")
    assert response.context["form"].errors["is_chair"] == [
        "Clive Grunshaw already chairs this meeting."
    ]


def test_chair_note_taker_and_on_behalf_of_are_shown(staff_client):
    meeting = MeetingFactory()
    absent = PersonFactory(name="Steve Finnigan")
    _add(staff_client, meeting, person=absent.pk, kind="apologies", role="Chief Constable")
    _add(
        staff_client,
        meeting,
        new_person_name="Deputy Chief Constable Andy Rhodes",
        role="Deputy Chief Constable",
        on_behalf_of=absent.pk,
    )
    _add(staff_client, meeting, new_person_name="Clive Grunshaw", is_chair="on")
    _add(
        staff_client,
        meeting,
        new_person_name="Steve Southworth",
        kind="in_attendance",
        is_note_taker="on",
    )
    page = staff_client.get(meeting.get_absolute_url()).content.decode()
    assert "(on behalf of Steve Finnigan)" in page
    assert "(Chair)" in page
    assert "(Note taker)" in page


def test_new_entries_go_to_the_end_of_their_list_and_move_with_buttons(staff_client):
    meeting = MeetingFactory()
    for name in ("First", "Second", "Third"):
        _add(staff_client, meeting, new_person_name=name)
    names = lambda: list(  # noqa: E731
        meeting.attendances.order_by("position").values_list("person__name", flat=True)
    )
    assert names() == ["First", "Second", "Third"]
    third = meeting.attendances.get(person__name="Third")
    response = staff_client.post(reverse("meetings:attendance-move", args=[third.pk, "up"]))
    assert response.status_code == 302
    assert names() == ["First", "Third", "Second"]
    first = meeting.attendances.get(person__name="First")
    staff_client.post(reverse("meetings:attendance-move", args=[first.pk, "down"]))
    assert names() == ["Third", "First", "Second"]
    # Moving past either end changes nothing.
    staff_client.post(reverse("meetings:attendance-move", args=[third.pk, "up"]))
    assert names() == ["Third", "First", "Second"]


def test_moving_needs_a_post(staff_client):
    attendance = AttendanceFactory()
    url = reverse("meetings:attendance-move", args=[attendance.pk, "up"])
    assert staff_client.get(url).status_code == 405


def test_editing_an_entry_changes_kind_and_role(staff_client):
    attendance = AttendanceFactory(role="Old role")
    url = reverse("meetings:attendance-update", args=[attendance.pk])
    response = staff_client.post(
        url,
        {
            "person": attendance.person.pk,
            "kind": "apologies",
            "role": "New role",
            "version": attendance.version,
        },
    )
    assert response.status_code == 302
    attendance.refresh_from_db()
    assert (attendance.kind, attendance.role) == ("apologies", "New role")


def test_removing_asks_for_confirmation(staff_client):
    attendance = AttendanceFactory(person__name="Larry Weir")
    url = reverse("meetings:attendance-remove", args=[attendance.pk])
    page = staff_client.get(url)
    assert "Remove Larry Weir" in page.content.decode()
    assert Attendance.objects.exists()
    staff_client.post(url)
    assert not Attendance.objects.exists()
    assert Person.objects.filter(name="Larry Weir").exists()


def test_reviewers_cannot_change_attendance(commissioner_client):
    attendance = AttendanceFactory()
    for url in (
        reverse("meetings:attendance-edit", args=[attendance.meeting.pk]),
        reverse("meetings:attendance-update", args=[attendance.pk]),
        reverse("meetings:attendance-remove", args=[attendance.pk]),
    ):
        assert commissioner_client.post(url, {}).status_code == 403
    assert (
        commissioner_client.post(
            reverse("meetings:attendance-move", args=[attendance.pk, "up"])
        ).status_code
        == 403
    )

"""Bodies: the boards and meeting series, each with its own numbering, action log, standard
items, usual attendance and print style, managed by staff in the browser."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from meetings.models import AuditEvent, Body, Meeting
from meetings.selectors.note import meeting_note
from meetings.services import bodies, note, sign_off
from tests.factories import (
    LONDON,
    AgendaItemFactory,
    AttendanceFactory,
    BodyFactory,
    MeetingFactory,
    PersonFactory,
    note_signed,
)

pytestmark = pytest.mark.django_db

BOARD = {
    "name": "Executive Board",
    "description": "",
    "document_name": "Minutes",
    "numbering": "minutes",
    "first_action_number": "1",
    "standard_items": "Apologies\nMinutes of the previous meeting\nAction log",
    "attendee_order": "role_name",
    "show_initials": "on",
    "chair_heading": "In the Chair",
    "present_heading": "Members",
    "in_attendance_heading": "Officers",
    "note_taker_heading": "Minute taker",
    "apologies_heading": "Apologies",
    "usual_attendance": "",
}


def test_staff_create_a_body_in_the_browser_and_it_lists_its_style(staff_client, staff):
    response = staff_client.post(reverse("meetings:body-create"), BOARD)
    body = Body.objects.get()
    assert response["Location"] == body.get_absolute_url()
    style = body.print_style
    assert (style.document_name, style.role_first, style.show_initials) == ("Minutes", True, True)
    assert AuditEvent.objects.filter(verb="body.create", actor=staff).exists()
    page = staff_client.get(body.get_absolute_url()).content.decode()
    assert "In the Chair · Members · Officers · Minute taker · Apologies" in page
    listed = staff_client.get(reverse("meetings:body-list")).content.decode()
    assert "Executive Board" in listed and "Minutes" in listed


def test_a_body_name_used_twice_is_refused_whatever_its_case(staff_client, staff):
    BodyFactory(name="Executive Board")
    response = staff_client.post(
        reverse("meetings:body-create"), {**BOARD, "name": "  executive   BOARD "}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        "A body called “executive BOARD” already exists: choose another name."
    ]
    assert Body.objects.count() == 1
    assert 'value="Minutes"' in response.content.decode()  # what was typed is kept
    with pytest.raises(ValidationError):
        bodies.body_create(user=staff, name="EXECUTIVE BOARD")


def test_renaming_a_body_to_another_bodys_name_is_refused(staff_client):
    BodyFactory(name="Police Accountability Board")
    body = BodyFactory(name="Executive Board")
    response = staff_client.post(
        reverse("meetings:body-update", args=[body.pk]),
        {**BOARD, "name": "Police accountability board", "version": body.version},
    )
    assert "name" in response.context["form"].errors
    body.refresh_from_db()
    assert (body.name, body.version) == ("Executive Board", 1)


def test_a_usual_attendance_that_cannot_be_read_is_refused_line_by_line(staff_client):
    response = staff_client.post(
        reverse("meetings:body-create"),
        {**BOARD, "usual_attendance": "In the Chair\nPCC – Clive Grunshaw (CG)\n – \n" + "x" * 700},
    )
    errors = response.context["form"].errors["usual_attendance"]
    assert errors == [
        "Line 3: no name: write the person's name.",
        "Line 4: longer than 600 characters.",
    ]
    assert not Body.objects.exists()


def test_only_staff_and_administrators_manage_bodies(commissioner, staff, client):
    with pytest.raises(PermissionDenied):
        bodies.body_create(user=commissioner, name="Executive Board")
    body = bodies.body_create(user=staff, name="Executive Board")
    with pytest.raises(PermissionDenied):
        bodies.body_update(user=commissioner, body=body, name="Renamed")
    client.force_login(commissioner)
    assert client.get(reverse("meetings:body-detail", args=[body.pk])).status_code == 200
    assert client.get(reverse("meetings:body-update", args=[body.pk])).status_code == 403


def test_a_new_meeting_takes_its_bodys_numbering_and_usual_attendance(staff, staff_client):
    body = bodies.body_create(
        user=staff,
        name="Executive Board",
        numbering="numbers",
        attendee_order="role_name",
        chair_heading="In the Chair",
        usual_attendance="In the Chair\nPolice and Crime Commissioner Clive Grunshaw (CG)\n"
        "Apologies\nIbby Master",
    )
    form = staff_client.get(reverse("meetings:meeting-create") + f"?body={body.pk}")
    assert form.context["form"].initial["body"] == body.pk
    response = staff_client.post(
        reverse("meetings:meeting-create"),
        {"body": body.pk, "date": "2014-01-14", "start_time": "", "numbering": ""},
    )
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("meetings:attendance-edit", args=[meeting.pk])
    assert (meeting.title, meeting.numbering, meeting.has_start_time) == (
        "Executive Board",
        "numbers",
        False,
    )
    listed = [
        (a.person.name, a.person.initials, a.role, a.kind, a.is_chair)
        for a in meeting.attendances.order_by("kind", "position")
    ]
    assert listed == [
        ("Ibby Master", "", "", "apologies", False),
        ("Clive Grunshaw", "CG", "Police and Crime Commissioner", "present", True),
    ]


def test_a_new_meeting_can_name_a_new_body_in_one_step(staff_client):
    response = staff_client.post(
        reverse("meetings:meeting-create"),
        {"new_body_name": "Police Accountability Board", "date": "2021-06-01", "numbering": ""},
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.body.name == "Police Accountability Board"
    assert meeting.title == "Police Accountability Board"


def test_a_refused_meeting_creates_no_body(staff_client):
    response = staff_client.post(
        reverse("meetings:meeting-create"),
        {"new_body_name": "Executive Board", "date": "2014-01-14", "numbering": "minutes"},
    )
    assert "first_minute_number" in response.context["form"].errors  # nothing to run on from
    assert not Body.objects.exists() and not Meeting.objects.exists()


def test_a_meeting_keeps_its_own_numbering_when_its_body_changes(staff):
    body = BodyFactory(name="Executive Board", numbering="letters")
    meeting = note.meeting_create(
        user=staff, body=body, start=dt.datetime(2014, 1, 14, tzinfo=LONDON)
    )
    bodies.body_update(user=staff, body=body, numbering="numbers")
    meeting.refresh_from_db()
    assert meeting.numbering == "letters"
    later = note.meeting_create(
        user=staff, body=body, start=dt.datetime(2014, 3, 11, tzinfo=LONDON)
    )
    assert later.numbering == "numbers"


def test_a_signed_note_keeps_the_style_it_was_signed_in(staff, chief_executive):
    body = BodyFactory(name="Executive Board")
    meeting = MeetingFactory(body=body)
    AttendanceFactory(meeting=meeting, person__name="Clive Grunshaw", person__initials="CG")
    AgendaItemFactory(meeting=meeting)
    sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
    note_signed(user=chief_executive, meeting=meeting)
    bodies.body_update(
        user=staff, body=body, document_name="Minutes", show_initials=True, present_heading="All"
    )
    meeting.refresh_from_db()
    signed = meeting_note(meeting=meeting)
    assert signed.document_name == "Note"
    assert [heading for heading, people in signed.attendance_groups if people] == ["Present"]
    assert signed.attendance_groups[0][1][0].first == "Clive Grunshaw"
    draft = meeting_note(meeting=MeetingFactory(body=body))
    assert draft.document_name == "Minutes"


def test_a_meeting_with_actions_stays_in_its_body(staff):
    from meetings.services import action_log

    meeting = MeetingFactory(body=BodyFactory(name="Executive Board"))
    action_log.action_raise(
        user=staff, meeting=meeting, description="Report back", owners=[PersonFactory()]
    )
    with pytest.raises(ValidationError, match="stays in that body"):
        note.meeting_update(user=staff, meeting=meeting, body=BodyFactory(name="Other board"))
    meeting.refresh_from_db()
    assert meeting.body.name == "Executive Board"


def test_the_body_page_lists_its_meetings_and_only_its_open_actions(staff_client):
    from tests.factories import ActionFactory

    board, scrutiny = BodyFactory(name="Executive Board"), BodyFactory()
    january = MeetingFactory(body=board, start=dt.datetime(2014, 1, 14, tzinfo=LONDON))
    ActionFactory(raised_at=january, description="Board's own action")
    ActionFactory(raised_at=MeetingFactory(body=scrutiny), description="Scrutiny action")
    page = staff_client.get(board.get_absolute_url()).content.decode()
    assert "Executive Board, Tuesday, 14 January 2014" in page
    assert "Board&#x27;s own action" in page and "Scrutiny action" not in page


def test_an_edit_without_the_version_loaded_is_refused(staff_client):
    from meetings.forms import OUT_OF_DATE

    body = BodyFactory(name="Executive Board")
    response = staff_client.post(
        reverse("meetings:body-update", args=[body.pk]), {**BOARD, "name": "Overwritten?"}
    )
    assert OUT_OF_DATE in response.content.decode()
    body.refresh_from_db()
    assert body.name == "Executive Board"
    item = AgendaItemFactory()
    response = staff_client.post(
        reverse("meetings:item-previous-minutes", args=[item.pk]), {"outcome": "approved"}
    )
    assert OUT_OF_DATE in response.content.decode()
    item.refresh_from_db()
    assert item.previous_outcome == ""

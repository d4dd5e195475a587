"""The attendance editor: pick a known person or add a new one, set kind, role, order, flags."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings.models import Attendance, Person
from meetings.selectors.note import meeting_note
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


# Initials, usual roles and substitutes ---------------------------------------------------------


def test_initials_are_entered_with_the_person_and_kept_for_them(staff_client):
    meeting = MeetingFactory()
    _add(staff_client, meeting, new_person_name="Clive Grunshaw", initials=" C G ", role="PCC")
    person = Person.objects.get()
    assert person.initials == "CG"
    known = PersonFactory(name="Ibby Master")
    _add(staff_client, meeting, person=known.pk, initials="IM")
    known.refresh_from_db()
    assert known.initials == "IM"
    # Left empty (no script filled them in), a known person's initials are kept.
    kept = PersonFactory(name="Steve Finnigan", initials="SF")
    _add(staff_client, meeting, person=kept.pk, initials="")
    kept.refresh_from_db()
    assert kept.initials == "SF"


def test_a_known_person_fills_in_their_usual_role_when_the_role_is_left_empty(staff_client):
    meeting = MeetingFactory()
    person = PersonFactory(name="Steve Finnigan", usual_role="Chief Constable")
    _add(staff_client, meeting, person=person.pk, role="")
    assert meeting.attendances.get().role == "Chief Constable"
    other = PersonFactory(name="Paul Wilson", usual_role="Superintendent")
    _add(staff_client, meeting, person=other.pk, role="Acting Chief Superintendent")
    assert meeting.attendances.get(person=other).role == "Acting Chief Superintendent"


def test_the_form_carries_usual_roles_and_initials_for_the_live_fill(staff_client):
    PersonFactory(name="Steve Finnigan", usual_role="Chief Constable", initials="SF")
    page = staff_client.get(
        reverse("meetings:attendance-edit", args=[MeetingFactory().pk])
    ).content.decode()
    assert '<script id="known-people" type="application/json">' in page
    assert '"role": "Chief Constable", "initials": "SF"' in page
    assert "js/attendance.js" in page


def test_a_substitute_for_someone_not_yet_known_is_added_in_one_step(staff_client):
    meeting = MeetingFactory()
    response = _add(
        staff_client,
        meeting,
        new_person_name="Chief Superintendent Tim Jacques",
        role="Chief Superintendent",
        on_behalf_of_new_name="Steve Finnigan",
    )
    assert response.status_code == 302
    attendance = meeting.attendances.get()
    assert attendance.on_behalf_of.name == "Steve Finnigan"
    assert Person.objects.count() == 2
    page = staff_client.get(meeting.get_absolute_url()).content.decode()
    assert "Chief Superintendent (on behalf of Steve Finnigan)" in page


@pytest.mark.parametrize(
    "data",
    [
        {"new_person_name": "Steve Finnigan", "on_behalf_of_new_name": "steve  finnigan"},
        {"on_behalf_of_new_name": "Steve Finnigan"},
    ],
)
def test_on_behalf_of_the_same_person_is_refused_and_nobody_is_added(staff_client, data):
    meeting = MeetingFactory()
    if "new_person_name" not in data:
        data = {**data, "person": PersonFactory(name="Steve Finnigan").pk}
    people = Person.objects.count()
    response = _add(staff_client, meeting, **data)
    assert response.status_code == 200
    assert "on_behalf_of_new_name" in response.context["form"].errors
    assert Person.objects.count() == people and not meeting.attendances.exists()


def test_a_refused_entry_adds_neither_new_person(staff, staff_client):
    from meetings.services import note

    chair = AttendanceFactory(is_chair=True)
    with pytest.raises(ValidationError):
        note.attendance_add(
            user=staff,
            meeting=chair.meeting,
            person=note.NewPerson(name="New Chair"),
            is_chair=True,
            on_behalf_of=note.NewPerson(name="Someone Absent"),
        )
    assert not Person.objects.filter(name__in=["New Chair", "Someone Absent"]).exists()


def test_an_attendee_without_a_role_prints_no_dangling_dash(staff_client):
    meeting = MeetingFactory()
    AttendanceFactory(meeting=meeting, person__name="Larry Weir", role="")
    page = staff_client.get(meeting.get_absolute_url()).content.decode()
    assert "<dt>Larry Weir</dt>\n      \n" in page  # a term with no definition after it
    assert "<dd></dd>" not in page


def test_the_editor_uses_the_bodys_headings(staff_client):
    from tests.factories import BodyFactory

    body = BodyFactory(
        name="Executive Board", present_heading="Members", in_attendance_heading="Officers"
    )
    meeting = MeetingFactory(body=body)
    page = staff_client.get(reverse("meetings:attendance-edit", args=[meeting.pk]))
    assert [label for _, label in page.context["form"].fields["kind"].choices] == [
        "Members",
        "Officers",
        "Apologies",
    ]
    content = page.content.decode()
    assert '<h2 id="group-1" class="h4">Members</h2>' in content
    response = _add(staff_client, meeting, new_person_name="Bev Wood", kind="in_attendance")
    assert response.status_code == 302
    messages = [str(m) for m in staff_client.get(response["Location"]).context["messages"]]
    assert messages == ["Bev Wood listed as officers."]


# A pasted list -------------------------------------------------------------------------------

ROLE_FIRST_LIST = """In the Chair
Police and Crime Commissioner – Clive Grunshaw (CG)
Officers
Chief Executive – Ms Miranda Carruthers-Watt (MCW)
Chief Superintendent Tim Jacques (TJ) (on behalf of Steve Finnigan)
Minute taker
Administrative Assistant\tSteve Southworth (SS)
Apologies
Steve Finnigan
"""


def _role_first_meeting():
    from tests.factories import BodyFactory

    return MeetingFactory(
        body=BodyFactory(
            name="Executive Board",
            attendee_order="role_name",
            show_initials=True,
            chair_heading="In the Chair",
            in_attendance_heading="Officers",
            note_taker_heading="Minute taker",
        )
    )


def test_a_pasted_list_is_previewed_then_added_in_the_bodys_style(staff_client):
    meeting = _role_first_meeting()
    known = PersonFactory(name="Ms Miranda Carruthers-Watt", usual_role="Chief Executive")
    url = reverse("meetings:attendance-paste", args=[meeting.pk])
    preview = staff_client.post(url, {"text": ROLE_FIRST_LIST, "kind": "present", "preview": ""})
    rows = preview.context["preview"].rows
    assert [(r.listed.name, r.listed.initials, r.role, r.person is not None) for r in rows] == [
        ("Clive Grunshaw", "CG", "Police and Crime Commissioner", False),
        ("Ms Miranda Carruthers-Watt", "MCW", "Chief Executive", True),
        ("Tim Jacques", "TJ", "Chief Superintendent", False),
        ("Steve Southworth", "SS", "Administrative Assistant", False),
        ("Steve Finnigan", "", "", False),
    ]
    assert not meeting.attendances.exists()  # a preview adds nobody
    assert "Add these 5 people" in preview.content.decode()
    added = staff_client.post(url, {"text": ROLE_FIRST_LIST, "kind": "present", "add": ""})
    assert added["Location"] == reverse("meetings:attendance-edit", args=[meeting.pk])
    chair = meeting.attendances.get(is_chair=True)
    assert (chair.person.name, chair.kind) == ("Clive Grunshaw", "present")
    taker = meeting.attendances.get(is_note_taker=True)
    assert (taker.person.name, taker.kind) == ("Steve Southworth", "in_attendance")
    substitute = meeting.attendances.get(person__name="Tim Jacques")
    assert substitute.on_behalf_of == meeting.attendances.get(kind="apologies").person
    assert meeting.attendances.get(person=known).person.initials == "MCW"
    assert Person.objects.filter(name="Steve Finnigan").count() == 1  # one new person
    note = meeting_note(meeting=meeting)
    printed = [(h, [(a.first, a.second) for a in people]) for h, people in note.attendance_groups]
    assert printed == [
        ("In the Chair", [("Police and Crime Commissioner", "Clive Grunshaw (CG)")]),
        ("Present", []),
        (
            "Officers",
            [
                ("Chief Executive", "Ms Miranda Carruthers-Watt (MCW)"),
                ("Chief Superintendent (on behalf of Steve Finnigan)", "Tim Jacques (TJ)"),
            ],
        ),
        ("Minute taker", [("Administrative Assistant", "Steve Southworth (SS)")]),
        ("Apologies", [("Steve Finnigan", "")]),
    ]


def test_a_pasted_list_with_a_bad_line_adds_nobody_and_says_which_line(staff_client):
    meeting = MeetingFactory()
    AttendanceFactory(meeting=meeting, person__name="Bev Wood")
    text = "Clive Grunshaw – Police and Crime Commissioner\n – Chief Constable\nBev Wood – Officer"
    url = reverse("meetings:attendance-paste", args=[meeting.pk])
    response = staff_client.post(url, {"text": text, "kind": "present", "add": ""})
    assert response.status_code == 200
    assert response.context["preview"].messages() == [
        "Line 2: no name: write the person's name.",
        "Line 3: Bev Wood is already listed at this meeting.",
    ]
    page = response.content.decode()
    assert "Nothing was added" in page and "Add these" not in page
    assert meeting.attendances.count() == 1
    assert not Person.objects.filter(name="Clive Grunshaw").exists()


def test_the_paste_service_is_all_or_nothing(staff):
    from meetings.services import note

    meeting = MeetingFactory()
    with pytest.raises(ValidationError) as refused:
        note.attendance_list_add(
            user=staff, meeting=meeting, text="A Person (Chair)\nAnother Person (Chair)"
        )
    assert refused.value.messages == ["Line 2: only one person chairs: line 1 already does."]
    assert not Person.objects.exists() and not meeting.attendances.exists()


def test_a_hostile_paste_is_refused_before_it_is_read(staff_client):
    import time

    meeting = MeetingFactory()
    url = reverse("meetings:attendance-paste", args=[meeting.pk])
    started = time.perf_counter()
    huge = staff_client.post(url, {"text": "A – B\n" * 50_000, "kind": "present", "add": ""})
    many = staff_client.post(url, {"text": "Someone\n" * 201, "kind": "present", "add": ""})
    spaces = staff_client.post(url, {"text": ("a" + " \t" * 290 + "b") * 1, "kind": "present"})
    assert time.perf_counter() - started < 5
    assert "text" in huge.context["form"].errors
    assert many.context["preview"].errors == ["The list is too long: paste at most 200 lines."]
    assert spaces.status_code == 200
    assert not meeting.attendances.exists()


def test_the_attendance_editor_links_each_person(staff_client):
    meeting = MeetingFactory()
    first = AttendanceFactory(meeting=meeting, position=1)
    second = AttendanceFactory(meeting=meeting, position=2)
    page = staff_client.get(reverse("meetings:attendance-edit", args=[meeting.pk])).content.decode()
    rows = {a: page.split(f'id="attendance-{a.pk}"')[1].split("</li>")[0] for a in (first, second)}
    for attendance, moves in ((first, ["down"]), (second, ["up"])):
        for name in ("meetings:attendance-update", "meetings:attendance-remove"):
            assert f'href="{reverse(name, args=[attendance.pk])}"' in rows[attendance]
        for direction in moves:
            move = reverse("meetings:attendance-move", args=[attendance.pk, direction])
            assert f'action="{move}"' in rows[attendance]
    assert "Move up" not in rows[first] and "Move down" not in rows[second]

"""The demo meeting is the reference note of 23 December 2013, name for name, item for item."""

import html
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from meetings import demo
from meetings.models import ActionPlan, Aim, Attendance, ExceptionReport, FrozenComparison, Meeting
from meetings.selectors.note import meeting_note

REFERENCE = Path(__file__).parent.parent / "fixtures" / "strategic-scrutiny-note-2013-12-23.txt"


def _reference_attendance(heading: str, next_heading: str) -> list[tuple[str, str]]:
    """(name, role) pairs under ``heading`` in the published text, wrapped lines rejoined."""
    text = REFERENCE.read_text()
    block = text.split(f"\n{heading}\n", 1)[1].split(f"\n{next_heading}", 1)[0]
    entries: list[list[str]] = []
    for line in block.strip().splitlines():
        if "\t-\t" in line:
            name, role = line.split("\t-\t")
            entries.append([name.strip(), role])
        elif line.strip():
            entries[-1][1] += " " + line
    return [(name, " ".join(role.split())) for name, role in entries]


def _reference_items() -> list[tuple[str, str]]:
    return re.findall(r"^- ([a-z]\)) (.+)$", REFERENCE.read_text(), flags=re.MULTILINE)


@pytest.fixture
def demo_meeting(db) -> Meeting:
    meeting, _ = demo.load_reference_meeting()
    demo.load_demo_users()
    return meeting


def _listed(meeting: Meeting, kind: str) -> list[tuple[str, str]]:
    return [
        (attendance.person.name, attendance.role)
        for attendance in meeting.attendances.filter(kind=kind).order_by("position")
    ]


def test_demo_lists_the_eight_present_as_the_note_does(demo_meeting):
    expected = _reference_attendance("PRESENT", "IN ATTENDANCE")
    assert len(expected) == 8
    assert _listed(demo_meeting, Attendance.Kind.PRESENT) == expected


def test_demo_lists_the_two_in_attendance_as_the_note_does(demo_meeting):
    expected = _reference_attendance("IN ATTENDANCE", "The following items")
    assert expected == [
        ("Bev Wood", "Policy and Performance Officer, Office of Police and Crime Commissioner"),
        ("Steve Southworth", "Administrative Assistant, Office of Police and Crime Commissioner"),
    ]
    assert _listed(demo_meeting, Attendance.Kind.IN_ATTENDANCE) == expected


def test_demo_has_items_a_to_f_in_order(demo_meeting):
    note = meeting_note(meeting=demo_meeting)
    assert [(entry.label, entry.item.title) for entry in note.items] == _reference_items()
    assert len(note.items) == 6


def test_demo_meeting_heading_matches_the_note(demo_meeting, staff_client):
    page = staff_client.get(reverse("meetings:meeting-detail", args=[demo_meeting.pk]))
    heading = re.search(r'<h1 id="note-title".*?</h1>', page.content.decode(), re.S).group(0)
    text = " ".join(re.sub(r"<[^>]+>", " ", heading).split()).upper()
    assert text == (
        "STRATEGIC SCRUTINY MEETING MONDAY, 23 DECEMBER 2013 COMMENCING AT 2.00 PM "
        "CABINET ROOM B, COUNTY HALL, PRESTON"
    )


def test_demo_narrative_carries_every_paragraph_of_the_note(demo_meeting, staff_client):
    text = REFERENCE.read_text()
    body = text[text.index("Generally, performance") : text.index("MIRANDA CARRUTHERS-WATT")]
    expected_words = " ".join(body.split())
    page = staff_client.get(reverse("meetings:meeting-detail", args=[demo_meeting.pk]))
    narrative = re.search(r'<div class="narrative">(.*?)</div>', page.content.decode(), re.S)
    words = html.unescape(" ".join(re.sub(r"<[^>]+>", " ", narrative.group(1)).split()))
    # The published list markers "1." "2." "3." become an ordered list's own numbers.
    assert words == re.sub(r" [123]\. ", " ", expected_words)
    assert narrative.group(1).count("<li>") == 6


def test_the_demo_command_is_idempotent(national, db):
    call_command("demo", stdout=io.StringIO())
    first = {
        model.__name__: model.objects.count()
        for model in (Meeting, Attendance, ExceptionReport, ActionPlan, Aim, FrozenComparison)
    }
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert "Already loaded" in out.getvalue()
    assert {
        model.__name__: model.objects.count()
        for model in (Meeting, Attendance, ExceptionReport, ActionPlan, Aim, FrozenComparison)
    } == first
    december = Meeting.objects.get(start__month=12)
    assert december.attendances.count() == 10
    assert december.items.count() == 6


def _reference_aims() -> list[list[str]]:
    """The numbered lists of aims in the published text, in order."""
    lists, current = [], []
    for line in REFERENCE.read_text().splitlines():
        match = re.match(r"^\d\. (.+)$", line.strip())
        if match:
            current.append(match.group(1))
        elif current and line.strip():
            lists.append(current)
            current = []
    return lists + ([current] if current else [])


def test_the_demo_meeting_carries_the_reference_exception_reports_plans_and_aims(national, db):
    call_command("demo", stdout=io.StringIO())
    december = Meeting.objects.get(start__month=12)
    accepted = december.exception_reports.filter(status="accepted")
    assert {report.category_name for report in accepted} >= {
        "Other sexual offences",
        "Non domestic serious violent crime",
        "Domestic burglary",
        "Vehicle crime",
        "Rural crime",
    }
    vanquish = ActionPlan.objects.get(report__meeting=december, name="Operation Vanquish")
    rural = ActionPlan.objects.get(report__meeting=december, name="Rural crime delivery plan")
    aims = [
        list(plan.aims.order_by("position").values_list("text", flat=True))
        for plan in (vanquish, rural)
    ]
    assert aims == _reference_aims()
    other_sexual = december.exception_reports.get(category_slug="other-sexual-offences")
    assert other_sexual.is_red
    assert other_sexual.returns_from.meeting.start.month == 9
    frozen = FrozenComparison.objects.get(meeting=december)
    assert (frozen.requested_period, frozen.period) == ("2013-10", "2013-09")


def test_demo_users_can_sign_in_with_the_printed_passwords(demo_meeting, client):
    for username, password in [
        ("staff", "staff-demo-password"),
        ("commissioner", "commissioner-demo-password"),
        ("chief-executive", "chief-executive-demo-password"),
        ("admin", "admin-demo-password"),
    ]:
        response = client.post(reverse("login"), {"username": username, "password": password})
        assert response.status_code == 302, username
        assert response.wsgi_request.user.get_username() == username
        client.post(reverse("logout"))


def test_staff_demo_user_sees_the_reference_meeting(demo_meeting, client):
    client.post(reverse("login"), {"username": "staff", "password": "staff-demo-password"})
    page = client.get(reverse("meetings:meeting-list"))
    assert "Strategic Scrutiny Meeting" in page.content.decode()


def test_the_demo_keeps_two_bodies_with_their_own_logs_numbers_and_red_history(national, db):
    from meetings.models import Action, Body
    from meetings.selectors.action_log import action_log_for
    from meetings.selectors.exception_reports import red_spells

    call_command("demo", stdout=io.StringIO())
    scrutiny = Body.objects.get(name="Strategic Scrutiny Meeting")
    board = Body.objects.get(name=demo.BOARD_NAME)
    assert "illustrative" in board.name.lower() and "not a record" in board.description
    assert list(scrutiny.actions.values_list("number", flat=True)) == [1]
    assert list(board.actions.order_by("number").values_list("number", flat=True)) == [1, 2, 3]
    december = Meeting.objects.get(body=scrutiny, start__month=12)
    march = board.meetings.order_by("start").last()
    assert {a.body for a in action_log_for(meeting=december)} == {scrutiny}
    assert {a.body for a in action_log_for(meeting=march)} == {board}
    assert not Action.objects.filter(body=board, raised_at__body=scrutiny).exists()
    report = december.exception_reports.get(category_slug="other-sexual-offences")
    earlier = red_spells([report])[report.pk].earlier_red
    assert [meeting.body_id for meeting in earlier] == [scrutiny.pk]
    # The reference meeting's own note gains nothing: no action was raised or followed up there.
    note = meeting_note(meeting=december)
    assert (note.actions, note.action_progress, note.document_name) == ([], [], "Note")


def test_the_illustrative_board_reads_as_its_style_asks(national, db):
    call_command("demo", stdout=io.StringIO())
    january, march = demo.load_illustrative_board()  # found again, not duplicated
    assert january.is_frozen and march.status == "draft"
    assert not january.has_start_time and not march.has_start_time
    note = meeting_note(meeting=march)
    assert note.document_name == "Minutes" and note.style.role_first
    assert [entry.label for entry in note.items][:2] == ["105.", "106."]
    groups = {heading: people for heading, people in note.attendance_groups}
    assert [line.first for line in groups["In the Chair"]] == ["Police and Crime Commissioner"]
    assert groups["Minute taker"][0].second == "Steve Southworth (SS)"
    minutes = march.items.get(previous_meeting=january)
    assert minutes.previous_outcome == "not_approved"
    (raised,) = note.actions
    assert (raised.number, raised.lead) == (3, "Steve Southworth (SS)")
    assert [(entry.number, entry.status) for entry in note.action_progress] == [(1, "closed")]
    january_note = meeting_note(meeting=january)
    assert january_note.actions[0].owners == ["Bev Wood (BW)", "Bruce Jassi (BJ)"]
    assert january_note.actions[0].lead == "Ms Miranda Carruthers-Watt (MCW)"


def test_the_demo_administrator_is_the_role_without_superuser(demo_meeting):
    from django.contrib.auth.models import User

    from meetings import roles
    from meetings.services.users import grantable_roles

    admin = User.objects.get(username="admin")
    assert admin.is_staff and not admin.is_superuser
    assert grantable_roles(admin) == {roles.STAFF, roles.REVIEWER}
    assert not User.objects.filter(is_superuser=True).exists()

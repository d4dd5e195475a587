"""The demo installation: the reference meeting of 23 December 2013 and a user for each role.

The meeting is entered exactly as the published note has it: the eight people present and the
two in attendance, with their roles, in order; items a) to f); the note of the discussion. It
belongs to the body "Strategic Scrutiny Meeting"; a second, illustrative body (an executive
board printing its minutes in another style) shows that each body keeps its own record.
Loading is idempotent: people, users and the meeting are found again, not duplicated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from . import roles
from .models import AgendaItem, Attendance, Body, Meeting, Person

REFERENCE_TITLE = "Strategic Scrutiny Meeting"
REFERENCE_START = dt.datetime(2013, 12, 23, 14, 0, tzinfo=ZoneInfo("Europe/London"))
REFERENCE_VENUE = "Cabinet Room B, County Hall, Preston"

OPCC = "Office of Police and Crime Commissioner"
FORCE = "Lancashire Constabulary"

PRESENT = [
    ("Clive Grunshaw", "Police and Crime Commissioner"),
    ("Ibby Master", "Deputy Police and Crime Commissioner"),
    ("Bruce Jassi", "Assistant Police and Crime Commissioner"),
    ("Mrs Amanda Webster", "Assistant Police and Crime Commissioner"),
    ("Ms Miranda Carruthers-Watt", f"Chief Executive, {OPCC}"),
    ("Steve Finnigan", f"Chief Constable, {FORCE}"),
    ("Paul Wilson", f"Superintendent, {FORCE}"),
    ("Larry Weir", f"Corporate Development, {FORCE}"),
]
IN_ATTENDANCE = [
    ("Bev Wood", f"Policy and Performance Officer, {OPCC}"),
    ("Steve Southworth", f"Administrative Assistant, {OPCC}"),
]
ITEMS = [
    "Constabulary Performance",
    "Frontline Policing",
    "Protecting Vulnerable People",
    "Tackling Crime and Re-offending",
    "Strategic Policing Requirement",
    "Resources and Value for Money",
]
# The published note gives one account of the discussion after listing the items; it is
# recorded under the first item, Constabulary Performance, which it is about.
NARRATIVE = (Path(__file__).parent / "demo_data" / "narrative-2013-12-23.md").read_text()


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: str
    person: str | None
    description: str
    signs_as: str = ""
    signing_title: str = ""


DEMO_USERS = [
    DemoUser(
        "staff", "staff-demo-password", roles.STAFF, "Bev Wood", "OPCC staff: records meetings"
    ),
    DemoUser(
        "commissioner",
        "commissioner-demo-password",
        roles.REVIEWER,
        "Clive Grunshaw",
        "Commissioner: reviews exception reports",
    ),
    DemoUser(
        "chief-executive",
        "chief-executive-demo-password",
        roles.SIGNATORY,
        "Ms Miranda Carruthers-Watt",
        "Chief Executive: signs notes",
        signs_as="Miranda Carruthers-Watt",
        signing_title="Chief Executive",
    ),
    DemoUser(
        "admin",
        "admin-demo-password",
        roles.ADMINISTRATOR,
        None,
        "Administrator: users (Staff and Reviewer roles), reference data",
    ),
]


def _person(name: str, usual_role: str = "") -> Person:
    person = Person.objects.filter(name=name).order_by("id").first()
    if person is None:
        person = Person.objects.create(name=name, usual_role=usual_role)
    return person


def reference_body() -> Body:
    """The body of the reference series, printing its note as the reference note does."""
    body = Body.objects.filter(name__iexact=REFERENCE_TITLE).first()
    return body or Body.objects.create(name=REFERENCE_TITLE, document_name="Note")


@transaction.atomic
def load_reference_meeting() -> tuple[Meeting, bool]:
    """The meeting of 23 December 2013, created unless it is already there."""
    people = {name: _person(name, role) for name, role in PRESENT + IN_ATTENDANCE}
    meeting = Meeting.objects.filter(title=REFERENCE_TITLE, start=REFERENCE_START).first()
    if meeting is not None:
        return meeting, False
    meeting = Meeting.objects.create(
        body=reference_body(),
        title=REFERENCE_TITLE,
        start=REFERENCE_START,
        venue=REFERENCE_VENUE,
        numbering=Meeting.Numbering.LETTERS,
    )
    for kind, listed in (
        (Attendance.Kind.PRESENT, PRESENT),
        (Attendance.Kind.IN_ATTENDANCE, IN_ATTENDANCE),
    ):
        Attendance.objects.bulk_create(
            Attendance(
                meeting=meeting, person=people[name], kind=kind, role=role, position=position
            )
            for position, (name, role) in enumerate(listed, start=1)
        )
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            title=title,
            position=position,
            narrative=NARRATIVE if position == 1 else "",
        )
        for position, title in enumerate(ITEMS, start=1)
    )
    return meeting, True


@transaction.atomic
def load_demo_users() -> list[DemoUser]:
    """A user for each role, with a known password, linked to their person where they have one."""
    User = get_user_model()
    for demo in DEMO_USERS:
        user, _ = User.objects.get_or_create(username=demo.username)
        user.set_password(demo.password)
        # The Administrator reaches the admin site but is no superuser: the demo shows the
        # separation of duties (only a superuser grants Signatory and Administrator).
        user.is_staff = demo.role == roles.ADMINISTRATOR
        user.is_superuser = False
        user.save()
        user.groups.set([Group.objects.get(name=demo.role)])
        if demo.person:
            person = _person(demo.person)
            Person.objects.filter(user=user).exclude(pk=person.pk).update(user=None)
            person.user = user
            person.signs_as, person.signing_title = demo.signs_as, demo.signing_title
            person.save(update_fields=["user", "signs_as", "signing_title"])
    return DEMO_USERS


# The scrutiny of performance at the reference meeting ---------------------------------------

SEPTEMBER_START = dt.datetime(2013, 9, 23, 14, 0, tzinfo=ZoneInfo("Europe/London"))
SEPTEMBER_NOTE = (
    "This is an illustrative meeting made for the demo: the note of 23 December 2013 refers to "
    "the scrutiny meeting in September, whose note is not part of the demo data. Its "
    "attendance and this text are not a record of that meeting; its performance figures are "
    "the real Home Office figures for the 12 months ending June 2013."
)

# Exception reports of the note of 23 December 2013: the Commissioner's concern in the note's
# own words, and the action plans with their aims as the note lists them.
REFERENCE_REPORTS = [
    {
        "slug": "other-sexual-offences",
        "name": "Other sexual offences",
        "concern": "The Police and Crime Commissioner noted at the scrutiny meeting in "
        "September that the force had a red marker for other sexual offences and was "
        "concerned that it was still the case for December.",
        "plans": [],
    },
    {
        "slug": "force-non-domestic-serious-violent-crime",
        "name": "Non domestic serious violent crime",
        "concern": "The Commissioner was also concerned about non domestic serious violent crime.",
        "plans": [
            {
                "name": "Operation Vanquish",
                "owner": FORCE,
                "aims": [
                    "To reduce vulnerability and risk taking behaviour through early proactive "
                    "intervention and ensure offenders are brought to justice.",
                    "Pursue offenders through effective targeting and intervention strategies, "
                    "together with assessing the most appropriate referral outcome.",
                    "Prevent communities becoming a victim of NDSVC.",
                ],
            }
        ],
    },
    {
        "slug": "domestic-burglary",
        "name": "Domestic burglary",
        "concern": "The Commissioner had also been concerned at the apparent increase in "
        "acquisitive crimes such as Domestic Burglary and vehicle crime.",
        "plans": [
            {
                "name": "Burglary strategy (Operation Julius)",
                "owner": FORCE,
                "summary": "In relation to Domestic Burglary the force was creating a burglary "
                "strategy from the outstanding best practice demonstrated over time and arising "
                "from Operation Julius during 2013/14 and will be focusing on securing "
                "prosecutions through a proactive investigation approach.",
                "aims": [],
            }
        ],
    },
    {
        "slug": "vehicle-crime",
        "name": "Vehicle crime",
        "concern": "The Commissioner had also been concerned at the apparent increase in "
        "acquisitive crimes such as Domestic Burglary and vehicle crime.",
        "plans": [],
    },
    {
        "slug": "force-rural-crime",
        "name": "Rural crime",
        "concern": "Communities had raised concern about Rural Crime.",
        "plans": [
            {
                "name": "Rural crime delivery plan",
                "owner": f"{FORCE} with the Commissioner",
                "aims": [
                    "Community Engagement",
                    "Target Hardening and Prevention",
                    "Wildlife Crime",
                ],
            }
        ],
    },
]


def _user(username: str):
    return get_user_model().objects.get(username=username)


def load_september_meeting() -> Meeting:
    """The earlier meeting of the series at which other sexual offences were already red."""
    from performance.periods import Period

    from .services import exception_reports, sign_off

    meeting = Meeting.objects.filter(title=REFERENCE_TITLE, start=SEPTEMBER_START).first()
    if meeting is not None:
        return meeting
    staff, commissioner = _user("staff"), _user("commissioner")
    meeting = Meeting.objects.create(
        body=reference_body(),
        title=REFERENCE_TITLE,
        start=SEPTEMBER_START,
        venue=REFERENCE_VENUE,
        numbering=Meeting.Numbering.LETTERS,
    )
    Attendance.objects.bulk_create(
        Attendance(
            meeting=meeting,
            person=_person(name),
            kind=Attendance.Kind.PRESENT,
            role=role,
            position=position,
        )
        for position, (name, role) in enumerate(PRESENT, start=1)
    )
    item = AgendaItem.objects.create(
        meeting=meeting, title=ITEMS[0], position=1, narrative=SEPTEMBER_NOTE
    )
    _september_action(meeting, item, staff)
    exception_reports.comparison_freeze(user=staff, meeting=meeting, period=Period.parse("2013-06"))
    report = meeting.exception_reports.get(category_slug="other-sexual-offences")
    exception_reports.exception_report_accept(user=staff, report=report)
    for other in meeting.exception_reports.exclude(pk=report.pk):
        exception_reports.exception_report_dismiss(
            user=staff, report=other, reason="Not discussed at this illustrative meeting."
        )
    exception_reports.conclusion_record(
        user=commissioner,
        report=report,
        conclusion="not_assured",
        comments="Illustrative demo conclusion: to return to the December meeting.",
        return_requested=True,
    )
    sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
    _sign(meeting)
    return meeting


def load_reference_scrutiny(meeting: Meeting, *, staff=None) -> bool:
    """The December meeting's comparison (12 months ending October 2013, so September with
    quarterly data), and its exception reports with their action plans and aims."""
    from performance.periods import Period

    from .services import exception_reports

    if meeting.is_frozen or hasattr(meeting, "comparison"):
        return False
    staff = staff or _user("staff")
    exception_reports.comparison_freeze(user=staff, meeting=meeting, period=Period.parse("2013-10"))
    item = meeting.items.order_by("position").first()
    for entry in REFERENCE_REPORTS:
        report = meeting.exception_reports.filter(category_slug=entry["slug"]).first()
        if report is None:
            report = exception_reports.exception_report_add(
                user=staff,
                meeting=meeting,
                category_slug=entry["slug"],
                category_name=entry["name"],
            )
        exception_reports.exception_report_update(
            user=staff,
            report=report,
            concern=entry["concern"],
            item=item,
        )
        for plan in entry["plans"]:
            exception_reports.action_plan_add(
                user=staff,
                report=report,
                name=plan["name"],
                owner=plan["owner"],
                summary=plan.get("summary", ""),
                aims=plan["aims"],
            )
    return True


def _september_action(meeting: Meeting, item: AgendaItem, staff) -> None:
    """An illustrative action of the reference series' own log, raised in September: action 1
    of that body, whatever other bodies number theirs."""
    from .services import action_log

    action_log.action_raise(
        user=staff,
        meeting=meeting,
        item=item,
        description="Illustrative demo action: report on the other sexual offences marker to "
        "the December meeting.",
        lead=_person("Steve Finnigan"),
        owners=[_person("Paul Wilson")],
    )


# A second body, printed in another style ------------------------------------------------------

BOARD_NAME = "Executive Board (illustrative)"
BOARD_DESCRIPTION = (
    "An illustrative body made for the demo: it is not a record of any real meeting. It "
    "shows a board that calls its record minutes, numbers them on from meeting to meeting, "
    "prints the role before the name with initials, lists the chair and the minute taker "
    "under headings of their own, and keeps an action log of its own."
)
BOARD_VENUE = "Office of the Police and Crime Commissioner, County Hall, Preston"
BOARD_USUAL_ATTENDANCE = f"""In the Chair
Police and Crime Commissioner – Clive Grunshaw (CG)
Members
Deputy Police and Crime Commissioner – Ibby Master (IM)
Officers
Chief Executive, {OPCC} – Ms Miranda Carruthers-Watt (MCW)
Policy and Performance Officer, {OPCC} – Bev Wood (BW)
Minute taker
Administrative Assistant, {OPCC} – Steve Southworth (SS)
"""
BOARD_JANUARY = dt.datetime(2014, 1, 14, 0, 0, tzinfo=ZoneInfo("Europe/London"))
BOARD_MARCH = dt.datetime(2014, 3, 11, 0, 0, tzinfo=ZoneInfo("Europe/London"))
BOARD_FIRST_MINUTE = 101
BOARD_NOTE = "Illustrative demo minute: not a record of a real meeting."


def board_body() -> Body:
    from .services.bodies import body_create

    body = Body.objects.filter(name__iexact=BOARD_NAME).first()
    if body is not None:
        return body
    return body_create(
        user=_user("staff"),
        name=BOARD_NAME,
        description=BOARD_DESCRIPTION,
        document_name="Minutes",
        numbering=Meeting.Numbering.MINUTES,
        standard_items="Apologies\nMinutes of the previous meeting\nAction log\nAny other business",
        usual_attendance=BOARD_USUAL_ATTENDANCE,
        attendee_order="role_name",
        show_initials=True,
        chair_heading="In the Chair",
        present_heading="Members",
        in_attendance_heading="Officers",
        note_taker_heading="Minute taker",
    )


def load_illustrative_board() -> tuple[Meeting, Meeting]:
    """Two meetings of the illustrative executive board, without start times: January (signed,
    minutes 101–104, raising actions 1 and 2 of the board's own log) and March (a draft whose
    minute numbers run on from January's, which does not approve January's minutes, records
    progress on action 1 and raises action 3)."""
    from .services import action_log, note, series, sign_off

    body = board_body()
    found = list(body.meetings.order_by("start"))
    if len(found) >= 2:
        return found[0], found[-1]
    staff = _user("staff")
    with transaction.atomic():
        january = note.meeting_create(
            user=staff,
            body=body,
            start=BOARD_JANUARY,
            has_start_time=False,
            venue=BOARD_VENUE,
            first_minute_number=BOARD_FIRST_MINUTE,
        )
        note.attendance_update(
            user=staff,
            attendance=january.attendances.get(person__name="Ibby Master"),
            kind=Attendance.Kind.APOLOGIES,
        )
        substitute = note.attendance_add(
            user=staff,
            meeting=january,
            person=note.NewPerson(name="Bruce Jassi", initials="BJ"),
            role="Assistant Police and Crime Commissioner",
            on_behalf_of=_person("Ibby Master"),
        )
        items = [
            note.agenda_item_add(user=staff, meeting=january, title=title, narrative=BOARD_NOTE)
            for title in ("Apologies", "Budget monitoring", "Commissioning", "Any other business")
        ]
        action_log.action_raise(
            user=staff,
            meeting=january,
            item=items[1],
            description="Illustrative demo action: circulate the budget monitoring timetable "
            "to members.",
            lead=_person("Ms Miranda Carruthers-Watt"),
            owners=[_person("Bev Wood"), substitute.person],
            due=dt.date(2014, 2, 28),
        )
        action_log.action_raise(
            user=staff,
            meeting=january,
            item=items[2],
            description="Illustrative demo action: bring the commissioning intentions back to "
            "the board.",
            lead=_person("Clive Grunshaw"),
            owners=[_person("Ms Miranda Carruthers-Watt")],
        )
    sign_off.note_submit(user=staff, meeting=january, warnings_confirmed=True)
    _sign(january)
    with transaction.atomic():
        march = series.meeting_create_from_previous(
            user=staff,
            previous=january,
            start=BOARD_MARCH,
            has_start_time=False,
            venue=BOARD_VENUE,
        )
        minutes_item = march.items.get(previous_meeting=january)
        series.agenda_item_previous_minutes_record(
            user=staff,
            item=minutes_item,
            previous_meeting=january,
            outcome="not_approved",
            note="Illustrative: the minute on commissioning to be redrafted and resubmitted.",
        )
        first = january.actions.order_by("number").first()
        action_log.action_update_record(
            user=staff,
            action=first,
            meeting=march,
            text="Illustrative: the timetable was circulated.",
            status="closed",
        )
        action_log.action_raise(
            user=staff,
            meeting=march,
            item=march.items.get(title="Action log"),
            description="Illustrative demo action: resubmit the January minutes.",
            lead=_person("Steve Southworth"),
        )
    return january, march


# The reference meeting taken through sign-off, as the 2013 note records it ------------------

NOT_DISCUSSED = "Not discussed at this meeting."
REFERENCE_CONCLUSION = (
    "The Commissioner was satisfied with the Constabulary's direction of travel and was "
    "confident that the Chief Constable provided a thorough briefing in relation to each area "
    "of concern. The Commissioner will continue to monitor performance in line with the agreed "
    "framework."
)


@transaction.atomic
def publish_reference_meeting(meeting: Meeting) -> bool:
    """Take the reference meeting through the real services as the demo users: reconcile it as
    the 2013 note did (the categories it discussed reported, the other red ones dismissed as
    not discussed, the Commissioner's conclusions recorded), submit, sign as the Chief
    Executive and publish. Returns False when it is already signed."""
    from .services import exception_reports, sign_off

    if meeting.is_frozen:
        return False
    staff, commissioner = _user("staff"), _user("commissioner")
    if meeting.status == Meeting.Status.SUBMITTED:
        sign_off.note_return(
            user=_user("chief-executive"), meeting=meeting, comment="Returned by the demo."
        )
    discussed = {entry["slug"] for entry in REFERENCE_REPORTS}
    for report in meeting.exception_reports.select_related("meeting"):
        if report.category_slug not in discussed:
            if report.status != report.Status.DISMISSED:
                exception_reports.exception_report_dismiss(
                    user=staff, report=report, reason=NOT_DISCUSSED
                )
            continue
        if report.status == report.Status.PROPOSED:
            exception_reports.exception_report_accept(user=staff, report=report)
        if not report.conclusion:
            exception_reports.conclusion_record(
                user=commissioner,
                report=report,
                conclusion=report.Conclusion.ASSURED,
                comments=REFERENCE_CONCLUSION,
            )
    sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
    _sign(meeting)
    sign_off.note_publish(user=staff, meeting=meeting)
    return True


def _sign(meeting: Meeting) -> None:
    """Sign as the demo Chief Executive, and make the PDF at once (the job's own work, which
    the job queued by the signing then finds done): the demo publishes in the same step."""
    from .services import sign_off

    sign_off.note_sign(
        user=_user("chief-executive"),
        meeting=meeting,
        read_sha256=sign_off.note_snapshot_keep(meeting=meeting),
    )
    sign_off.note_pdf_store(meeting_id=meeting.pk, progress=lambda percent, message: None)

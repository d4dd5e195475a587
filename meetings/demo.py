"""The demo installation: the reference meeting of 23 December 2013 and a user for each role.

The meeting is entered exactly as the published note has it: the eight people present and the
two in attendance, with their roles, in order; items a) to f); the note of the discussion.
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
from .models import AgendaItem, Attendance, Meeting, Person

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
    ),
    DemoUser(
        "admin",
        "admin-demo-password",
        roles.ADMINISTRATOR,
        None,
        "Administrator: users, roles, reference data",
    ),
]


def _person(name: str, usual_role: str = "") -> Person:
    person = Person.objects.filter(name=name).order_by("id").first()
    if person is None:
        person = Person.objects.create(name=name, usual_role=usual_role)
    return person


@transaction.atomic
def load_reference_meeting() -> tuple[Meeting, bool]:
    """The meeting of 23 December 2013, created unless it is already there."""
    people = {name: _person(name, role) for name, role in PRESENT + IN_ATTENDANCE}
    meeting = Meeting.objects.filter(title=REFERENCE_TITLE, start=REFERENCE_START).first()
    if meeting is not None:
        return meeting, False
    meeting = Meeting.objects.create(
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
        user.is_staff = demo.role == roles.ADMINISTRATOR
        user.is_superuser = demo.role == roles.ADMINISTRATOR
        user.save()
        user.groups.set([Group.objects.get(name=demo.role)])
        if demo.person:
            person = _person(demo.person)
            Person.objects.filter(user=user).exclude(pk=person.pk).update(user=None)
            person.user = user
            person.save(update_fields=["user"])
    return DEMO_USERS

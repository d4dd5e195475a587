"""Reading the action log: what a meeting sees of its body's log, what a person owns or leads,
and the people a typed name or initials stand for."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from ..models import Action, ActionOwner, ActionUpdate, Meeting, Person
from ..urls_once import url_for_each


def _with_people(actions: QuerySet[Action]) -> QuerySet[Action]:
    return actions.select_related(
        "raised_at", "item", "closed_at", "lead", "body"
    ).prefetch_related(
        Prefetch(
            "ownerships",
            queryset=ActionOwner.objects.select_related("person").order_by("position", "id"),
        )
    )


# What a row of the action log shows, and nothing more: the meetings' rows carry their
# search text (the whole note) and the items their narratives, which the log never shows.
_LOG_COLUMNS = (
    "body_id",
    "number",
    "description",
    "due",
    "status",
    "closed_on",
    "raised_at__start",
    "item__title",
    "closed_at__start",
    "lead__name",
)


def action_log_for(*, meeting: Meeting) -> QuerySet[Action]:
    """The action log as this meeting sees it: every action of its body raised up to this
    meeting that was still open at it, with those closed at this meeting. Only the columns
    the log shows are read (its rows are the page's largest cost)."""
    return (
        Action.objects.filter(body_id=meeting.body_id, raised_at__start__lte=meeting.start)
        .filter(
            Q(closed_at__isnull=True) | Q(closed_at=meeting) | Q(closed_at__start__gt=meeting.start)
        )
        .select_related("raised_at", "item", "closed_at", "lead")
        .only(*_LOG_COLUMNS)
        .prefetch_related(
            Prefetch(
                "ownerships",
                queryset=ActionOwner.objects.select_related("person")
                .only("action_id", "person__name")
                .order_by("position", "id"),
            ),
            # Ordered within each action only: the model's ordering would join the body.
            Prefetch(
                "updates",
                queryset=ActionUpdate.objects.select_related("meeting")
                .only("action_id", "text", "status", "meeting__start")
                .order_by("recorded_on", "id"),
            ),
        )
        .order_by("number")
    )


@dataclass(frozen=True)
class LogUpdate:
    on: str  # "3 Feb 2014": the date of the meeting it was recorded at
    text: str
    status: str  # "in progress"


@dataclass(frozen=True)
class LogRow:
    """One action as the log's table shows it, every cell already written out: the table is
    the page's largest cost, and each lookup and filter in a template costs per row."""

    number: int
    description: str
    updates: list[LogUpdate]
    lead: str
    owners: str
    raised: str  # "3 Feb 2014, Community Safety Partnerships"
    due: str
    status: str  # "Closed (2 Jan 2019)"
    update_url: str = ""
    edit_url: str = ""
    delete_url: str = ""


def log_rows(actions: Iterable[Action], *, meeting: Meeting, can_edit: bool) -> list[LogRow]:
    """The rows of the action log (`action_log_for`), dates written as the table writes them
    ("j M Y"), with the links to record progress (and, for what this meeting raised, to edit
    and delete) when the user can edit; each URL pattern is reversed once."""
    days: dict = {}

    def day(value) -> str:  # the same few dates recur down the log
        if value is None:
            return ""
        if value not in days:
            shown = timezone.localtime(value) if isinstance(value, dt.datetime) else value
            days[value] = date_format(shown, "j M Y")
        return days[value]

    if can_edit:
        update_url = url_for_each("meetings:action-update", meeting_pk=meeting.pk)
        edit_url = url_for_each("meetings:action-edit")
        delete_url = url_for_each("meetings:action-delete")
    rows = []
    for action in actions:
        raised = day(action.raised_at.start)
        status = action.get_status_display()
        links = {}
        if can_edit:
            links["update_url"] = update_url(action.pk)
            if action.raised_at_id == meeting.pk:
                links |= {"edit_url": edit_url(action.pk), "delete_url": delete_url(action.pk)}
        rows.append(
            LogRow(
                number=action.number,
                description=action.description,
                updates=[
                    LogUpdate(
                        day(update.meeting.start), update.text, update.get_status_display().lower()
                    )
                    for update in action.updates.all()
                ],
                lead=action.lead.name if action.lead else "",
                owners=", ".join(owner.person.name for owner in action.ownerships.all()),
                raised=f"{raised}, {action.item.title}" if action.item else raised,
                due=day(action.due),
                status=f"{status} ({day(action.closed_on)})" if action.closed_at_id else status,
                **links,
            )
        )
    return rows


def open_actions_of_body(*, body) -> QuerySet[Action]:
    return _with_people(Action.objects.open().filter(body=body)).order_by("number")


def actions_owned_by(*, user: AbstractBaseUser) -> QuerySet[Action]:
    """The actions the user's person owns or leads, whatever the body."""
    return (
        _with_people(Action.objects.filter(Q(owners__user=user) | Q(lead__user=user)))
        .order_by("status", "due", "body__name", "number")
        .distinct()
    )


def people_for_picker() -> SafeString:
    """Everyone who can lead or own an action, as the ``<datalist id="known-people">`` the
    action form's type-ahead reads: each name, with its initials and usual role as the
    option's text. Written out here, one query of tuples: through the template it was 2 ms
    of the action log for 70 people."""
    options = format_html_join(
        "",
        '<option value="{}">{}</option>',
        (
            (name, " – ".join(part for part in (initials, role) if part))
            for name, initials, role in Person.objects.order_by("name", "id").values_list(
                "name", "initials", "usual_role"
            )
        ),
    )
    return format_html('<datalist id="known-people">{}</datalist>', options)


# Names and initials typed for the lead and the owners ---------------------------------------

MAX_PEOPLE_TYPED = 20
MAX_TYPED_LENGTH = 200
_WITH_INITIALS = re.compile(r"^(?P<name>.+?)\s*\((?P<initials>[A-Za-z]{1,10})\)$")
_LOOKS_LIKE_INITIALS = re.compile(r"^[A-Z]{1,5}$")


@dataclass(frozen=True)
class TypedPerson:
    """What one typed name stands for: a known person, a new one to confirm, or an error."""

    typed: str
    person: Person | None = None
    new_name: str = ""
    error: str = ""


def people_matching(*, typed: list[str], meeting: Meeting) -> list[TypedPerson]:
    """Each typed line as a person: initials are looked up among the meeting's attendees first,
    then everyone; a name matches a known person's name whatever its case ("Name (XX)" tells
    two of the same name apart). Two queries whatever the number of lines."""
    lines = [" ".join(line.split()) for line in typed]
    lines = [line for line in lines if line]
    attendees = [attendance.person for attendance in meeting.attendances.select_related("person")]
    wanted_names, wanted_initials = set(), set()
    for line in lines:
        match = _WITH_INITIALS.match(line)
        name = match.group("name") if match else line
        wanted_names.add(name.lower())
        wanted_initials.add((match.group("initials") if match else line).upper())
    known = list(
        Person.objects.annotate(lowered=Lower("name"))
        .filter(Q(lowered__in=wanted_names) | Q(initials__in=wanted_initials))
        .order_by("id")
    )
    attendee_ids = {person.pk for person in attendees}
    return [_one(line, known, attendees, attendee_ids) for line in lines]


def _one(
    line: str, known: list[Person], attendees: list[Person], attendee_ids: set[int]
) -> TypedPerson:
    if len(line) > MAX_TYPED_LENGTH:
        return TypedPerson(line[:40], error=f"longer than {MAX_TYPED_LENGTH} characters.")
    match = _WITH_INITIALS.match(line)
    name = match.group("name") if match else line
    initials = match.group("initials").upper() if match else ""
    named = [person for person in known if person.name.lower() == name.lower()]
    if len(named) > 1:
        named = [p for p in named if initials and p.initials.upper() == initials] or [
            p for p in named if p.pk in attendee_ids
        ]
    if len(named) == 1:
        return TypedPerson(line, person=named[0])
    if len(named) > 1:
        return TypedPerson(
            line,
            error=f"more than one person is called {name}: add their initials, e.g. “{name} (XX)”.",
        )
    by_initials = [p for p in attendees if p.initials and p.initials.upper() == line.upper()]
    if not by_initials:
        by_initials = [p for p in known if p.initials and p.initials.upper() == line.upper()]
    if len(by_initials) == 1:
        return TypedPerson(line, person=by_initials[0])
    if len(by_initials) > 1:
        names = " or ".join(person.name for person in by_initials[:3])
        return TypedPerson(line, error=f"{line} could be {names}: write the name.")
    if _LOOKS_LIKE_INITIALS.match(line):
        return TypedPerson(
            line, error=f"no one known has the initials {line}: write their name instead."
        )
    return TypedPerson(line, new_name=name)

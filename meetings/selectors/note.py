"""Reading the note of a meeting: the list of meetings, and one meeting as its note reads, in
its body's style and with the actions raised and followed up at it; each a fixed number of
queries whatever the meeting's size."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from ..attendance_list import ListedAttendee, parse_attendance_list
from ..models import (
    Action,
    ActionOwner,
    ActionPlan,
    ActionUpdate,
    AgendaItem,
    Attendance,
    Decision,
    ExceptionReport,
    Meeting,
    Person,
    PrintStyle,
)


@dataclass(frozen=True)
class NumberedItem:
    label: str
    item: AgendaItem


@dataclass(frozen=True)
class PrintedAttendee:
    """One line of the attendance as the note prints it, in its body's style: ``first`` and
    ``second`` are the name and the role in the order the body prints them (either may be
    empty: no separator is printed then)."""

    attendance: Attendance
    name: str
    role: str
    role_first: bool

    @property
    def first(self) -> str:
        return self.role if self.role_first and self.role else self.name

    @property
    def second(self) -> str:
        if self.role_first and self.role:
            return self.name
        return self.role


@dataclass(frozen=True)
class NoteAction:
    """An action raised at the meeting, as its note prints it."""

    number: int
    description: str
    lead: str
    owners: list[str]
    due: dt.date | None
    item_label: str
    item_title: str
    is_restricted: bool


@dataclass(frozen=True)
class NoteActionProgress:
    """Progress on an action recorded at the meeting (its closure, when it was closed)."""

    number: int
    description: str
    raised_on: dt.date
    text: str
    status: str
    status_label: str
    is_restricted: bool

    @property
    def closed(self) -> bool:
        return self.status == Action.Status.CLOSED


@dataclass(frozen=True)
class MeetingNote:
    """A meeting as its note reads: attendance under its body's headings, items in order, the
    actions raised at it and the progress recorded at it."""

    meeting: Meeting
    present: list[Attendance]
    in_attendance: list[Attendance]
    apologies: list[Attendance]
    items: list[NumberedItem]
    style: PrintStyle = field(default_factory=PrintStyle)
    actions: list[NoteAction] = field(default_factory=list)
    action_progress: list[NoteActionProgress] = field(default_factory=list)

    @property
    def document_name(self) -> str:
        return self.style.document_name

    @property
    def attendance_groups(self) -> list[tuple[str, list[PrintedAttendee]]]:
        """The attendance under the body's headings, in the note's order: the chair and the
        note taker under headings of their own when the body has them."""
        style = self.style
        chair = [a for a in self.present + self.in_attendance if a.is_chair]
        takers = [a for a in self.present + self.in_attendance if a.is_note_taker]

        def others(attendances: list[Attendance]) -> list[Attendance]:
            return [
                a
                for a in attendances
                if not (style.chair_heading and a.is_chair)
                and not (style.note_taker_heading and a.is_note_taker)
            ]

        groups = []
        if style.chair_heading:
            groups.append((style.chair_heading, chair))
        groups.append((style.present_heading, others(self.present)))
        groups.append((style.in_attendance_heading, others(self.in_attendance)))
        if style.note_taker_heading:
            groups.append((style.note_taker_heading, [a for a in takers if a not in chair]))
        groups.append((style.apologies_heading, self.apologies))
        return [(heading, [self.printed(a) for a in people]) for heading, people in groups]

    @property
    def kind_groups(self) -> list[tuple[str, list[Attendance]]]:
        """The attendance by kind, under the body's names for them (the attendance editor)."""
        return [
            (self.style.kind_label(kind), attendances)
            for kind, attendances in (
                (Attendance.Kind.PRESENT, self.present),
                (Attendance.Kind.IN_ATTENDANCE, self.in_attendance),
                (Attendance.Kind.APOLOGIES, self.apologies),
            )
        ]

    def printed(self, attendance: Attendance) -> PrintedAttendee:
        style = self.style
        name = attendance.name
        if style.show_initials and attendance.initials:
            name = f"{name} ({attendance.initials})"
        notes = []
        if attendance.is_chair and not style.chair_heading:
            notes.append("(Chair)")
        if attendance.is_note_taker and not style.note_taker_heading:
            notes.append("(Note taker)")
        if attendance.on_behalf_of_id:
            notes.append(f"(on behalf of {attendance.on_behalf_of_name})")
        role = " ".join([attendance.role, *notes]).strip() if attendance.role else ""
        if not attendance.role and notes:
            name = " ".join([name, *notes])
        return PrintedAttendee(
            attendance=attendance, name=name, role=role, role_first=style.role_first
        )

    def public_actions(self) -> list[NoteAction]:
        return [action for action in self.actions if not action.is_restricted]

    def public_action_progress(self) -> list[NoteActionProgress]:
        return [entry for entry in self.action_progress if not entry.is_restricted]


def _count_of(model) -> Subquery:
    rows = (
        model.objects.filter(meeting=OuterRef("pk"))
        .order_by()
        .values("meeting")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(rows), 0)


# What the meeting list shows of each meeting (templates/meetings/note/_meeting_table.html).
LIST_COLUMNS = ("title", "start", "has_start_time", "venue", "status", "body__name")


@functools.cache
def _listed_meetings() -> QuerySet[Meeting]:
    """The meetings as the list shows them, built once per process and cloned by each
    request's filter (never evaluated itself): building the two counts' subqueries was 1.8 ms
    of the list's 15, filtering a copy is 0.15.

    Counted in subqueries: two counts over joins would multiply items by attendees. Only the
    columns the list shows are read: not the published notes' search text (some 17 KB each),
    nor the printed style, the PDF's details and the body's settings, whose JSON and dates
    cost more to convert than the rest of the row."""
    return (
        Meeting.objects.select_related("body")
        .only(*LIST_COLUMNS)
        .annotate(
            item_count=_count_of(AgendaItem),
            attendance_count=_count_of(Attendance),
        )
    )


def next_meeting_start(now: dt.datetime) -> dt.datetime | None:
    """When the first meeting still to come at ``now`` starts (None: none is scheduled): for
    the same meetings, what ``meeting_list`` puts in each list changes only when it does."""
    return (
        Meeting.objects.filter(start__gte=now)
        .order_by("start")
        .values_list("start", flat=True)
        .first()
    )


def meeting_list(*, upcoming: bool, now: dt.datetime | None = None) -> QuerySet[Meeting]:
    """Meetings still to come at ``now`` (soonest first) or already held (latest first)."""
    now = now or timezone.now()
    if upcoming:
        return _listed_meetings().filter(start__gte=now).order_by("start", "id")
    return _listed_meetings().filter(start__lt=now).order_by("-start", "-id")


def revised_meetings(meeting: Meeting) -> list[int]:
    """The ids of ``meeting`` and of the notes it revises: one meeting held, whose actions and
    progress its latest revision carries (one query a revision; none for a first note)."""
    ids, revises = [meeting.pk], meeting.revises_id
    while revises is not None and revises not in ids:
        ids.append(revises)
        revises = Meeting._base_manager.filter(pk=revises).values_list("revises_id", flat=True)[0]
    return ids


def meeting_note(
    *, meeting: Meeting, with_actions: bool = True, with_items: bool = True
) -> MeetingNote:
    """The meeting as its note reads; without its actions (``with_actions=False``) or its
    items (``with_items=False``: the attendance editor) when the page shows none."""
    attendances = list(
        meeting.attendances.select_related("person", "on_behalf_of").order_by("position", "id")
    )
    items = []
    if with_items:
        items = list(
            meeting.items.select_related("previous_meeting")
            .prefetch_related(
                Prefetch("decisions", queryset=Decision.objects.order_by("position", "id"))
            )
            .order_by("position", "id")
        )
    by_kind: dict[str, list[Attendance]] = {kind: [] for kind in Attendance.Kind.values}
    for attendance in attendances:
        by_kind[attendance.kind].append(attendance)
    numbered = [
        NumberedItem(label=meeting.item_label(index), item=item) for index, item in enumerate(items)
    ]
    style = meeting.style
    actions, progress = ([], [])
    if with_actions:
        actions, progress = _note_actions(meeting, numbered, style)
    return MeetingNote(
        meeting=meeting,
        present=by_kind[Attendance.Kind.PRESENT],
        in_attendance=by_kind[Attendance.Kind.IN_ATTENDANCE],
        apologies=by_kind[Attendance.Kind.APOLOGIES],
        items=numbered,
        style=style,
        actions=actions,
        action_progress=progress,
    )


# What the agenda editor shows of each item (templates/meetings/agenda/agenda_edit.html).
AGENDA_COLUMNS = (
    "meeting",
    "title",
    "position",
    "is_restricted",
    "previous_meeting",
    "previous_outcome",
)


def agenda_entries(*, meeting: Meeting) -> list[NumberedItem]:
    """The meeting's items in order with their labels, as the agenda editor lists them: the
    columns it shows and whether each has its note yet (``item.has_narrative``), not the
    notes themselves, their decisions or the meetings they follow up."""
    items = (
        meeting.items.only(*AGENDA_COLUMNS)
        .annotate(has_narrative=ExpressionWrapper(~Q(narrative=""), output_field=BooleanField()))
        .order_by("position", "id")
    )
    return [
        NumberedItem(label=meeting.item_label(index), item=item) for index, item in enumerate(items)
    ]


def _person_label(person: Person | None, style: PrintStyle) -> str:
    if person is None:
        return ""
    if style.show_initials and person.initials:
        return f"{person.name} ({person.initials})"
    return person.name


def _note_actions(
    meeting: Meeting, items: list[NumberedItem], style: PrintStyle
) -> tuple[list[NoteAction], list[NoteActionProgress]]:
    """The actions raised at the meeting, owners in the order given, and the progress recorded
    at it (in three queries, and one more a revision)."""
    held = revised_meetings(meeting)
    by_item = {entry.item.pk: entry for entry in items}
    by_position = {entry.item.position: entry for entry in items}
    raised = (
        Action.objects.filter(raised_at_id__in=held)
        .select_related("lead", "item")
        # Not the items' narratives, which the actions' list never shows.
        .only(
            "number",
            "description",
            "due",
            "lead__name",
            "lead__initials",
            "item__position",
            "item__title",
            "item__is_restricted",
        )
        .prefetch_related(
            Prefetch(
                "ownerships",
                queryset=ActionOwner.objects.select_related("person")
                .only("action_id", "person__name", "person__initials")
                .order_by("position", "id"),
            )
        )
        .order_by("number")
    )
    actions = []
    for action in raised:
        entry = by_item.get(action.item_id)
        if entry is None and action.item is not None:  # raised in the note this revises
            entry = by_position.get(action.item.position)
        actions.append(
            NoteAction(
                number=action.number,
                description=action.description,
                lead=_person_label(action.lead, style),
                owners=[_person_label(o.person, style) for o in action.ownerships.all()],
                due=action.due,
                item_label=entry.label if entry else "",
                item_title=action.item.title if action.item else "",
                is_restricted=bool(action.item and action.item.is_restricted),
            )
        )
    updates = (
        ActionUpdate.objects.filter(meeting_id__in=held)
        .select_related("action__item", "action__raised_at")
        # Not the raising meetings' search text (the whole of each note) nor the narratives.
        .only(
            "text",
            "status",
            "action__number",
            "action__description",
            "action__raised_at__start",
            "action__item__is_restricted",
        )
        .order_by("action__number", "recorded_on", "id")
    )
    progress = [
        NoteActionProgress(
            number=update.action.number,
            description=update.action.description,
            raised_on=update.action.raised_at.date,
            text=update.text,
            status=update.status,
            status_label=update.get_status_display(),
            is_restricted=bool(update.action.item and update.action.item.is_restricted),
        )
        for update in updates
    ]
    return actions, progress


def item_label(*, item: AgendaItem) -> str:
    """The label of one item, e.g. "c)", from its place among the meeting's items."""
    index = item.meeting.items.filter(position__lt=item.position).count()
    return item.meeting.item_label(index)


def known_people() -> dict[str, dict[str, str]]:
    """Each known person's usual role and initials by id, for the attendance form's script to
    fill in when someone is chosen (the server fills an empty role in without it)."""
    return {
        str(pk): {"role": role, "initials": initials}
        for pk, role, initials in Person.objects.values_list("pk", "usual_role", "initials")
        if role or initials
    }


# A pasted attendance list ---------------------------------------------------------------------


@dataclass(frozen=True)
class PreviewRow:
    """One person of a pasted list, with the known person it names (None: a new person)."""

    listed: ListedAttendee
    person: Person | None
    on_behalf_of: Person | None
    role: str
    listed_as: str  # the heading it goes under

    @property
    def errors(self) -> list[str]:
        return self.listed.errors


@dataclass(frozen=True)
class AttendancePreview:
    rows: list[PreviewRow]
    errors: list[str]

    @property
    def is_valid(self) -> bool:
        return not self.errors and not any(row.errors for row in self.rows)

    def messages(self) -> list[str]:
        return [*self.errors] + [
            f"Line {row.listed.line}: {error}" for row in self.rows for error in row.errors
        ]


def _match(people: dict[str, list[Person]], name: str, initials: str) -> Person | None:
    """The known person called ``name``: the one with these initials if several are."""
    found = people.get(name.lower(), [])
    if len(found) > 1 and initials:
        found = [person for person in found if person.initials == initials] or found
    return found[0] if found else None


def attendance_list_preview(
    *, meeting: Meeting, text: str, kind: str = Attendance.Kind.PRESENT
) -> AttendancePreview:
    """What adding the pasted ``text`` to the meeting would list, line by line, with what
    stops each line (nothing is written). Known people are found by their name."""
    style = meeting.style
    listed = parse_attendance_list(text, style=style, kind=kind)
    if listed.errors:
        return AttendancePreview([], listed.errors)
    names = {a.name.lower() for a in listed.attendees if a.name}
    names |= {a.on_behalf_of.lower() for a in listed.attendees if a.on_behalf_of}
    people: dict[str, list[Person]] = {}
    if names:
        for person in (
            Person.objects.annotate(lowered=Lower("name")).filter(lowered__in=names).order_by("id")
        ):
            people.setdefault(person.lowered, []).append(person)
    attendances = list(meeting.attendances.select_related("person"))
    listed_already = {a.person_id: a for a in attendances}
    chair = next((a for a in attendances if a.is_chair), None)
    rows = []
    for entry in listed.attendees:
        person = _match(people, entry.name, entry.initials) if entry.name else None
        substitute = _match(people, entry.on_behalf_of, "") if entry.on_behalf_of else None
        if person is not None and person.pk in listed_already:
            entry.errors.append(f"{person.name} is already listed at this meeting.")
        if entry.is_chair and chair is not None:
            entry.errors.append(f"{chair.person.name} already chairs this meeting.")
        if person is not None and substitute is not None and person.pk == substitute.pk:
            entry.errors.append("a person cannot attend on their own behalf.")
        role = entry.role or (person.usual_role if person else "")
        rows.append(
            PreviewRow(
                listed=entry,
                person=person,
                on_behalf_of=substitute,
                role=role,
                listed_as=style.kind_label(entry.kind),
            )
        )
    return AttendancePreview(rows, [])


__all__ = [
    "AttendancePreview",
    "MeetingNote",
    "NoteAction",
    "NoteActionProgress",
    "NumberedItem",
    "PreviewRow",
    "PrintedAttendee",
    "attendance_list_preview",
    "item_label",
    "known_people",
    "meeting_list",
    "meeting_note",
    "revised_meetings",
]


def _not_restricted(prefix: str = "") -> Q:
    """Rows not tied to an item held in closed session."""
    return Q(**{f"{prefix}item__isnull": True}) | Q(**{f"{prefix}item__is_restricted": False})


def search_sources() -> list[tuple[QuerySet, str, tuple[str, ...]]]:
    """What the public search reads of a note, as the published note prints it: (rows, the
    path from a row to its meeting, the text fields). Never what a restricted item holds."""
    accepted = ExceptionReport.Status.ACCEPTED
    return [
        (Meeting.objects.all(), "pk", ("title", "venue")),
        (AgendaItem.objects.filter(is_restricted=False), "meeting_id", ("title", "narrative")),
        (Attendance.objects.all(), "meeting_id", ("person__name", "signed_name", "role")),
        (Action.objects.filter(_not_restricted()), "raised_at_id", ("description",)),
        (
            ExceptionReport.objects.filter(_not_restricted(), status=accepted),
            "meeting_id",
            ("category_name", "concern", "explanation", "outcome", "conclusion_comments"),
        ),
        (
            ActionPlan.objects.filter(_not_restricted("report__"), report__status=accepted),
            "report__meeting_id",
            ("name", "summary"),
        ),
    ]


def note_search_text(meeting: Meeting) -> str:
    """The text the public search finds the note by, one field a line (six queries)."""
    lines: list[str] = []
    for rows, path, fields in search_sources():
        for values in rows.filter(**{path: meeting.pk}).order_by("pk").values_list(*fields):
            lines.extend(value for value in values if value)
    return "\n".join(lines)

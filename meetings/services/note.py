"""Writing the note itself: the meeting, who attended, the items with their narrative and
decisions, unsaved text kept by autosave, and restoring what was deleted from a draft."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ..models import AgendaItem, Attendance, Body, Decision, Meeting, NarrativeDraft, Person
from ..selectors import history
from ..selectors.bodies import previous_meeting_of_body
from ..selectors.note import attendance_list_preview
from .editing import (
    audit,
    claim_version,
    find_restorable,
    move,
    next_position,
    renumber,
    require_edit_permission,
    require_note_editable,
    restore_children,
    save_by,
)

# Meetings ---------------------------------------------------------------------------------

MEETING_FIELDS = (
    "body",
    "title",
    "start",
    "has_start_time",
    "end",
    "venue",
    "numbering",
    "first_minute_number",
)


def running_minute_number(*, body: Body, start: dt.datetime, exclude: Meeting | None = None):
    """The first minute number of a meeting of ``body`` held at ``start``: the one after the
    last item of the body's previous meeting, or None when it has none numbered by minutes."""
    previous = previous_meeting_of_body(body=body, before=start, exclude=exclude)
    if previous is None or previous.numbering != Meeting.Numbering.MINUTES:
        return None
    return (previous.first_minute_number or 1) + previous.items.count()


@transaction.atomic
def meeting_create(
    *,
    user: AbstractBaseUser,
    body: Body | str,
    start: dt.datetime,
    title: str = "",
    has_start_time: bool = True,
    end: dt.datetime | None = None,
    venue: str = "",
    numbering: str | None = None,
    first_minute_number: int | None = None,
    with_usual_attendance: bool = True,
) -> Meeting:
    """A meeting of ``body``, numbered as the body numbers its items unless told otherwise
    (minute numbers running on from its previous meeting), with its usual attendance listed.
    ``body`` given as a name is a new body, created with the meeting (or not at all)."""
    require_edit_permission(user, "create meetings")
    if isinstance(body, str):
        from .bodies import body_create

        body = body_create(user=user, name=body)
    numbering = numbering or body.numbering
    if numbering == Meeting.Numbering.MINUTES and first_minute_number is None:
        first_minute_number = running_minute_number(body=body, start=start)
        if first_minute_number is None:
            raise ValidationError(
                {
                    "first_minute_number": "Give the number of the first item: the body has no "
                    "earlier meeting numbered by minutes to run on from."
                }
            )
    meeting = Meeting(
        body=body,
        title=title.strip() or body.name,
        start=start,
        has_start_time=has_start_time,
        end=end,
        venue=venue,
        numbering=numbering,
        first_minute_number=first_minute_number,
        created_by=user,
    )
    meeting.full_clean()
    save_by(meeting, user)
    audit(actor=user, verb="meeting.create", meeting=meeting, summary=f"Created {meeting}")
    if with_usual_attendance and body.usual_attendance.strip():
        try:
            attendance_list_add(user=user, meeting=meeting, text=body.usual_attendance)
        except ValidationError as error:
            raise ValidationError(
                "The usual attendance of the body could not be listed: "
                + " ".join(error.messages)
                + " Correct it on the body's page."
            ) from error
    return meeting


@transaction.atomic
def meeting_update(
    *,
    user: AbstractBaseUser,
    meeting: Meeting,
    expected_version: int | None = None,
    **fields: Any,
) -> Meeting:
    require_note_editable(user=user, meeting=meeting)
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"Unknown meeting fields: {sorted(unknown)}")
    body = fields.get("body", meeting.body)
    if body.pk != meeting.body_id:
        _refuse_moving_to_another_body(meeting)
    claim_version(meeting, expected_version)
    if "title" in fields:
        fields["title"] = fields["title"].strip() or body.name
    if (
        fields.get("numbering", meeting.numbering) == Meeting.Numbering.MINUTES
        and "first_minute_number" in fields
        and fields["first_minute_number"] is None
    ):
        fields["first_minute_number"] = running_minute_number(
            body=body, start=fields.get("start", meeting.start), exclude=meeting
        )
    changed = {name: value for name, value in fields.items() if getattr(meeting, name) != value}
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.full_clean()
    save_by(meeting, user, [*fields, "updated_at"])
    audit(
        actor=user,
        verb="meeting.update",
        meeting=meeting,
        summary=f"Changed {', '.join(sorted(changed)) or 'nothing'} of {meeting}",
    )
    return meeting


def _refuse_moving_to_another_body(meeting: Meeting) -> None:
    """A meeting whose record is tied to its body's log and meetings stays in that body."""
    if meeting.actions.exists() or meeting.action_updates.exists():
        raise ValidationError(
            {
                "body": "This meeting raised or followed up actions in its body's log: it stays "
                "in that body."
            }
        )
    if meeting.items.filter(previous_meeting__isnull=False).exists():
        raise ValidationError(
            {
                "body": "An item approves the record of an earlier meeting of its body: remove "
                "that link before moving the meeting to another body."
            }
        )


# Attendance -------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewPerson:
    """Someone not known to the portal yet, typed into a form: added with what they were
    listed as, in the same transaction."""

    name: str
    initials: str = ""
    usual_role: str = ""


def _validate_attendance(attendance: Attendance) -> None:
    """Full model validation, with the duplicate-person rule phrased for the editor."""
    duplicate = (
        Attendance.objects.filter(meeting=attendance.meeting, person=attendance.person)
        .exclude(pk=attendance.pk)
        .exists()
    )
    if duplicate:
        raise ValidationError({"person": f"{attendance.person} is already listed at this meeting."})
    attendance.full_clean()


@transaction.atomic
def person_create(
    *, user: AbstractBaseUser, name: str, usual_role: str = "", initials: str = ""
) -> Person:
    require_edit_permission(user, "add people")
    person = Person(
        name=" ".join(name.split()), usual_role=usual_role.strip(), initials=initials.strip()
    )
    person.full_clean()
    person.save()
    return person


def known_person(user: AbstractBaseUser, person: Person | NewPerson) -> Person:
    """``person``, added first if new."""
    if isinstance(person, NewPerson):
        return person_create(
            user=user, name=person.name, usual_role=person.usual_role, initials=person.initials
        )
    return person


def _same_person(first: Person | NewPerson | None, second: Person | NewPerson | None) -> bool:
    if first is None or second is None:
        return False
    if isinstance(first, Person) and isinstance(second, Person):
        return first.pk == second.pk
    return " ".join(first.name.split()).lower() == " ".join(second.name.split()).lower()


def _people(
    user: AbstractBaseUser,
    person: Person | NewPerson,
    on_behalf_of: Person | NewPerson | None,
    initials: str | None,
) -> tuple[Person, Person | None]:
    """The attendee and whom they stood in for, new people added; the initials given kept on
    the person (a signed note keeps the ones it printed)."""
    if _same_person(person, on_behalf_of):
        raise ValidationError({"on_behalf_of": "A person cannot attend on their own behalf."})
    attendee = known_person(user, person)
    substituted = known_person(user, on_behalf_of) if on_behalf_of is not None else None
    if initials is not None and initials.strip() != attendee.initials:
        attendee.initials = initials.strip()
        attendee.full_clean()
        attendee.save(update_fields=["initials"])
    return attendee, substituted


@transaction.atomic
def attendance_add(
    *,
    user: AbstractBaseUser,
    meeting: Meeting,
    person: Person | NewPerson,
    kind: str = Attendance.Kind.PRESENT,
    role: str = "",
    initials: str | None = None,
    is_chair: bool = False,
    is_note_taker: bool = False,
    on_behalf_of: Person | NewPerson | None = None,
) -> Attendance:
    """List someone at the meeting, and whom they stood in for, adding either if new; an empty
    role is their usual one. All or nothing: a refused entry adds nobody."""
    require_note_editable(user=user, meeting=meeting)
    person, on_behalf_of = _people(user, person, on_behalf_of, initials)
    attendance = Attendance(
        meeting=meeting,
        person=person,
        kind=kind,
        role=role.strip() or person.usual_role,
        is_chair=is_chair,
        is_note_taker=is_note_taker,
        on_behalf_of=on_behalf_of,
        position=next_position(meeting.attendances.filter(kind=kind)),
    )
    _validate_attendance(attendance)
    try:
        with transaction.atomic():
            save_by(attendance, user)
    except IntegrityError as error:  # a concurrent add of the same person
        raise ValidationError({"person": f"{person} is already listed at this meeting."}) from error
    audit(
        actor=user,
        verb="attendance.add",
        meeting=meeting,
        summary=f"Listed {person} as {attendance.get_kind_display().lower()}",
    )
    return attendance


ATTENDANCE_FIELDS = (
    "person",
    "kind",
    "role",
    "initials",
    "is_chair",
    "is_note_taker",
    "on_behalf_of",
)


@transaction.atomic
def attendance_update(
    *,
    user: AbstractBaseUser,
    attendance: Attendance,
    expected_version: int | None = None,
    **fields: Any,
) -> Attendance:
    require_note_editable(user=user, meeting=attendance.meeting)
    unknown = set(fields) - set(ATTENDANCE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown attendance fields: {sorted(unknown)}")
    claim_version(attendance, expected_version)
    initials = fields.pop("initials", None)
    person, on_behalf_of = _people(
        user,
        fields.get("person", attendance.person),
        fields.get("on_behalf_of", attendance.on_behalf_of),
        initials,
    )
    if "person" in fields:
        fields["person"] = person
    if "on_behalf_of" in fields:
        fields["on_behalf_of"] = on_behalf_of
    old_kind = attendance.kind
    for name, value in fields.items():
        setattr(attendance, name, value)
    moved = attendance.kind != old_kind
    if moved:
        attendance.position = next_position(
            attendance.meeting.attendances.filter(kind=attendance.kind).exclude(pk=attendance.pk)
        )
    _validate_attendance(attendance)
    save_by(attendance, user, [*fields, *(["position"] if moved else [])])
    audit(
        actor=user,
        verb="attendance.update",
        meeting=attendance.meeting,
        summary=f"Changed the attendance of {attendance.person}",
    )
    return attendance


@transaction.atomic
def attendance_list_add(
    *, user: AbstractBaseUser, meeting: Meeting, text: str, kind: str = Attendance.Kind.PRESENT
) -> list[Attendance]:
    """List everyone in a pasted list, as ``attendance_list_preview`` reads it: all of them,
    or (when any line is refused) nobody."""
    require_note_editable(user=user, meeting=meeting)
    preview = attendance_list_preview(meeting=meeting, text=text, kind=kind)
    if not preview.is_valid:
        raise ValidationError(preview.messages())
    created: dict[str, Person] = {}  # a new name on several lines is one new person

    def person_for(known: Person | None, name: str, **details: str) -> Person:
        if known is not None:
            return known
        key = name.lower()
        if key not in created:
            created[key] = person_create(user=user, name=name, **details)
        return created[key]

    added = []
    for row in preview.rows:
        listed = row.listed
        person = person_for(
            row.person, listed.name, initials=listed.initials, usual_role=listed.role
        )
        on_behalf_of = (
            person_for(row.on_behalf_of, listed.on_behalf_of) if listed.on_behalf_of else None
        )
        added.append(
            attendance_add(
                user=user,
                meeting=meeting,
                person=person,
                kind=listed.kind,
                role=listed.role,
                initials=listed.initials or None,
                is_chair=listed.is_chair,
                is_note_taker=listed.is_note_taker,
                on_behalf_of=on_behalf_of,
            )
        )
    return added


def attendance_copy(*, source: Meeting, target: Meeting, with_substitutes: bool) -> None:
    """List ``source``'s attendance at ``target`` as it stood: a revision keeps everyone; the
    next meeting of a series leaves out those who only stood in for someone."""
    attendances = source.attendances.all()
    if not with_substitutes:
        attendances = attendances.filter(on_behalf_of__isnull=True)
    Attendance.objects.bulk_create(
        Attendance(
            meeting=target,
            person_id=a.person_id,
            kind=a.kind,
            role=a.role,
            is_chair=a.is_chair,
            is_note_taker=a.is_note_taker,
            on_behalf_of_id=a.on_behalf_of_id,
            position=a.position,
        )
        for a in attendances
    )


@transaction.atomic
def attendance_remove(*, user: AbstractBaseUser, attendance: Attendance) -> None:
    meeting = attendance.meeting
    require_note_editable(user=user, meeting=meeting)
    attendance.delete()
    audit(
        actor=user,
        verb="attendance.remove",
        meeting=meeting,
        summary=f"Removed {attendance.person} from the attendance",
    )


@transaction.atomic
def attendance_move(*, user: AbstractBaseUser, attendance: Attendance, step: int) -> None:
    require_note_editable(user=user, meeting=attendance.meeting)
    move(attendance, attendance.meeting.attendances.filter(kind=attendance.kind), step)


# Agenda items -----------------------------------------------------------------------------

ITEM_FIELDS = ("title", "narrative", "assurance_statement", "is_restricted", "exemption")


@transaction.atomic
def agenda_item_add(
    *,
    user: AbstractBaseUser,
    meeting: Meeting,
    title: str,
    narrative: str = "",
    assurance_statement: str = "",
    is_restricted: bool = False,
    exemption: str = "",
) -> AgendaItem:
    require_note_editable(user=user, meeting=meeting)
    item = AgendaItem(
        meeting=meeting,
        title=title.strip(),
        narrative=narrative,
        assurance_statement=assurance_statement,
        is_restricted=is_restricted,
        exemption=exemption.strip(),
        position=next_position(meeting.items.all()),
    )
    item.full_clean()
    save_by(item, user)
    audit(actor=user, verb="item.add", meeting=meeting, summary=f"Added item {item.title}")
    return item


@transaction.atomic
def agenda_item_update(
    *,
    user: AbstractBaseUser,
    item: AgendaItem,
    expected_version: int | None = None,
    **fields: Any,
) -> AgendaItem:
    require_note_editable(user=user, meeting=item.meeting)
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"Unknown item fields: {sorted(unknown)}")
    claim_version(item, expected_version)
    changed = sorted(name for name, value in fields.items() if getattr(item, name) != value)
    for name, value in fields.items():
        setattr(item, name, value)
    item.full_clean()
    save_by(item, user, [*fields, "updated_at"])
    NarrativeDraft.objects.filter(item=item, author=user).delete()
    audit(
        actor=user,
        verb="item.update",
        meeting=item.meeting,
        summary=f"Changed {', '.join(changed) or 'nothing'} of item {item.title}",
        item=item.pk,
        fields=changed,
    )
    return item


@transaction.atomic
def agenda_item_delete(*, user: AbstractBaseUser, item: AgendaItem) -> None:
    meeting = item.meeting
    require_note_editable(user=user, meeting=meeting)
    item.delete()
    renumber(meeting.items.all())
    audit(actor=user, verb="item.delete", meeting=meeting, summary=f"Deleted item {item.title}")


@transaction.atomic
def agenda_item_move(*, user: AbstractBaseUser, item: AgendaItem, step: int) -> None:
    require_note_editable(user=user, meeting=item.meeting)
    move(item, item.meeting.items.all(), step)
    audit(
        actor=user,
        verb="item.move",
        meeting=item.meeting,
        summary=f"Moved item {item.title} {'up' if step < 0 else 'down'}",
    )


# Decisions --------------------------------------------------------------------------------


@transaction.atomic
def decision_add(
    *,
    user: AbstractBaseUser,
    item: AgendaItem,
    text: str,
    notice_reference: str = "",
    notice_url: str = "",
) -> Decision:
    require_note_editable(user=user, meeting=item.meeting)
    decision = Decision(
        item=item,
        text=text.strip(),
        notice_reference=notice_reference.strip(),
        notice_url=notice_url.strip(),
        position=next_position(item.decisions.all()),
    )
    decision.full_clean()
    save_by(decision, user)
    audit(
        actor=user,
        verb="decision.add",
        meeting=item.meeting,
        summary=f"Recorded a decision under {item.title}",
    )
    return decision


@transaction.atomic
def decision_update(
    *,
    user: AbstractBaseUser,
    decision: Decision,
    expected_version: int | None = None,
    text: str,
    notice_reference: str = "",
    notice_url: str = "",
) -> Decision:
    require_note_editable(user=user, meeting=decision.item.meeting)
    claim_version(decision, expected_version)
    decision.text = text.strip()
    decision.notice_reference = notice_reference.strip()
    decision.notice_url = notice_url.strip()
    decision.full_clean()
    save_by(decision, user, ["text", "notice_reference", "notice_url"])
    audit(
        actor=user,
        verb="decision.update",
        meeting=decision.item.meeting,
        summary=f"Changed a decision under {decision.item.title}",
    )
    return decision


@transaction.atomic
def decision_delete(*, user: AbstractBaseUser, decision: Decision) -> None:
    item = decision.item
    require_note_editable(user=user, meeting=item.meeting)
    decision.delete()
    renumber(item.decisions.all())
    audit(
        actor=user,
        verb="decision.delete",
        meeting=item.meeting,
        summary=f"Deleted a decision under {item.title}",
    )


# Unsaved text -----------------------------------------------------------------------------


@transaction.atomic
def narrative_draft_keep(
    *,
    user: AbstractBaseUser,
    item: AgendaItem,
    title: str,
    narrative: str,
    assurance_statement: str,
    base_version: int,
) -> NarrativeDraft:
    """Keep what the user has typed so far (autosave); the note itself is not changed."""
    require_note_editable(user=user, meeting=item.meeting)
    draft, _ = NarrativeDraft.objects.update_or_create(
        item=item,
        author=user,
        defaults={
            "title": title[:300],
            "narrative": narrative,
            "assurance_statement": assurance_statement,
            "base_version": base_version,
        },
    )
    return draft


def narrative_draft_discard(*, user: AbstractBaseUser, item: AgendaItem) -> None:
    NarrativeDraft.objects.filter(item=item, author=user).delete()


# Restoring what was deleted ---------------------------------------------------------------


@transaction.atomic
def agenda_item_restore(*, user: AbstractBaseUser, meeting: Meeting, item_id: int) -> AgendaItem:
    """Bring back a deleted item, with its decisions, at the end of the agenda."""
    require_note_editable(user=user, meeting=meeting)
    record = find_restorable(history.deleted_items(meeting=meeting), item_id, "item")
    item = record.instance
    item.position = next_position(meeting.items.all())
    item.version = record.version + 1
    save_by(item, user)
    restore_children(Decision, user, parent_deleted_at=record.history_date, item_id=item.pk)
    audit(actor=user, verb="item.restore", meeting=meeting, summary=f"Restored item {item.title}")
    return item


@transaction.atomic
def attendance_restore(
    *, user: AbstractBaseUser, meeting: Meeting, attendance_id: int
) -> Attendance:
    require_note_editable(user=user, meeting=meeting)
    record = find_restorable(history.deleted_attendances(meeting=meeting), attendance_id, "entry")
    attendance = record.instance
    attendance.position = next_position(meeting.attendances.filter(kind=attendance.kind))
    if attendance.is_chair and meeting.attendances.filter(is_chair=True).exists():
        attendance.is_chair = False
    _validate_attendance(attendance)
    save_by(attendance, user)
    audit(
        actor=user,
        verb="attendance.restore",
        meeting=meeting,
        summary=f"Restored {attendance.person} to the attendance",
    )
    return attendance


@transaction.atomic
def decision_restore(*, user: AbstractBaseUser, item: AgendaItem, decision_id: int) -> Decision:
    require_note_editable(user=user, meeting=item.meeting)
    decision = find_restorable(
        history.deleted_decisions(item=item), decision_id, "decision"
    ).instance
    decision.position = next_position(item.decisions.all())
    save_by(decision, user)
    audit(
        actor=user,
        verb="decision.restore",
        meeting=item.meeting,
        summary=f"Restored a decision under {item.title}",
    )
    return decision

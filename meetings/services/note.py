"""Writing the note itself: the meeting, who attended, the items with their narrative and
decisions, unsaved text kept by autosave, and restoring what was deleted from a draft."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ..models import AgendaItem, Attendance, Decision, Meeting, NarrativeDraft, Person
from ..selectors import history
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

MEETING_FIELDS = ("title", "start", "end", "venue", "numbering", "first_minute_number")


@transaction.atomic
def meeting_create(
    *,
    user: AbstractBaseUser,
    title: str,
    start: dt.datetime,
    end: dt.datetime | None = None,
    venue: str = "",
    numbering: str = Meeting.Numbering.LETTERS,
    first_minute_number: int | None = None,
) -> Meeting:
    require_edit_permission(user, "create meetings")
    meeting = Meeting(
        title=title,
        start=start,
        end=end,
        venue=venue,
        numbering=numbering,
        first_minute_number=first_minute_number,
        created_by=user,
    )
    meeting.full_clean()
    save_by(meeting, user)
    audit(actor=user, verb="meeting.create", meeting=meeting, summary=f"Created {meeting}")
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
    claim_version(meeting, expected_version)
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


# Attendance -------------------------------------------------------------------------------


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
def person_create(*, user: AbstractBaseUser, name: str, usual_role: str = "") -> Person:
    require_edit_permission(user, "add people")
    person = Person(name=name.strip(), usual_role=usual_role.strip())
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def attendance_add(
    *,
    user: AbstractBaseUser,
    meeting: Meeting,
    person: Person,
    kind: str = Attendance.Kind.PRESENT,
    role: str = "",
    is_chair: bool = False,
    is_note_taker: bool = False,
    on_behalf_of: Person | None = None,
) -> Attendance:
    require_note_editable(user=user, meeting=meeting)
    attendance = Attendance(
        meeting=meeting,
        person=person,
        kind=kind,
        role=role,
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


ATTENDANCE_FIELDS = ("person", "kind", "role", "is_chair", "is_note_taker", "on_behalf_of")


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

"""Actions that change a meeting note.

Each service is keyword-only, runs in one transaction, checks the user's permission and the
note's state, bumps the edited object's version (so a concurrent edit is detected, never
silently overwritten) and writes an audit event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Max

from .models import AgendaItem, Attendance, AuditEvent, Decision, Meeting, NarrativeDraft, Person

EDIT_PERMISSION = "meetings.edit_note"

Versioned = TypeVar("Versioned", Meeting, Attendance, AgendaItem, Decision)


class NoteNotEditable(PermissionDenied):
    """The note is not a draft any more: it has been submitted, signed or published."""


class EditConflict(Exception):
    """Someone else saved the object since the user loaded it."""

    def __init__(self, current: models.Model):
        super().__init__(f"{current} was changed by someone else.")
        self.current = current


def require_note_editable(*, user: AbstractBaseUser, meeting: Meeting) -> None:
    if not user.has_perm(EDIT_PERMISSION):
        raise PermissionDenied("You do not have permission to edit meeting notes.")
    # The stored status counts, not the one in memory, which may be stale; the row stays locked
    # until the edit commits, so the note cannot be submitted or signed half-way through it.
    meeting.status = (
        Meeting.objects.select_for_update().values_list("status", flat=True).get(pk=meeting.pk)
    )
    if meeting.status != Meeting.Status.DRAFT:
        raise NoteNotEditable(
            f"This note is {meeting.get_status_display().lower()} and can no longer be edited."
        )


def claim_version(obj: Versioned, expected_version: int | None) -> None:
    """Advance ``obj``'s version if it is still ``expected_version``, else raise EditConflict.

    The compare-and-set is one UPDATE, so of two people saving at once exactly one wins.
    """
    if expected_version is None:
        expected_version = obj.version
    claimed = (
        type(obj)
        ._default_manager.filter(pk=obj.pk, version=expected_version)
        .update(version=F("version") + 1)
    )
    if not claimed:
        raise EditConflict(type(obj)._default_manager.get(pk=obj.pk))
    obj.version = expected_version + 1


def _save(obj: models.Model, user: AbstractBaseUser, fields: Iterable[str] | None = None) -> None:
    """Save (only ``fields``, when given), with the user recorded in the field history.

    Saving only what the service changed keeps a stale copy in memory from writing back
    what others changed meanwhile (a position moved, a conclusion recorded).
    """
    obj._history_user = user
    obj.save(update_fields=list(fields) if fields is not None else None)


def audit(
    actor: AbstractBaseUser | None, meeting: Meeting | None, verb: str, summary: str, **extra: Any
) -> None:
    """Write the explicit audit event of a service: who did what to which note, and when."""
    AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        meeting=meeting,
        summary=summary[:500],
        extra=extra,
    )


def next_position(queryset: models.QuerySet) -> int:
    return (queryset.aggregate(top=Max("position"))["top"] or 0) + 1


def _move(obj: Attendance | AgendaItem | Decision, siblings: models.QuerySet, step: int) -> None:
    """Swap ``obj`` with its neighbour ``step`` places away and renumber the siblings 1..n."""
    ordered = list(siblings.order_by("position", "id"))
    index = next(i for i, sibling in enumerate(ordered) if sibling.pk == obj.pk)
    target = index + step
    if not 0 <= target < len(ordered):
        return
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, sibling in enumerate(ordered, start=1):
        if sibling.position != position:
            type(sibling)._default_manager.filter(pk=sibling.pk).update(position=position)


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
    if not user.has_perm(EDIT_PERMISSION):
        raise PermissionDenied("You do not have permission to create meetings.")
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
    _save(meeting, user)
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
    _save(meeting, user, [*fields, "updated_at"])
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
    if not user.has_perm(EDIT_PERMISSION):
        raise PermissionDenied("You do not have permission to add people.")
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
            _save(attendance, user)
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
    _save(attendance, user, [*fields, *(["position"] if moved else [])])
    audit(
        actor=user,
        verb="attendance.update",
        meeting=attendance.meeting,
        summary=f"Changed the attendance of {attendance.person}",
    )
    return attendance


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
    _move(attendance, attendance.meeting.attendances.filter(kind=attendance.kind), step)


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
    _save(item, user)
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
    _save(item, user, [*fields, "updated_at"])
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
    _renumber(meeting.items.all())
    audit(actor=user, verb="item.delete", meeting=meeting, summary=f"Deleted item {item.title}")


@transaction.atomic
def agenda_item_move(*, user: AbstractBaseUser, item: AgendaItem, step: int) -> None:
    require_note_editable(user=user, meeting=item.meeting)
    _move(item, item.meeting.items.all(), step)
    audit(
        actor=user,
        verb="item.move",
        meeting=item.meeting,
        summary=f"Moved item {item.title} {'up' if step < 0 else 'down'}",
    )


def _renumber(siblings: Iterable[AgendaItem | Decision]) -> None:
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position:
            type(sibling)._default_manager.filter(pk=sibling.pk).update(position=position)


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
    _save(decision, user)
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
    _save(decision, user, ["text", "notice_reference", "notice_url"])
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
    _renumber(item.decisions.all())
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


def deleted_records(model: type[models.Model], *, current: models.QuerySet, **where) -> list:
    """The last historical record of each deleted ``model`` row matching ``where`` that is not
    back among ``current``: what can still be restored, latest deletion first."""
    records = (
        model.history.filter(history_type="-", **where)
        .exclude(id__in=current.values("pk"))
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    latest: dict[int, Any] = {}
    for record in records:
        latest.setdefault(record.id, record)
    return list(latest.values())


def restore_children(
    model: type[models.Model], user: AbstractBaseUser, *, parent_deleted_at, **where
) -> None:
    """Bring back the rows deleted along with a parent (in the same moment) that has just been
    restored; children deleted on their own before stay deleted."""
    moment = dt.timedelta(seconds=5)
    for record in deleted_records(model, current=model.objects.filter(**where), **where):
        if abs(record.history_date - parent_deleted_at) <= moment:
            _save(record.instance, user)


def deleted_items(*, meeting: Meeting) -> list:
    """Items deleted from this draft that can still be restored, latest deletion first."""
    return deleted_records(AgendaItem, current=meeting.items.all(), meeting_id=meeting.pk)


def deleted_attendances(*, meeting: Meeting) -> list:
    records = deleted_records(Attendance, current=meeting.attendances.all(), meeting_id=meeting.pk)
    people = Person.objects.in_bulk({record.person_id for record in records})
    for record in records:
        record.person = people.get(record.person_id)
    return records


def deleted_decisions(*, item: AgendaItem) -> list:
    return deleted_records(Decision, current=item.decisions.all(), item_id=item.pk)


def find_restorable(records: list, record_id: int, what: str):
    record = next((r for r in records if r.id == record_id), None)
    if record is None:
        raise ValidationError(f"That {what} cannot be restored: it is not among the deleted ones.")
    return record


@transaction.atomic
def agenda_item_restore(*, user: AbstractBaseUser, meeting: Meeting, item_id: int) -> AgendaItem:
    """Bring back a deleted item, with its decisions, at the end of the agenda."""
    require_note_editable(user=user, meeting=meeting)
    record = find_restorable(deleted_items(meeting=meeting), item_id, "item")
    item = record.instance
    item.position = next_position(meeting.items.all())
    item.version = record.version + 1
    _save(item, user)
    restore_children(Decision, user, parent_deleted_at=record.history_date, item_id=item.pk)
    audit(actor=user, verb="item.restore", meeting=meeting, summary=f"Restored item {item.title}")
    return item


@transaction.atomic
def attendance_restore(
    *, user: AbstractBaseUser, meeting: Meeting, attendance_id: int
) -> Attendance:
    require_note_editable(user=user, meeting=meeting)
    record = find_restorable(deleted_attendances(meeting=meeting), attendance_id, "entry")
    attendance = record.instance
    attendance.position = next_position(meeting.attendances.filter(kind=attendance.kind))
    if attendance.is_chair and meeting.attendances.filter(is_chair=True).exists():
        attendance.is_chair = False
    _validate_attendance(attendance)
    _save(attendance, user)
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
    decision = find_restorable(deleted_decisions(item=item), decision_id, "decision").instance
    decision.position = next_position(item.decisions.all())
    _save(decision, user)
    audit(
        actor=user,
        verb="decision.restore",
        meeting=item.meeting,
        summary=f"Restored a decision under {item.title}",
    )
    return decision

"""What every write to a note shares: the editable-note rule, versions and conflicts, the audit
event, ordering, and bringing back what was deleted.

Each service is keyword-only, runs in one transaction, checks the user's permission and the
note's state, bumps the edited object's version (so a concurrent edit is detected, never
silently overwritten) and writes an audit event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import F, Max

from .. import roles
from ..models import AuditEvent, Meeting
from ..selectors.history import deleted_records


class NoteNotEditable(PermissionDenied):
    """The note is not a draft any more: it has been submitted, signed or published."""


class EditConflict(Exception):
    """Someone else saved the object since the user loaded it."""

    def __init__(self, current: models.Model):
        super().__init__(f"{current} was changed by someone else.")
        self.current = current


def require_edit_permission(user: AbstractBaseUser, what: str = "edit meeting notes") -> None:
    if not user.has_perm(roles.EDIT_NOTE):
        raise PermissionDenied(f"You do not have permission to {what}.")


def require_note_editable(*, user: AbstractBaseUser, meeting: Meeting) -> None:
    require_edit_permission(user)
    # The stored status counts, not the one in memory, which may be stale; the row stays locked
    # until the edit commits, so the note cannot be submitted or signed half-way through it.
    meeting.status = (
        Meeting.objects.select_for_update().values_list("status", flat=True).get(pk=meeting.pk)
    )
    if meeting.status != Meeting.Status.DRAFT:
        raise NoteNotEditable(
            f"This note is {meeting.get_status_display().lower()} and can no longer be edited."
        )


def claim_version(obj: models.Model, expected_version: int | None) -> None:
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


def save_by(obj: models.Model, user: AbstractBaseUser, fields: Iterable[str] | None = None) -> None:
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


def renumber(siblings: Iterable[models.Model]) -> None:
    """Number ``siblings`` 1..n in their order, writing only the positions that change."""
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position:
            type(sibling)._default_manager.filter(pk=sibling.pk).update(position=position)


def move(obj: models.Model, siblings: models.QuerySet, step: int) -> bool:
    """Swap ``obj`` with its neighbour ``step`` places away and renumber the siblings 1..n.

    Returns False (and changes nothing) when there is no neighbour that way.
    """
    ordered = list(siblings.order_by("position", "id"))
    index = next(i for i, sibling in enumerate(ordered) if sibling.pk == obj.pk)
    target = index + step
    if not 0 <= target < len(ordered):
        return False
    ordered[index], ordered[target] = ordered[target], ordered[index]
    renumber(ordered)
    return True


def find_restorable(records: list, record_id: int, what: str):
    """The deleted ``what`` with id ``record_id`` among ``records``, or a ValidationError."""
    record = next((r for r in records if r.id == record_id), None)
    if record is None:
        raise ValidationError(f"That {what} cannot be restored: it is not among the deleted ones.")
    return record


def restore_children(
    model: type[models.Model], user: AbstractBaseUser, *, parent_deleted_at, **where
) -> None:
    """Bring back the rows deleted along with a parent (in the same moment) that has just been
    restored; children deleted on their own before stay deleted."""
    moment = dt.timedelta(seconds=5)
    for record in deleted_records(model, current=model.objects.filter(**where), **where):
        if abs(record.history_date - parent_deleted_at) <= moment:
            save_by(record.instance, user)

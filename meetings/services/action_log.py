"""Writing the action log: numbered actions raised at a meeting under an item, with owners,
followed up with dated updates at later meetings until they are closed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from ..models import FROZEN_STATUSES, Action, ActionUpdate, AgendaItem, Meeting, Person
from ..selectors.history import deleted_actions
from .editing import audit, claim_version, find_restorable, require_note_editable


@transaction.atomic
def action_raise(
    *,
    user: AbstractBaseUser,
    meeting: Meeting,
    description: str,
    owners: Iterable[Person],
    item: AgendaItem | None = None,
    due: dt.date | None = None,
) -> Action:
    """Add an action to the log, numbered after the last one."""
    require_note_editable(user=user, meeting=meeting)
    owners = list(owners)
    errors = {}
    if not owners:
        errors["owners"] = "Give the action at least one owner."
    if not description.strip():
        errors["description"] = "Describe the action."
    if item is not None and item.meeting_id != meeting.pk:
        errors["item"] = "Choose an item of this meeting."
    if errors:
        raise ValidationError(errors)
    for _attempt in range(3):  # two people raising actions at once get different numbers
        number = (Action.objects.aggregate(top=Max("number"))["top"] or 0) + 1
        try:
            with transaction.atomic():
                action = Action.objects.create(
                    number=number,
                    raised_at=meeting,
                    item=item,
                    description=description.strip(),
                    due=due,
                )
            break
        except IntegrityError:
            continue
    else:  # pragma: no cover - three collisions in a row
        raise ValidationError("The action log is busy: please try again.")
    action.owners.set(owners)
    audit(user, meeting, "action.raise", f"Raised action {action.number}: {description[:200]}")
    return action


@transaction.atomic
def action_edit(
    *,
    user: AbstractBaseUser,
    action: Action,
    expected_version: int | None = None,
    description: str,
    owners: Iterable[Person],
    item: AgendaItem | None = None,
    due: dt.date | None = None,
) -> Action:
    """Correct an action while the meeting that raised it is still a draft."""
    require_note_editable(user=user, meeting=action.raised_at)
    owners = list(owners)
    if not owners:
        raise ValidationError({"owners": "Give the action at least one owner."})
    if item is not None and item.meeting_id != action.raised_at_id:
        raise ValidationError({"item": "Choose an item of the meeting that raised the action."})
    claim_version(action, expected_version)
    action.description, action.item, action.due = description.strip(), item, due
    action.full_clean()
    action.save()
    action.owners.set(owners)
    audit(user, action.raised_at, "action.edit", f"Corrected action {action.number}")
    return action


@transaction.atomic
def action_update_record(
    *,
    user: AbstractBaseUser,
    action: Action,
    meeting: Meeting,
    text: str,
    status: str,
) -> ActionUpdate:
    """Record progress on an action at ``meeting``; closing it records when and where."""
    require_note_editable(user=user, meeting=meeting)
    text = text.strip()
    errors = {}
    if not text:
        errors["text"] = "Say what has happened."
    if status not in Action.Status.values:
        errors["status"] = "Choose open, in progress or closed."
    if Meeting.objects.filter(pk=action.raised_at_id, start__gt=meeting.start).exists():
        errors["text"] = "An action cannot be updated at a meeting held before it was raised."
    elif action.updates.filter(meeting__start__gt=meeting.start).exists():
        errors["text"] = (
            "Progress on this action was already recorded at a later meeting: record it there."
        )
    if errors:
        raise ValidationError(errors)
    update = ActionUpdate.objects.create(
        action=action,
        meeting=meeting,
        text=text,
        status=status,
        recorded_by=user,
        recorded_on=timezone.localdate(),
    )
    closing = status == Action.Status.CLOSED
    # Only the fields that move on after the raising meeting is signed, in one UPDATE.
    Action.objects.filter(pk=action.pk).update(
        status=status,
        closed_on=timezone.localtime(meeting.start).date() if closing else None,
        closed_at=meeting if closing else None,
        version=F("version") + 1,
    )
    action.refresh_from_db()
    audit(
        user,
        meeting,
        "action.update",
        f"Action {action.number}: {action.get_status_display().lower()}: {text[:200]}",
    )
    return update


@transaction.atomic
def action_delete(*, user: AbstractBaseUser, action: Action) -> None:
    """Remove an action raised by mistake, while the meeting that raised it is a draft."""
    require_note_editable(user=user, meeting=action.raised_at)
    if action.updates.filter(meeting__status__in=FROZEN_STATUSES).exists():
        raise ValidationError(
            "This action has progress recorded in a signed note, so it stays in the log."
        )
    number = action.number
    action._history_user = user
    action.delete()
    audit(user, action.raised_at, "action.delete", f"Deleted action {number}")


@transaction.atomic
def action_restore(*, user: AbstractBaseUser, meeting: Meeting, action_id: int) -> Action:
    """Bring back a deleted action with its owners and number (unless the number was reused)."""
    require_note_editable(user=user, meeting=meeting)
    record = find_restorable(deleted_actions(meeting=meeting), action_id, "action")
    action = record.instance
    if Action.objects.filter(number=action.number).exists():
        action.number = (Action.objects.aggregate(top=Max("number"))["top"] or 0) + 1
    action._history_user = user
    action.save()
    # The owners as last recorded in the field history (the deletion's own record may not
    # carry them).
    owners_history = record.owners.model.objects.filter(history__id=action_id).order_by(
        "-history__history_date", "-history__history_id"
    )
    latest = owners_history.values_list("history_id", flat=True).first()
    action.owners.set(owners_history.filter(history_id=latest).values_list("person", flat=True))
    audit(user, meeting, "action.restore", f"Restored action {action.number}")
    return action

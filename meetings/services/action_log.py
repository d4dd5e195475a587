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

from ..models import (
    FROZEN_STATUSES,
    Action,
    ActionOwner,
    ActionUpdate,
    AgendaItem,
    Body,
    Meeting,
    Person,
)
from ..selectors.history import deleted_actions
from .editing import audit, claim_version, find_restorable, require_note_editable
from .note import NewPerson, known_person


def _owners_and_lead(
    user: AbstractBaseUser,
    owners: Iterable[Person | NewPerson],
    lead: Person | NewPerson | None,
) -> tuple[list[Person], Person | None, dict[str, str]]:
    """The owners in the order given, once each, and the lead, new people added (in the
    caller's transaction, so a refused action adds nobody), with what is wrong with them."""
    owners, errors = list(owners), {}
    if not owners and lead is None:
        errors["owners"] = "Give the action a lead or at least one owner."
    if len(owners) > MAX_OWNERS:
        errors["owners"] = f"An action can have at most {MAX_OWNERS} owners."
    if errors:
        return [], None, errors
    created: dict[str, Person] = {}

    def resolve(person: Person | NewPerson) -> Person:
        if isinstance(person, Person):
            return person
        key = " ".join(person.name.split()).lower()
        if key not in created:
            created[key] = known_person(user, person)
        return created[key]

    lead = resolve(lead) if lead is not None else None
    ordered, seen = [], set()
    for person in map(resolve, owners):
        if person.pk not in seen:
            seen.add(person.pk)
            ordered.append(person)
    return ordered, lead, {}


MAX_OWNERS = 20


def _set_owners(action: Action, owners: list[Person]) -> None:
    """The action's owners, in this order (recorded in its field history by the next save)."""
    ActionOwner.objects.filter(action=action).delete()
    ActionOwner.objects.bulk_create(
        ActionOwner(action=action, person=person, position=position)
        for position, person in enumerate(owners, start=1)
    )


def next_action_number(body: Body) -> int:
    """The number after the body's last action (or its first number, for a new log)."""
    top = Action.objects.filter(body=body).aggregate(top=Max("number"))["top"]
    return max((top or 0) + 1, body.first_action_number)


def _number_taken(body: Body, number: int) -> ValidationError:
    return ValidationError(
        {
            "number": f"Action {number} already exists in the {body.name}'s action log: "
            "leave the number empty to take the next one."
        }
    )


@transaction.atomic
def action_raise(
    *,
    user: AbstractBaseUser,
    meeting: Meeting,
    description: str,
    owners: Iterable[Person | NewPerson] = (),
    lead: Person | NewPerson | None = None,
    item: AgendaItem | None = None,
    due: dt.date | None = None,
    number: int | None = None,
) -> Action:
    """Add an action to the log of the meeting's body, numbered after the body's last one
    (or with the number given, if no action of the body has it)."""
    require_note_editable(user=user, meeting=meeting)
    errors = {}
    if not description.strip():
        errors["description"] = "Describe the action."
    if item is not None and item.meeting_id != meeting.pk:
        errors["item"] = "Choose an item of this meeting."
    if errors:
        raise ValidationError(errors)
    owners, lead, errors = _owners_and_lead(user, owners, lead)
    if errors:
        raise ValidationError(errors)
    body = meeting.body
    if number is not None and Action.objects.filter(body=body, number=number).exists():
        raise _number_taken(body, number)
    for _attempt in range(3):  # two people raising actions at once get different numbers
        try:
            with transaction.atomic():
                action = Action.objects.create(
                    body=body,
                    number=number if number is not None else next_action_number(body),
                    raised_at=meeting,
                    item=item,
                    description=description.strip(),
                    lead=lead,
                    due=due,
                )
            break
        except IntegrityError:
            if number is not None:
                raise _number_taken(body, number) from None
            continue
    else:  # pragma: no cover - three collisions in a row
        raise ValidationError("The action log is busy: please try again.")
    _set_owners(action, owners)
    action._history_user = user
    action.save()  # the field history records the owners with the action
    audit(user, meeting, "action.raise", f"Raised action {action.number}: {description[:200]}")
    return action


@transaction.atomic
def action_edit(
    *,
    user: AbstractBaseUser,
    action: Action,
    expected_version: int | None = None,
    description: str,
    owners: Iterable[Person | NewPerson] = (),
    lead: Person | NewPerson | None = None,
    item: AgendaItem | None = None,
    due: dt.date | None = None,
    number: int | None = None,
) -> Action:
    """Correct an action while the meeting that raised it is still a draft."""
    require_note_editable(user=user, meeting=action.raised_at)
    if item is not None and item.meeting_id != action.raised_at_id:
        raise ValidationError({"item": "Choose an item of the meeting that raised the action."})
    owners, lead, errors = _owners_and_lead(user, owners, lead)
    if errors:
        raise ValidationError(errors)
    if (
        number is not None
        and Action.objects.filter(body_id=action.body_id, number=number)
        .exclude(pk=action.pk)
        .exists()
    ):
        raise _number_taken(action.body, number)
    claim_version(action, expected_version)
    action.description, action.item, action.due = description.strip(), item, due
    action.lead = lead
    if number is not None:
        action.number = number
    action.full_clean()
    _set_owners(action, owners)
    action._history_user = user
    action.save()
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
    if meeting.body_id != action.body_id:
        errors["text"] = (
            f"Action {action.number} is in the {action.body.name}'s log: record its progress "
            "at a meeting of that body."
        )
    elif Meeting.objects.filter(pk=action.raised_at_id, start__gt=meeting.start).exists():
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
    if action.body_id is None:  # deleted before actions were kept per body
        action.body = meeting.body
    if Action.objects.filter(body_id=action.body_id, number=action.number).exists():
        action.number = next_action_number(meeting.body)
    action._history_user = user
    action.save()
    # The owners as last recorded in the field history (the deletion's own record may not
    # carry them), in their order.
    owners_history = record.owners.model.objects.filter(history__id=action_id).order_by(
        "-history__history_date", "-history__history_id"
    )
    latest = owners_history.values_list("history_id", flat=True).first()
    people = Person.objects.in_bulk(
        owners_history.filter(history_id=latest).values_list("person", flat=True)
    )
    ordered = owners_history.filter(history_id=latest).order_by("position", "m2m_history_id")
    _set_owners(action, [people[row.person_id] for row in ordered if row.person_id in people])
    audit(user, meeting, "action.restore", f"Restored action {action.number}")
    return action

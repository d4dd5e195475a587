"""Writing bodies: the boards and meeting series, with their numbering, standard items, usual
attendance and print style."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from .. import roles
from ..attendance_list import parse_attendance_list
from ..models import Body
from .editing import audit, claim_version, save_by

# In the order the body's form asks for them.
BODY_FIELDS = (
    "name",
    "description",
    "document_name",
    "numbering",
    "first_action_number",
    "standard_items",
    "attendee_order",
    "show_initials",
    "chair_heading",
    "present_heading",
    "in_attendance_heading",
    "note_taker_heading",
    "apologies_heading",
    "usual_attendance",
)


def _require(user: AbstractBaseUser, permission: str, action: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied(f"You do not have permission to {action}.")


def _validate(body: Body) -> None:
    """The model's rules, the name's uniqueness in words for the form, and a usual attendance
    that reads as a list in the body's own style."""
    errors: dict[str, list[str]] = {}
    body.name = " ".join(body.name.split())
    if body.name and Body.objects.filter(name__iexact=body.name).exclude(pk=body.pk).exists():
        errors["name"] = [f"A body called “{body.name}” already exists: choose another name."]
    if body.usual_attendance.strip():
        listed = parse_attendance_list(body.usual_attendance, style=body.print_style)
        if not listed.is_valid:
            errors["usual_attendance"] = listed.messages()
    try:
        body.full_clean(exclude=["name"] if "name" in errors else None)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _save(body: Body, user: AbstractBaseUser, fields: list[str] | None = None) -> None:
    try:
        with transaction.atomic():
            save_by(body, user, fields)
    except IntegrityError as error:  # the same name saved by someone else meanwhile
        raise ValidationError(
            {"name": f"A body called “{body.name}” already exists: choose another name."}
        ) from error


@transaction.atomic
def body_create(*, user: AbstractBaseUser, name: str, **fields: Any) -> Body:
    _require(user, roles.ADD_BODY, "add bodies")
    unknown = set(fields) - set(BODY_FIELDS)
    if unknown:
        raise TypeError(f"Unknown body fields: {sorted(unknown)}")
    body = Body(name=name, **fields)
    _validate(body)
    _save(body, user)
    audit(user, None, "body.create", f"Created the body {body.name}", body=body.pk)
    return body


@transaction.atomic
def body_update(
    *, user: AbstractBaseUser, body: Body, expected_version: int | None = None, **fields: Any
) -> Body:
    """Change a body. Its drafts print in its new style; signed notes keep the one they were
    signed in, and each meeting keeps its own numbering."""
    _require(user, roles.CHANGE_BODY, "change bodies")
    unknown = set(fields) - set(BODY_FIELDS)
    if unknown:
        raise TypeError(f"Unknown body fields: {sorted(unknown)}")
    claim_version(body, expected_version)
    changed = sorted(name for name, value in fields.items() if getattr(body, name) != value)
    for name, value in fields.items():
        setattr(body, name, value)
    _validate(body)
    _save(body, user, [*fields])
    audit(
        user,
        None,
        "body.update",
        f"Changed {', '.join(changed) or 'nothing'} of the body {body.name}",
        body=body.pk,
    )
    return body

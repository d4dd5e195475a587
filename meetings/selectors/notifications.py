"""Who an email goes to: the holders of a permission, the submitter of a note, the owners and
lead of the actions falling due, each without those who opted out of that kind of email."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, Q

from ..models import (
    Action,
    ActionOwner,
    ActionReminder,
    Meeting,
    NoteTransition,
    NotificationKind,
    NotificationOptOut,
    Person,
)

User = get_user_model()


def opted_out_kinds(*, user: AbstractBaseUser) -> set[str]:
    return set(NotificationOptOut.objects.filter(user=user).values_list("kind", flat=True))


def _address(user: AbstractBaseUser) -> str:
    """Where a user's email goes (``address_of``)."""
    return address_of(user=user, person=getattr(user, "person", None))


def address_of(*, user: AbstractBaseUser | None, person: Person | None) -> str:
    """The one rule of address for every email, notification or reminder: the **account's**
    address first (its holder keeps it current to sign in and reset the password), then the
    address of the person linked to it; empty when neither has one."""
    if user is not None and user.email:
        return user.email
    return person.email if person is not None else ""


def _users_in(users, kind: str) -> list[str]:
    """The addresses of ``users`` (active, not opted out of ``kind``), each once, in order."""
    users = (
        users.filter(is_active=True)
        .exclude(notification_opt_outs__kind=kind)
        .select_related("person")
        .order_by("pk")
        .distinct()
    )
    addresses: list[str] = []
    for user in users:
        address = _address(user)
        if address and address not in addresses:
            addresses.append(address)
    return addresses


def holders_of(*, permission: str, kind: str) -> list[str]:
    """The addresses of everyone given ``permission`` by a role (or directly): the people the
    role's work falls to. A superuser in no role is not among them."""
    app_label, codename = permission.split(".")
    granted = Q(
        groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=app_label,
    ) | Q(
        user_permissions__codename=codename,
        user_permissions__content_type__app_label=app_label,
    )
    return _users_in(User.objects.filter(granted), kind)


def submitter_of(*, meeting: Meeting, kind: str) -> list[str]:
    """The address of whoever last submitted the note (none if they opted out)."""
    step = (
        NoteTransition.objects.filter(
            meeting=meeting, to_status=Meeting.Status.SUBMITTED, actor__isnull=False
        )
        .order_by("-created_at", "-id")
        .first()
    )
    if step is None:
        return []
    return _users_in(User.objects.filter(pk=step.actor_id), kind)


@dataclass
class Reminder:
    """What one person is reminded of on one day: their actions due soon or overdue."""

    person: Person
    email: str
    actions: list[Action] = field(default_factory=list)


def reminders_due(*, today: dt.date, horizon: dt.date) -> list[Reminder]:
    """Each owner or lead with an address, of the open actions due by ``horizon``, who has not
    yet been reminded of them ``today`` and has not opted out: a fixed number of queries."""
    actions = list(
        Action.objects.open()
        .filter(due__lte=horizon)
        .select_related("body", "raised_at", "lead__user")
        .prefetch_related(
            Prefetch(
                "ownerships",
                queryset=ActionOwner.objects.select_related("person__user").order_by("position"),
            )
        )
        .order_by("due", "body__name", "number")
    )
    sent = set(
        ActionReminder.objects.filter(sent_on=today, action__in=actions).values_list(
            "action_id", "person_id"
        )
    )
    opted_out = set(
        NotificationOptOut.objects.filter(kind=NotificationKind.ACTION_REMINDER).values_list(
            "user_id", flat=True
        )
    )
    reminders: dict[int, Reminder] = {}
    for action in actions:
        for person in _people_of(action):
            if (action.pk, person.pk) in sent or person.user_id in opted_out:
                continue
            email = address_of(user=person.user if person.user_id else None, person=person)
            if not email:
                continue
            reminders.setdefault(person.pk, Reminder(person, email)).actions.append(action)
    return list(reminders.values())


def _people_of(action: Action) -> Iterable[Person]:
    seen: set[int] = set()
    for person in [action.lead, *(o.person for o in action.ownerships.all())]:
        if person is not None and person.pk not in seen:
            seen.add(person.pk)
            yield person

"""The accounts of the portal with their roles, and what was done to an account's roles."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db.models import Prefetch, QuerySet

from .. import roles
from ..models import AuditEvent

ACCOUNT_VERBS = (
    "user_created",
    "role_granted",
    "role_revoked",
    "user_deactivated",
    "user_reactivated",
    "sign_in_link_made",
)


@dataclass(frozen=True)
class Account:
    user: AbstractBaseUser
    roles: tuple[str, ...]  # in the order of roles.ALL
    person: str  # the name of the linked person, or ""


def _roles_of(user: AbstractBaseUser) -> tuple[str, ...]:
    names = {group.name for group in user.portal_groups}
    return tuple(role for role in roles.ALL if role in names)


def _accounts() -> QuerySet:
    return (
        get_user_model()
        .objects.select_related("person")
        .prefetch_related(
            Prefetch(
                "groups", queryset=Group.objects.filter(name__in=roles.ALL), to_attr="portal_groups"
            )
        )
    )


def _account(user: AbstractBaseUser) -> Account:
    person = getattr(user, "person", None)
    return Account(user=user, roles=_roles_of(user), person=person.name if person else "")


def account_list() -> list[Account]:
    """Every account, active first then by username, with its roles (two queries)."""
    return [_account(user) for user in _accounts().order_by("-is_active", "username")]


def account_detail(*, pk: int) -> Account | None:
    user = _accounts().filter(pk=pk).first()
    return _account(user) if user is not None else None


def account_history(*, user: AbstractBaseUser, limit: int = 50) -> QuerySet[AuditEvent]:
    """The latest audit events about ``user``'s account: created, roles, activity, links."""
    return (
        AuditEvent.objects.filter(meeting=None, verb__in=ACCOUNT_VERBS, extra__user_id=user.pk)
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )

"""Accounts and roles: who may grant which role to whom, creating and deactivating accounts.

The table is ``roles.GRANTS``. On top of it: nobody changes their own account's roles or
activity; an Administrator manages only accounts that are not superusers and hold no role
beyond those they may grant (so never a Signatory's or another Administrator's account, whose
password they could otherwise reset); only a superuser grants Signatory and Administrator; no
service ever changes the superuser flag. Every change is an audit event with no meeting.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .. import roles
from .editing import audit


def roles_held(user: AbstractBaseUser) -> frozenset[str]:
    """The portal roles ``user`` holds (their groups named in ``roles.ALL``)."""
    if not user.is_authenticated:
        return frozenset()
    return frozenset(user.groups.filter(name__in=roles.ALL).values_list("name", flat=True))


def grantable_roles(actor: AbstractBaseUser) -> frozenset[str]:
    """The roles ``actor`` may grant to and revoke from others."""
    if not actor.is_authenticated or not actor.is_active or not actor.has_perm(roles.CHANGE_USER):
        return frozenset()
    return roles.roles_grantable(held=roles_held(actor), is_superuser=actor.is_superuser)


def may_manage(actor: AbstractBaseUser, user: AbstractBaseUser) -> bool:
    """Whether ``actor`` may change ``user``'s roles, activity and password."""
    if not actor.is_authenticated or actor.pk == user.pk:
        return False
    grantable = grantable_roles(actor)
    if not grantable:
        return False
    if actor.is_superuser:
        return True
    return not user.is_superuser and roles_held(user) <= grantable


def _refuse_unless(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _check_change(*, actor: AbstractBaseUser, user: AbstractBaseUser, role: str) -> None:
    _refuse_unless(actor.pk != user.pk, "Nobody can change their own roles: ask someone else.")
    _refuse_unless(role in roles.ALL, f"There is no role {role!r}.")
    _refuse_unless(
        role in grantable_roles(actor),
        f"You may not grant or revoke the {role} role"
        + (": only a superuser can." if role in (roles.SIGNATORY, roles.ADMINISTRATOR) else "."),
    )
    _refuse_unless(
        may_manage(actor, user), f"You may not change the roles of {user.get_username()}."
    )


def _locked(user: AbstractBaseUser) -> AbstractBaseUser:
    return get_user_model().objects.select_for_update().get(pk=user.pk)


def _summary(actor: AbstractBaseUser, what: str) -> str:
    return f"{actor.get_username()} {what}"


def role_grant(*, actor: AbstractBaseUser, user: AbstractBaseUser, role: str) -> None:
    """Give ``user`` the role ``role``; an Administrator can then reach the admin site."""
    _role_change(actor=actor, user=user, role=role, grant=True)


def role_revoke(*, actor: AbstractBaseUser, user: AbstractBaseUser, role: str) -> None:
    """Take the role ``role`` from ``user`` (and the admin site with the Administrator role)."""
    _role_change(actor=actor, user=user, role=role, grant=False)


@transaction.atomic
def _role_change(*, actor: AbstractBaseUser, user: AbstractBaseUser, role: str, grant: bool):
    user = _locked(user)
    _check_change(actor=actor, user=user, role=role)
    if (role in roles_held(user)) == grant:
        return
    group = Group.objects.get(name=role)
    if grant:
        user.groups.add(group)
    else:
        user.groups.remove(group)
    # The admin site comes and goes with the Administrator role (a superuser keeps it).
    if role == roles.ADMINISTRATOR and user.is_staff != (grant or user.is_superuser):
        user.is_staff = grant or user.is_superuser
        user.save(update_fields=["is_staff"])
    what = f"granted the {role} role to" if grant else f"revoked the {role} role from"
    audit(
        actor,
        None,
        "role_granted" if grant else "role_revoked",
        _summary(actor, f"{what} {user.get_username()}"),
        user_id=user.pk,
        username=user.get_username(),
        role=role,
    )


@transaction.atomic
def user_create(
    *,
    actor: AbstractBaseUser,
    username: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    granted: frozenset[str] | set[str] = frozenset(),
) -> AbstractBaseUser:
    """A new account with no password yet (they choose it from ``sign_in_link``) and the roles
    ``granted``, each of which ``actor`` must be allowed to grant."""
    _refuse_unless(actor.has_perm(roles.ADD_USER), "You may not add users.")
    refused = set(granted) - grantable_roles(actor)
    _refuse_unless(not refused, f"You may not grant the {', '.join(sorted(refused))} role.")
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "There is already a user with that username."})
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    user.set_unusable_password()
    user.is_staff = roles.ADMINISTRATOR in granted
    user.save()
    audit(
        actor,
        None,
        "user_created",
        _summary(actor, f"created the account {username}"),
        user_id=user.pk,
        username=username,
    )
    for role in sorted(granted):
        role_grant(actor=actor, user=user, role=role)
    return user


@transaction.atomic
def user_set_active(*, actor: AbstractBaseUser, user: AbstractBaseUser, active: bool) -> None:
    """Deactivate (they can no longer sign in; their record stays) or reactivate ``user``."""
    user = _locked(user)
    _refuse_unless(actor.pk != user.pk, "You cannot deactivate your own account.")
    _refuse_unless(
        may_manage(actor, user), f"You may not deactivate or reactivate {user.get_username()}."
    )
    if user.is_active == active:
        return
    user.is_active = active
    user.save(update_fields=["is_active"])
    verb = "user_reactivated" if active else "user_deactivated"
    audit(
        actor,
        None,
        verb,
        _summary(actor, f"{'reactivated' if active else 'deactivated'} {user.get_username()}"),
        user_id=user.pk,
        username=user.get_username(),
    )


@transaction.atomic
def sign_in_link(*, actor: AbstractBaseUser, user: AbstractBaseUser) -> str:
    """The path at which ``user`` chooses a new password, valid once and for
    ``PASSWORD_RESET_TIMEOUT`` (an invitation for a new account). Making one is audited."""
    _refuse_unless(
        may_manage(actor, user), f"You may not make a sign-in link for {user.get_username()}."
    )
    audit(
        actor,
        None,
        "sign_in_link_made",
        _summary(actor, f"made a sign-in link for {user.get_username()}"),
        user_id=user.pk,
        username=user.get_username(),
    )
    return reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )

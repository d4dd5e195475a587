"""The Users pages: every account with its roles, adding an account, granting and revoking
roles and deactivating, by the rules of ``services/users.py`` (buttons are offered only where
the rules allow; a crafted post the rules refuse gets 403)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .. import roles
from ..forms import AccountActiveForm, RoleChangeForm, UserCreateForm
from ..selectors import users as selectors
from ..services import users as services
from .access import require_permission
from .editing import apply_service_errors


def _link_message(request: HttpRequest, user, path: str) -> None:
    messages.success(
        request,
        f"Send {user.get_username()} this link to choose their password. It works once, "
        f"for {_link_days()} days: {request.build_absolute_uri(path)}",
    )


def _link_days() -> int:
    from django.conf import settings

    return max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60))


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    require_permission(request, roles.VIEW_USER)
    return render(
        request,
        "meetings/users/user_list.html",
        {
            "accounts": selectors.account_list(),
            "can_add": request.user.has_perm(roles.ADD_USER),
            "grantable": sorted(services.grantable_roles(request.user), key=roles.ALL.index),
        },
    )


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    require_permission(request, roles.ADD_USER)
    grantable = services.grantable_roles(request.user)
    form = UserCreateForm(request.POST or None, grantable=grantable)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                actor=request.user,
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                granted=set(data["roles"]),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            _link_message(request, user, services.sign_in_link(actor=request.user, user=user))
            return redirect("meetings:user-detail", pk=user.pk)
    return render(request, "meetings/users/user_form.html", {"form": form})


def _target(request: HttpRequest, pk: int):
    require_permission(request, roles.VIEW_USER)
    return get_object_or_404(get_user_model(), pk=pk)


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _target(request, pk)
    account = selectors.account_detail(pk=user.pk)
    if account is None:
        raise Http404
    may_manage = services.may_manage(request.user, user)
    grantable = services.grantable_roles(request.user) if may_manage else frozenset()
    return render(
        request,
        "meetings/users/user_detail.html",
        {
            "account": account,
            "may_manage": may_manage,
            "is_self": request.user.pk == user.pk,
            "role_rows": [
                {"role": role, "held": role in account.roles, "may_change": role in grantable}
                for role in roles.ALL
            ],
            "history": selectors.account_history(user=user),
        },
    )


@login_required
@require_POST
def user_roles(request: HttpRequest, pk: int) -> HttpResponse:
    require_permission(request, roles.CHANGE_USER)
    user = _target(request, pk)
    form = RoleChangeForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Say which role to grant or revoke.")
    role, change = form.cleaned_data["role"], form.cleaned_data["change"]
    if change == "grant":
        services.role_grant(actor=request.user, user=user, role=role)
        messages.success(request, f"{user.get_username()} now has the {role} role.")
    else:
        services.role_revoke(actor=request.user, user=user, role=role)
        messages.success(request, f"{user.get_username()} no longer has the {role} role.")
    return redirect("meetings:user-detail", pk=user.pk)


@login_required
@require_POST
def user_active(request: HttpRequest, pk: int) -> HttpResponse:
    require_permission(request, roles.CHANGE_USER)
    user = _target(request, pk)
    form = AccountActiveForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Say whether to deactivate or reactivate the account.")
    active = form.cleaned_data["active"]
    services.user_set_active(actor=request.user, user=user, active=active)
    messages.success(
        request,
        f"{user.get_username()} can sign in again."
        if active
        else f"{user.get_username()} can no longer sign in. Their record is kept.",
    )
    return redirect("meetings:user-detail", pk=user.pk)


@login_required
@require_POST
def user_sign_in_link(request: HttpRequest, pk: int) -> HttpResponse:
    require_permission(request, roles.CHANGE_USER)
    user = _target(request, pk)
    _link_message(request, user, services.sign_in_link(actor=request.user, user=user))
    return redirect("meetings:user-detail", pk=user.pk)

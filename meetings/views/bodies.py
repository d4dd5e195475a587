"""Bodies: the boards and meeting series, each with its meetings, its open actions and the
style its record is printed in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .. import roles
from ..forms import BodyForm
from ..selectors import bodies as selectors
from ..selectors.action_log import open_actions_of_body
from ..services import bodies as services
from ..services.editing import EditConflict
from .access import get_body_for_user, require_permission
from .editing import apply_service_errors, keep_typed_over_newer_version


@login_required
def body_list(request: HttpRequest) -> HttpResponse:
    require_permission(request, roles.VIEW_MEETING)
    return render(
        request,
        "meetings/bodies/body_list.html",
        {
            "bodies": selectors.body_list(),
            "can_add": request.user.has_perm(roles.ADD_BODY),
        },
    )


@login_required
def body_create(request: HttpRequest) -> HttpResponse:
    require_permission(request, roles.ADD_BODY)
    form = BodyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            body = services.body_create(user=request.user, **form.body_fields())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"The body “{body.name}” was created.")
            return redirect(body)
    return render(request, "meetings/bodies/body_form.html", {"form": form, "body": None})


@login_required
def body_detail(request: HttpRequest, pk: int) -> HttpResponse:
    body = get_body_for_user(request, pk)
    user = request.user
    return render(
        request,
        "meetings/bodies/body_detail.html",
        {
            "body": body,
            "style": body.print_style,
            "meetings": selectors.body_meetings(body=body),
            "actions": open_actions_of_body(body=body),
            "can_change": user.has_perm(roles.CHANGE_BODY),
            "can_add_meeting": user.has_perm(roles.EDIT_NOTE),
        },
    )


@login_required
def body_update(request: HttpRequest, pk: int) -> HttpResponse:
    body = get_body_for_user(request, pk, edit=True)
    form = BodyForm(request.POST or None, initial=BodyForm.initial_for(body))
    if request.method == "POST" and form.is_valid():
        try:
            services.body_update(
                user=request.user,
                body=body,
                expected_version=form.cleaned_data["version"],
                **form.body_fields(),
            )
        except EditConflict as conflict:
            keep_typed_over_newer_version(
                request, form, what="body", current_version=conflict.current.version
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"The body “{body.name}” was saved.")
            return redirect(body)
    return render(request, "meetings/bodies/body_form.html", {"form": form, "body": body})

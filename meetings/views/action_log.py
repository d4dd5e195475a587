"""The action log: the actions open at a meeting, raising and correcting them, progress
recorded at later meetings, and a person's own actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from scrutiny import cache as keys

from .. import roles
from ..forms import ActionForm, ActionUpdateForm
from ..models import Action
from ..selectors import action_log as selectors
from ..selectors import history
from ..services import action_log
from ..services.editing import EditConflict
from ..services.note_versions import NOTE_CACHE_SECONDS, current_notes_version
from .access import get_action_for_user, get_meeting_for_user, not_editable
from .editing import (
    apply_service_errors,
    confirm_delete,
    deleted_fragment,
    keep_typed_over_newer_version,
    restore,
)

# The log of a long-running body grows with every meeting: shown a page at a time, 25 as the
# meetings list (the rows are the page's largest cost: 50 took it from 20 to 25 ms).
ACTIONS_PER_PAGE = 25


@login_required
def action_log_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Every action still open at this meeting, wherever it was raised, and a form to raise one."""
    notes_version = current_notes_version()  # before anything it covers is read
    meeting = get_meeting_for_user(request, pk)
    can_edit = meeting.is_editable and request.user.has_perm(roles.EDIT_NOTE)
    form = ActionForm(request.POST or None, meeting=meeting)
    if request.method == "POST":
        if not request.user.has_perm(roles.EDIT_NOTE):
            raise PermissionDenied
        if refusal := not_editable(request, meeting):
            return refusal
        if form.is_valid():
            try:
                action = action_log.action_raise(
                    user=request.user, meeting=meeting, **form.action_fields()
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"Action {action.number} added to the log.")
                return redirect("meetings:action-log", pk=meeting.pk)
    page = request.GET.get("page")

    def make() -> dict:
        shown = Paginator(selectors.action_log_for(meeting=meeting), ACTIONS_PER_PAGE).get_page(
            page
        )
        rows = selectors.log_rows(shown, meeting=meeting, can_edit=can_edit)
        made = {
            "log_html": keys.fragment(
                "meetings/action_log/_log.html",
                {"actions": shown, "rows": rows, "can_edit": can_edit},
            )
        }
        if can_edit:
            deleted = history.deleted_actions(meeting=meeting)
            made["deleted_html"] = deleted_fragment(
                deleted, restore_url="meetings:action-restore", parent=meeting.pk
            )
            made["people_html"] = str(selectors.people_for_picker())
        return made

    # The page of the log, the deleted actions and the people to pick from, read once per
    # version of the notes (services/note_versions.py: the actions, their owners, updates and
    # meetings, the people, who deleted what); a page asked for by anything but a plain number
    # is never kept (keys.page_part).
    part = keys.page_part(page)
    cache_key = keys.key("action-log", meeting.pk, notes_version, can_edit, part)
    shown = keys.kept_fragments(
        request, cache_key, make, timeout=NOTE_CACHE_SECONDS, keep=part is not None
    )
    return render(
        request,
        "meetings/action_log/action_log.html",
        {"meeting": meeting, "form": form, "can_edit": can_edit, **shown},
    )


@login_required
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct an action while the meeting that raised it is still a draft."""
    action = get_action_for_user(request, pk)
    meeting = action.raised_at
    if refusal := not_editable(request, meeting):
        return refusal
    form = ActionForm(request.POST or None, initial=ActionForm.initial_for(action), meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            action_log.action_edit(
                user=request.user,
                action=action,
                expected_version=form.cleaned_data["version"],
                **form.action_fields(),
            )
        except EditConflict as conflict:
            keep_typed_over_newer_version(
                request, form, what="action", current_version=conflict.current.version
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Action {action.number} saved.")
            return redirect("meetings:action-log", pk=meeting.pk)
    return render(
        request,
        "meetings/action_log/action_form.html",
        {
            "meeting": meeting,
            "action": action,
            "form": form,
            "people": selectors.people_for_picker(),
        },
    )


@login_required
def action_delete(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_action_for_user(request, pk)
    meeting = action.raised_at
    if refusal := not_editable(request, meeting):
        return refusal
    return confirm_delete(
        request,
        meeting=meeting,
        question=f"Delete action {action.number}, “{action.description[:80]}”?",
        confirm_label="Delete the action",
        back=reverse("meetings:action-log", args=[meeting.pk]),
        delete=lambda: action_log.action_delete(user=request.user, action=action),
        done=f"Action {action.number} deleted.",
    )


@login_required
@require_POST
def action_restore(request: HttpRequest, pk: int, action_id: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk, edit=True)
    if refusal := not_editable(request, meeting):
        return refusal
    return restore(
        request,
        restore=lambda: action_log.action_restore(
            user=request.user, meeting=meeting, action_id=action_id
        ),
        done=lambda action: f"Action {action.number} restored.",
        back=reverse("meetings:action-log", args=[meeting.pk]),
    )


@login_required
def action_update(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    """Record progress on an action at a meeting (closing it records when and where)."""
    meeting = get_meeting_for_user(request, meeting_pk, edit=True)
    if refusal := not_editable(request, meeting):
        return refusal
    action = get_object_or_404(
        Action.objects.select_related("raised_at", "item", "body", "lead").prefetch_related(
            "ownerships__person"
        ),
        pk=pk,
    )
    form = ActionUpdateForm(request.POST or None, initial={"status": action.status})
    if request.method == "POST" and form.is_valid():
        try:
            action_log.action_update_record(
                user=request.user,
                action=action,
                meeting=meeting,
                text=form.cleaned_data["text"],
                status=form.cleaned_data["status"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Action {action.number} updated.")
            return HttpResponseRedirect(
                reverse("meetings:action-log", args=[meeting.pk]) + f"#action-{action.number}"
            )
    return render(
        request,
        "meetings/action_log/action_update_form.html",
        {"meeting": meeting, "action": action, "form": form},
    )


@login_required
def my_actions(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "meetings/action_log/my_actions.html",
        {"actions": selectors.actions_owned_by(user=request.user)},
    )

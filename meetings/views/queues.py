"""Each role's home: the work waiting for the person signed in."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .. import roles
from ..selectors import queues
from .access import require_permission


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    """Where signing in lands: each queue the user's roles give them, then their actions."""
    user = request.user
    context: dict = {
        "actions": queues.my_open_actions(user=user),
        "horizon": queues.reminder_horizon(),
        "today": timezone.localdate(),
    }
    if user.has_perm(roles.EDIT_NOTE):
        context.update(
            returned=queues.returned_notes(),
            drafts=queues.draft_notes(),
            coming_up=queues.meetings_coming_up(),
        )
    if user.has_perm(roles.PUBLISH_NOTE):
        context["to_publish"] = queues.signed_not_published()
    if user.has_perm(roles.SIGN_NOTE):
        context["to_sign"] = queues.notes_awaiting_signature()
    if user.has_perm(roles.RECORD_CONCLUSION):
        context["to_conclude"] = queues.reports_awaiting_conclusion()
    return render(request, "meetings/queues/my_work.html", context)


@login_required
def publication_tracker(request: HttpRequest) -> HttpResponse:
    """Each signed note's publication against the deadline (the Specified Information Order's
    duty to publish the record of meetings), overdue ones highlighted."""
    require_permission(request, roles.PUBLISH_NOTE)
    return render(
        request,
        "meetings/queues/publication_tracker.html",
        {"entries": queues.publication_tracker(), "days": settings.PUBLICATION_DEADLINE_DAYS},
    )

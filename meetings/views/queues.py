"""Each role's home: the work waiting for the person signed in."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .. import roles
from ..selectors import queues


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

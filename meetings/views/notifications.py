"""The emails a person receives: one preferences page, a box per kind."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ..forms import NotificationPreferencesForm
from ..models import NotificationKind
from ..selectors.notifications import opted_out_kinds
from ..services import notifications


@login_required
def notification_preferences(request: HttpRequest) -> HttpResponse:
    refused = opted_out_kinds(user=request.user)
    form = NotificationPreferencesForm(
        request.POST or None,
        initial={"receives": [kind for kind in NotificationKind.values if kind not in refused]},
    )
    if request.method == "POST" and form.is_valid():
        notifications.notification_preferences_set(
            user=request.user, receives=form.cleaned_data["receives"]
        )
        messages.success(request, "Your email preferences are saved.")
        return redirect("meetings:notification-preferences")
    return render(
        request,
        "meetings/notifications/preferences.html",
        {"form": form, "address": request.user.email},
        status=400 if form.is_bound else 200,
    )

"""Starting the next meeting of a series from the one before it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ..forms import NextMeetingForm
from ..services import series
from .access import get_meeting_for_user
from .editing import apply_service_errors


@login_required
def meeting_next(request: HttpRequest, pk: int) -> HttpResponse:
    previous = get_meeting_for_user(request, pk, edit=True)
    form = NextMeetingForm(request.POST or None, initial={"venue": previous.venue})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = series.meeting_create_from_previous(
                user=request.user,
                previous=previous,
                start=data["start"],
                end=data["end"],
                venue=data["venue"] or previous.venue,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{meeting} created from {previous}: check the attendance carried over, then "
                "write the note.",
            )
            return redirect(meeting)
    return render(request, "meetings/series/meeting_next.html", {"meeting": previous, "form": form})

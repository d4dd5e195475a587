"""Starting the next meeting of a body from the one before it, and recording under an item
whether the record of the previous meeting was approved."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ..forms import NextMeetingForm, PreviousMinutesForm
from ..selectors.note import item_label
from ..services import series
from ..services.editing import EditConflict
from .access import get_item_for_user, get_meeting_for_user, not_editable
from .editing import apply_service_errors, keep_typed_over_newer_version


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
                **form.times(),
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
    return render(
        request,
        "meetings/series/meeting_next.html",
        {"meeting": previous, "form": form, "standard_items": previous.body.standard_item_titles()},
    )


@login_required
def previous_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """Under an item: the earlier meeting of the body whose record it approves, and whether it
    was approved, approved with amendments or not approved (to be resubmitted)."""
    item = get_item_for_user(request, pk)
    meeting = item.meeting
    if refusal := not_editable(request, meeting):
        return refusal
    initial = PreviousMinutesForm.initial_for(item)
    form = PreviousMinutesForm(request.POST or None, initial=initial, item=item)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            series.agenda_item_previous_minutes_record(
                user=request.user,
                item=item,
                previous_meeting=data["previous_meeting"],
                outcome=data["outcome"],
                note=data["note"],
                expected_version=data["version"],
            )
        except EditConflict as conflict:
            keep_typed_over_newer_version(
                request, form, what="item", current_version=conflict.current.version
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"The previous meeting's record under “{item.title}” saved.")
            return redirect("meetings:agenda-edit", pk=meeting.pk)
    return render(
        request,
        "meetings/series/previous_minutes.html",
        {"meeting": meeting, "item": item, "label": item_label(item=item), "form": form},
    )

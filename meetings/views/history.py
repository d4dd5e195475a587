"""Who did what to a note and when, and the differences between versions of an item's note."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from ..selectors import history
from .access import get_meeting_for_user


@login_required
def meeting_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Who did what to this note and when: audit events and every saved version of each item."""
    meeting = get_meeting_for_user(request, pk)
    return render(
        request,
        "meetings/history/meeting_history.html",
        {"meeting": meeting, **history.meeting_history(meeting=meeting)},
    )


@login_required
def item_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The versions of one item's note, and the differences between two of them."""
    versions = history.item_versions(item_id=pk)
    if not versions:
        raise Http404
    meeting = get_meeting_for_user(request, versions[0].meeting_id)
    by_id = {str(version.history_id): version for version in versions}
    newer = by_id.get(request.GET.get("new", ""), versions[0])
    older = by_id.get(request.GET.get("old", ""), versions[1] if len(versions) > 1 else newer)
    return render(
        request,
        "meetings/history/item_history.html",
        {
            "meeting": meeting,
            "versions": versions,
            "older": older,
            "newer": newer,
            "diff": history.narrative_diff(older.narrative, newer.narrative),
        },
    )

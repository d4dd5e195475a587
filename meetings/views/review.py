"""The Commissioner's review: open exception reports, how long each has been red, the force's
account and plans, the chart, and the conclusion to record."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from scrutiny import cache as keys

from .. import roles
from ..forms import ConclusionForm
from ..models import Meeting
from ..selectors.exception_reports import red_spells, report_charts, reports_for_review
from ..services import exception_reports
from ..services.note_versions import NOTE_CACHE_SECONDS, current_notes_version
from .access import get_report_for_user
from .editing import apply_service_errors
from .exception_reports import report_context


@login_required
def review(request: HttpRequest) -> HttpResponse:
    """The Commissioner's review: open exception reports, how long each has been red, the
    force's account and plans, and a conclusion to record."""
    notes_version = current_notes_version()  # before anything it covers is read
    if not request.user.has_perm(roles.VIEW_MEETING):
        raise PermissionDenied
    can_conclude = request.user.has_perm(roles.RECORD_CONCLUSION)
    kept = keys.kept_fragments(
        request,
        keys.key("review", notes_version, can_conclude),
        lambda: {"entries_html": _review_entries(can_conclude=can_conclude)},
        timeout=NOTE_CACHE_SECONDS,
    )
    return render(request, "meetings/review/review.html", {**kept, "can_conclude": can_conclude})


def _review_entries(*, can_conclude: bool) -> str:
    """The open reports as the review shows them: rendered once per version of the notes
    (``services/note_versions.py``: the reports, their meetings, plans, aims and frozen
    comparisons, and who concluded), then read from the cache."""
    reports = list(reports_for_review())
    spells = red_spells(reports)
    charts = report_charts(reports)
    return keys.fragment(
        "meetings/review/_entries.html",
        {
            "entries": [
                {
                    "report": report,
                    "spell": spells.get(report.pk),
                    "chart": charts.get(report.pk),
                }
                for report in reports
            ],
            "can_conclude": can_conclude,
        },
    )


@login_required
def conclusion(request: HttpRequest, pk: int) -> HttpResponse:
    """The Commissioner's conclusion on one report, or its deferral to a later meeting."""
    report = get_report_for_user(request, pk, edit=False)
    if not request.user.has_perm(roles.RECORD_CONCLUSION):
        raise PermissionDenied
    initial = {
        "conclusion": ConclusionForm.DEFER if report.deferred_to_id else report.conclusion,
        "comments": report.conclusion_comments,
        "return_requested": report.return_requested,
        "return_by": report.return_by,
        "deferred_to": report.deferred_to_id,
        "deferral_reason": report.deferral_reason,
    }
    form = ConclusionForm(request.POST or None, initial=initial, report=report)
    open_for_conclusions = report.meeting.status == Meeting.Status.DRAFT
    if request.method == "POST" and open_for_conclusions and form.is_valid():
        data = form.cleaned_data
        try:
            if data["conclusion"] == ConclusionForm.DEFER:
                exception_reports.exception_report_defer(
                    user=request.user,
                    report=report,
                    to=data["deferred_to"],
                    reason=data["deferral_reason"],
                )
                done = f"The report on {report.category_name} returns to the {data['deferred_to']}."
            else:
                exception_reports.conclusion_record(
                    user=request.user,
                    report=report,
                    conclusion=data["conclusion"],
                    comments=data["comments"],
                    return_requested=data["return_requested"],
                    return_by=data["return_by"],
                )
                done = f"Conclusion on {report.category_name} recorded."
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("meetings:review")
    context = report_context(report)
    return render(
        request,
        "meetings/review/conclusion_form.html",
        {**context, "form": form, "open_for_conclusions": open_for_conclusions},
    )

"""The Commissioner's review: open exception reports, how long each has been red, the force's
account and plans, the chart, and the conclusion to record."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .. import roles
from ..forms import ConclusionForm
from ..selectors.exception_reports import red_spells, report_charts, reports_for_review
from ..services import exception_reports
from .access import get_report_for_user
from .editing import apply_service_errors
from .exception_reports import report_context


@login_required
def review(request: HttpRequest) -> HttpResponse:
    """The Commissioner's review: open exception reports, how long each has been red, the
    force's account and plans, and a conclusion to record."""
    if not request.user.has_perm(roles.VIEW_MEETING):
        raise PermissionDenied
    reports = list(reports_for_review())
    spells = red_spells(reports)
    charts = report_charts(reports)
    return render(
        request,
        "meetings/review/review.html",
        {
            "entries": [
                {
                    "report": report,
                    "spell": spells.get(report.pk),
                    "chart": charts.get(report.pk),
                }
                for report in reports
            ],
            "can_conclude": request.user.has_perm(roles.RECORD_CONCLUSION),
        },
    )


@login_required
def conclusion(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request, pk, edit=False)
    if not request.user.has_perm(roles.RECORD_CONCLUSION):
        raise PermissionDenied
    initial = {
        "conclusion": report.conclusion,
        "comments": report.conclusion_comments,
        "return_requested": report.return_requested,
        "return_by": report.return_by,
    }
    form = ConclusionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            exception_reports.conclusion_record(
                user=request.user,
                report=report,
                conclusion=data["conclusion"],
                comments=data["comments"],
                return_requested=data["return_requested"],
                return_by=data["return_by"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Conclusion on {report.category_name} recorded.")
            return redirect("meetings:review")
    context = report_context(report)
    return render(request, "meetings/review/conclusion_form.html", {**context, "form": form})

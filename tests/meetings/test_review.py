"""The Commissioner's review of open exception reports, and recording conclusions."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from meetings.models import ExceptionReport
from meetings.services import exception_reports
from tests.factories import LONDON, BodyFactory, ExceptionReportFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def test_the_review_lists_open_reports_and_only_reviewers_conclude(commissioner_client, staff):
    from django.test import Client

    staff_client = Client()
    staff_client.force_login(staff)
    report = ExceptionReportFactory(category_name="Other sexual offences", concern="Still red")
    page = commissioner_client.get(reverse("meetings:review")).content.decode()
    assert "Other sexual offences" in page and "Record a conclusion" in page
    assert (
        "Record a conclusion" not in staff_client.get(reverse("meetings:review")).content.decode()
    )
    url = reverse("meetings:conclusion", args=[report.pk])
    assert staff_client.post(url, {"conclusion": "assured"}).status_code == 403
    response = commissioner_client.post(
        url, {"conclusion": "partly_assured", "comments": "Good direction of travel."}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.conclusion == ExceptionReport.Conclusion.PARTLY_ASSURED
    assert report.concluded_by.username == "test-commissioner"


def test_not_assured_needs_a_comment(commissioner, commissioner_client):
    report = ExceptionReportFactory()
    response = commissioner_client.post(
        reverse("meetings:conclusion", args=[report.pk]),
        {"conclusion": "not_assured", "comments": " "},
    )
    assert "comments" in response.context["form"].errors
    with pytest.raises(ValidationError):
        exception_reports.conclusion_record(
            user=commissioner, report=report, conclusion="not_assured", comments=""
        )
    report.refresh_from_db()
    assert report.conclusion == ""


def test_staff_cannot_record_conclusions(staff):
    with pytest.raises(PermissionDenied):
        exception_reports.conclusion_record(
            user=staff, report=ExceptionReportFactory(), conclusion="assured", comments=""
        )


def test_a_staff_save_keeps_the_commissioners_conclusion(staff, commissioner):
    report = ExceptionReportFactory(concern="Old")
    stale = ExceptionReport.objects.get(pk=report.pk)  # staff opened the report
    exception_reports.conclusion_record(
        user=commissioner, report=report, conclusion="not_assured", comments="Still red."
    )
    exception_reports.exception_report_update(
        user=staff, report=stale, expected_version=stale.version, concern="New"
    )
    report.refresh_from_db()
    assert (report.concern, report.conclusion, report.conclusion_comments) == (
        "New",
        "not_assured",
        "Still red.",
    )


def test_a_report_deferred_to_a_later_meeting_returns_there(staff, commissioner_client):
    report = ExceptionReportFactory(meeting__start=dt.datetime(2013, 12, 23, 14, tzinfo=LONDON))
    later = MeetingFactory(start=dt.datetime(2014, 3, 24, 14, tzinfo=LONDON))
    earlier = MeetingFactory(start=dt.datetime(2013, 9, 23, 14, tzinfo=LONDON))
    url = reverse("meetings:conclusion", args=[report.pk])
    missing = commissioner_client.post(url, {"conclusion": "deferred"})
    assert "Select the meeting the report returns to." in missing.content.decode()
    crafted = commissioner_client.post(url, {"conclusion": "deferred", "deferred_to": earlier.pk})
    assert crafted.status_code == 200  # refused: the choice is not offered
    report.refresh_from_db()
    assert report.deferred_to is None
    commissioner_client.post(
        url, {"conclusion": "deferred", "deferred_to": later.pk, "deferral_reason": "New plan."}
    )
    report.refresh_from_db()
    assert (report.deferred_to, report.conclusion, report.deferral_reason) == (
        later,
        "",
        "New plan.",
    )
    proposed = exception_reports.exception_reports_propose(user=staff, meeting=later)
    assert [(r.category_slug, r.returns_from) for r in proposed] == [(report.category_slug, report)]


def test_a_deferral_needs_a_later_meeting_of_the_series(commissioner):
    report = ExceptionReportFactory(meeting__start=dt.datetime(2013, 12, 23, 14, tzinfo=LONDON))
    earlier = MeetingFactory(start=dt.datetime(2013, 9, 23, 14, tzinfo=LONDON))
    other_series = MeetingFactory(
        body=BodyFactory(name="Executive Board"), start=dt.datetime(2014, 1, 6, 10, tzinfo=LONDON)
    )
    for meeting in (earlier, other_series, report.meeting):
        with pytest.raises(ValidationError, match="later meeting of this series"):
            exception_reports.exception_report_defer(user=commissioner, report=report, to=meeting)


def test_the_note_calls_the_commissioners_conclusion_what_the_review_calls_it(
    commissioner, staff_client
):
    """One word for it everywhere: the review, the report editor, the note and the PDF."""
    from meetings.selectors.exception_reports import note_performance
    from meetings.selectors.note import meeting_note

    report = ExceptionReportFactory(
        category_name="Other sexual offences", status=ExceptionReport.Status.ACCEPTED
    )
    exception_reports.conclusion_record(
        user=commissioner, report=report, conclusion="not_assured", comments="Still red."
    )
    meeting = report.meeting
    page = staff_client.get(meeting.get_absolute_url()).content.decode()
    assert '<span class="fw-bold">Conclusion:</span> Not assured' in page
    assert "Outcome:" not in page
    from django.template.loader import render_to_string

    pdf_part = render_to_string(
        "meetings/pdf/_exception_reports.html",
        {"note": meeting_note(meeting=meeting), **note_performance(meeting=meeting)},
    )
    assert '<span class="label">Conclusion:</span> Not assured' in pdf_part
    editor = staff_client.get(
        reverse("meetings:exception-report-update", args=[report.pk])
    ).content.decode()
    assert "Conclusion, as the note records it" in editor


def test_the_review_draws_each_chart_once_and_then_reads_no_comparison(
    national, staff, commissioner_client, monkeypatch
):
    """A chart, its row and its period are cached together under the frozen comparison's
    version: a page of charts does not unpickle every comparison again; a refresh (a new
    version) draws them afresh."""
    from meetings.models import FrozenComparison
    from performance.periods import Period

    meeting = MeetingFactory(start=dt.datetime(2013, 12, 23, 14, tzinfo=LONDON))
    exception_reports.comparison_freeze(user=staff, meeting=meeting, period=Period.parse("2013-10"))
    frozen = FrozenComparison.objects.get(meeting=meeting)
    row = next(row for row in frozen.comparison.rows if row.is_complete)
    ExceptionReportFactory(
        meeting=meeting, category_slug=row.category_slug, category_name=row.category_name
    )
    url = reverse("meetings:review")

    def page() -> str:  # without what differs on every request (the CSRF token, the nonce)
        html = commissioner_client.get(url).content.decode()
        return re.sub(r'(name="csrfmiddlewaretoken" value|nonce)="[^"]*"', "", html)

    first = page()
    assert "data:image/svg+xml;base64," in first and f"{row.rate:.2f}" in first

    def unread(self):
        raise AssertionError("the whole comparison was read for a cached chart")

    with monkeypatch.context() as patched:
        patched.setattr(FrozenComparison, "comparison", property(unread))
        assert page() == first
    frozen.version += 1
    frozen.save()
    with monkeypatch.context() as patched:
        read = []
        original = FrozenComparison.comparison.fget
        patched.setattr(
            FrozenComparison, "comparison", property(lambda self: read.append(1) or original(self))
        )
        assert page() == first
        assert read, "a new version of the comparison must be drawn again"

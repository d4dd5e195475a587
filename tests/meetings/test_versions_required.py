"""A save without the version of what the user loaded is refused, never an overwrite."""

import pytest
from django.urls import reverse

from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    AgendaItemFactory,
    AttendanceFactory,
    DecisionFactory,
    ExceptionReportFactory,
    MeetingFactory,
)

pytestmark = pytest.mark.django_db

OUT_OF_DATE = "This page is out of date: reload it."


def _item():
    item = AgendaItemFactory(narrative="Saved note")
    return (
        reverse("meetings:item-update", args=[item.pk]),
        {"title": item.title, "narrative": "Overwritten?", "save": ""},
        lambda: item.__class__.objects.get(pk=item.pk).narrative == "Saved note",
    )


def _meeting():
    meeting = MeetingFactory(title="Original title")
    return (
        reverse("meetings:meeting-update", args=[meeting.pk]),
        {
            "title": "Overwritten?",
            "date": "2013-12-23",
            "start_time": "14:00",
            "numbering": "letters",
        },
        lambda: meeting.__class__.objects.get(pk=meeting.pk).title == "Original title",
    )


def _attendance():
    attendance = AttendanceFactory(role="Original role")
    return (
        reverse("meetings:attendance-update", args=[attendance.pk]),
        {"person": attendance.person_id, "kind": "present", "role": "Overwritten?"},
        lambda: attendance.__class__.objects.get(pk=attendance.pk).role == "Original role",
    )


def _decision():
    decision = DecisionFactory(text="Original decision")
    return (
        reverse("meetings:decision-update", args=[decision.pk]),
        {"text": "Overwritten?"},
        lambda: decision.__class__.objects.get(pk=decision.pk).text == "Original decision",
    )


def _report():
    report = ExceptionReportFactory(concern="Original concern")
    return (
        reverse("meetings:exception-report-update", args=[report.pk]),
        {"concern": "Overwritten?"},
        lambda: report.__class__.objects.get(pk=report.pk).concern == "Original concern",
    )


def _plan():
    plan = ActionPlanFactory(name="Original plan")
    return (
        reverse("meetings:action-plan-update", args=[plan.pk]),
        {"name": "Overwritten?"},
        lambda: plan.__class__.objects.get(pk=plan.pk).name == "Original plan",
    )


def _action():
    action = ActionFactory(description="Original action")
    return (
        reverse("meetings:action-edit", args=[action.pk]),
        {"description": "Overwritten?", "new_owner": "Someone"},
        lambda: action.__class__.objects.get(pk=action.pk).description == "Original action",
    )


@pytest.mark.parametrize(
    "edit",
    [_item, _meeting, _attendance, _decision, _report, _plan, _action],
    ids=lambda f: f.__name__.strip("_"),
)
def test_a_save_without_the_version_is_refused_and_keeps_what_was_typed(staff_client, edit):
    url, data, unchanged = edit()
    response = staff_client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert OUT_OF_DATE in page
    assert "Overwritten?" in page  # what was typed is still in the form
    assert unchanged()


@pytest.mark.parametrize("version", ["", "abc", "0", "-1", str(2**40)])
def test_a_tampered_version_is_refused_too(staff_client, version):
    item = AgendaItemFactory(narrative="Saved note")
    response = staff_client.post(
        reverse("meetings:item-update", args=[item.pk]),
        {"title": item.title, "narrative": "Overwritten?", "version": version, "save": ""},
    )
    assert response.status_code == 200
    assert OUT_OF_DATE in response.content.decode()
    item.refresh_from_db()
    assert item.narrative == "Saved note"


def test_creating_needs_no_version(staff_client):
    meeting = MeetingFactory()
    response = staff_client.post(
        reverse("meetings:decision-create", args=[AgendaItemFactory(meeting=meeting).pk]),
        {"text": "RESOLVED: noted."},
    )
    assert response.status_code == 302

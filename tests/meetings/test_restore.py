"""Deleting from a draft asks first, and what was deleted can be restored until signing."""

import pytest
from django.urls import reverse

from meetings.models import AgendaItem, Attendance, NoteFrozen
from meetings.selectors import history
from meetings.services import note as services
from meetings.services import sign_off
from meetings.services.editing import NoteNotEditable
from tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    DecisionFactory,
    MeetingFactory,
    note_signed,
)

pytestmark = pytest.mark.django_db


def test_a_deleted_item_comes_back_with_its_note_and_decisions(staff, staff_client):
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting, position=1, title="Kept")
    item = AgendaItemFactory(
        meeting=meeting,
        position=2,
        title="Deleted by mistake",
        narrative="A long note that took an hour to write.",
    )
    DecisionFactory(item=item, text="RESOLVED: noted.")
    staff_client.post(reverse("meetings:item-delete", args=[item.pk]))
    assert not AgendaItem.objects.filter(pk=item.pk).exists()
    page = staff_client.get(reverse("meetings:agenda-edit", args=[meeting.pk])).content.decode()
    assert "Recently deleted" in page and "Deleted by mistake" in page
    response = staff_client.post(reverse("meetings:item-restore", args=[meeting.pk, item.pk]))
    assert response.status_code == 302
    restored = AgendaItem.objects.get(pk=item.pk)
    assert restored.narrative == "A long note that took an hour to write."
    assert restored.position == 2
    assert list(restored.decisions.values_list("text", flat=True)) == ["RESOLVED: noted."]
    assert history.deleted_items(meeting=meeting) == []


def test_a_removed_attendee_comes_back(staff, staff_client):
    attendance = AttendanceFactory(person__name="Larry Weir", role="Corporate Development")
    meeting = attendance.meeting
    staff_client.post(reverse("meetings:attendance-remove", args=[attendance.pk]))
    page = staff_client.get(reverse("meetings:attendance-edit", args=[meeting.pk]))
    assert "Larry Weir" in page.content.decode()
    staff_client.post(reverse("meetings:attendance-restore", args=[meeting.pk, attendance.pk]))
    assert Attendance.objects.get(pk=attendance.pk).role == "Corporate Development"


def test_a_person_listed_again_meanwhile_is_not_restored_twice(staff, staff_client):
    attendance = AttendanceFactory()
    meeting, person, removed_id = attendance.meeting, attendance.person, attendance.pk
    services.attendance_remove(user=staff, attendance=attendance)
    services.attendance_add(user=staff, meeting=meeting, person=person)
    response = staff_client.post(
        reverse("meetings:attendance-restore", args=[meeting.pk, removed_id]), follow=True
    )
    assert "already listed" in response.content.decode()
    assert meeting.attendances.count() == 1


def test_nothing_can_be_restored_into_a_signed_note(staff, chief_executive):
    meeting = MeetingFactory()
    AttendanceFactory(meeting=meeting)
    AgendaItemFactory(meeting=meeting, position=1)
    gone = AgendaItemFactory(meeting=meeting, position=2)
    gone_id = gone.pk
    services.agenda_item_delete(user=staff, item=gone)
    sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
    note_signed(user=chief_executive, meeting=meeting)
    with pytest.raises(NoteNotEditable):
        services.agenda_item_restore(user=staff, meeting=meeting, item_id=gone_id)
    with pytest.raises(NoteFrozen):
        AgendaItem.history.filter(id=gone_id, history_type="-").first().instance.save()


def test_a_deleted_decision_comes_back(staff_client):
    decision = DecisionFactory(text="RESOLVED: That the plan be approved.")
    item, decision_id = decision.item, decision.pk
    staff_client.post(reverse("meetings:decision-delete", args=[decision_id]))
    page = staff_client.get(reverse("meetings:item-update", args=[item.pk])).content.decode()
    assert "Recently deleted" in page and "RESOLVED: That the plan be approved." in page
    staff_client.post(reverse("meetings:decision-restore", args=[item.pk, decision_id]))
    assert item.decisions.get().text == "RESOLVED: That the plan be approved."


def test_a_deleted_action_plan_comes_back_with_its_aims(staff_client):
    from tests.factories import AimFactory

    first = AimFactory(text="Community Engagement", position=1)
    plan = first.plan
    AimFactory(plan=plan, text="Wildlife Crime", position=2)
    report, plan_id = plan.report, plan.pk
    staff_client.post(reverse("meetings:action-plan-delete", args=[plan_id]))
    assert not report.action_plans.exists()
    page = staff_client.get(reverse("meetings:exception-report-update", args=[report.pk]))
    assert "Recently deleted" in page.content.decode()
    staff_client.post(reverse("meetings:action-plan-restore", args=[report.pk, plan_id]))
    restored = report.action_plans.get()
    assert list(restored.aims.values_list("position", "text")) == [
        (1, "Community Engagement"),
        (2, "Wildlife Crime"),
    ]


def test_a_deleted_aim_comes_back_at_the_end(staff_client):
    from tests.factories import AimFactory

    first = AimFactory(text="One", position=1)
    plan = first.plan
    AimFactory(plan=plan, text="Two", position=2)
    first_id = first.pk
    staff_client.post(reverse("meetings:aim-delete", args=[first_id]))
    staff_client.post(reverse("meetings:aim-restore", args=[plan.pk, first_id]))
    assert list(plan.aims.values_list("position", "text")) == [(1, "Two"), (2, "One")]

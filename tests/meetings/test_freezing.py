"""Once signed, the meeting and everything in it cannot change through any path."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from meetings.models import AgendaItem, Attendance, Decision, Meeting, NoteFrozen
from meetings.services import note as services
from meetings.services import sign_off
from meetings.services.editing import NoteNotEditable
from tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    DecisionFactory,
    MeetingFactory,
    PersonFactory,
    note_signed,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(staff, chief_executive):
    meeting = MeetingFactory()
    AttendanceFactory(meeting=meeting)
    DecisionFactory(item=AgendaItemFactory(meeting=meeting, narrative="As signed."))
    sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
    return note_signed(user=chief_executive, meeting=meeting)


def _snapshot(meeting):
    return (
        list(Meeting.objects.filter(pk=meeting.pk).values()),
        list(Attendance.objects.filter(meeting=meeting).values()),
        list(AgendaItem.objects.filter(meeting=meeting).values()),
        list(Decision.objects.filter(item__meeting=meeting).values()),
    )


def test_the_orm_refuses_to_save_or_delete_anything_in_a_signed_note(signed):
    before = _snapshot(signed)
    item = signed.items.get()
    item.narrative = "Rewritten history"
    with pytest.raises(NoteFrozen):
        item.save()
    with pytest.raises(NoteFrozen):
        item.delete()
    attendance = signed.attendances.get()
    attendance.role = "Someone else"
    with pytest.raises(NoteFrozen):
        attendance.save()
    with pytest.raises(NoteFrozen):
        attendance.delete()
    decision = Decision.objects.get(item__meeting=signed)
    decision.text = "RESOLVED: something else"
    with pytest.raises(NoteFrozen):
        decision.save()
    with pytest.raises(NoteFrozen):
        decision.delete()
    with pytest.raises(NoteFrozen):
        AgendaItem.objects.create(meeting=signed, title="Added later", position=9)
    with pytest.raises(NoteFrozen):
        Attendance.objects.create(meeting=signed, person=PersonFactory())
    signed.title = "Another title"
    with pytest.raises(NoteFrozen):
        signed.save()
    with pytest.raises(NoteFrozen):
        Meeting.objects.get(pk=signed.pk).delete()
    assert _snapshot(signed) == before


def test_bulk_operations_refuse_too(signed):
    before = _snapshot(signed)
    with pytest.raises(NoteFrozen):
        AgendaItem.objects.filter(meeting=signed).update(narrative="Bulk rewrite")
    with pytest.raises(NoteFrozen):
        AgendaItem.objects.filter(meeting=signed).delete()
    with pytest.raises(NoteFrozen):
        Attendance.objects.all().delete()
    with pytest.raises(NoteFrozen):
        Decision.objects.filter(item__meeting=signed).update(text="x")
    with pytest.raises(NoteFrozen):
        AgendaItem.objects.bulk_create([AgendaItem(meeting=signed, title="Bulk", position=5)])
    with pytest.raises(NoteFrozen):
        Meeting.objects.filter(pk=signed.pk).update(title="Bulk title")
    with pytest.raises(NoteFrozen):
        Meeting.objects.filter(pk=signed.pk).delete()
    with pytest.raises(NoteFrozen):
        Meeting.objects.filter(pk=signed.pk).update(status="draft", title="Sneaky")
    assert _snapshot(signed) == before


def test_a_signed_note_cannot_go_back_to_draft(signed):
    signed.status = Meeting.Status.DRAFT
    with pytest.raises(NoteFrozen, match="revision"):
        signed.save()


def test_drafts_elsewhere_stay_editable(signed):
    draft_item = AgendaItemFactory()
    draft_item.narrative = "Still a draft"
    draft_item.save()
    AgendaItem.objects.filter(pk=draft_item.pk).update(title="Renamed")
    assert AgendaItem.objects.get(pk=draft_item.pk).title == "Renamed"


def test_services_refuse_to_edit_a_signed_note(signed, staff):
    item = signed.items.get()
    with pytest.raises(NoteNotEditable):
        services.agenda_item_update(user=staff, item=item, narrative="Changed")
    with pytest.raises(NoteNotEditable):
        services.agenda_item_add(user=staff, meeting=signed, title="New")
    with pytest.raises(NoteNotEditable):
        services.attendance_add(user=staff, meeting=signed, person=PersonFactory())
    with pytest.raises(NoteNotEditable):
        services.meeting_update(user=staff, meeting=signed, title="Changed")


def test_the_editors_refuse_to_change_a_signed_note(signed, staff_client):
    before = _snapshot(signed)
    item = signed.items.get()
    attendance = signed.attendances.get()
    posts = [
        reverse("meetings:meeting-update", args=[signed.pk]),
        reverse("meetings:attendance-edit", args=[signed.pk]),
        reverse("meetings:attendance-update", args=[attendance.pk]),
        reverse("meetings:attendance-remove", args=[attendance.pk]),
        reverse("meetings:agenda-edit", args=[signed.pk]),
        reverse("meetings:item-update", args=[item.pk]),
        reverse("meetings:item-delete", args=[item.pk]),
    ]
    for url in posts:
        response = staff_client.post(url, {"title": "x", "narrative": "x", "version": 99})
        assert response.status_code == 302, url
    assert _snapshot(signed) == before


def test_the_admin_shows_a_signed_note_read_only(signed, client, admin_user):
    client.force_login(admin_user)
    before = _snapshot(signed)
    item = signed.items.get()
    change = client.get(reverse("admin:meetings_agendaitem_change", args=[item.pk]))
    assert change.status_code == 200
    assert 'name="narrative"' not in change.content.decode()  # shown, not editable
    response = client.post(
        reverse("admin:meetings_agendaitem_change", args=[item.pk]),
        {"title": "Admin rewrite", "narrative": "x", "position": 1, "meeting": signed.pk},
    )
    assert response.status_code == 403
    response = client.post(
        reverse("admin:meetings_meeting_delete", args=[signed.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    response = client.post(
        reverse("admin:meetings_agendaitem_delete", args=[item.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert _snapshot(signed) == before


def test_publishing_is_the_only_change_a_signed_note_accepts(signed, staff):
    published = sign_off.note_publish(user=staff, meeting=signed)
    assert published.status == Meeting.Status.PUBLISHED
    published.title = "After publication"
    with pytest.raises(NoteFrozen):
        published.save()


def test_a_signed_note_cannot_be_reopened_or_re_parented_in_bulk(signed):
    from tests.factories import ExceptionReportFactory

    for status in ("draft", "submitted"):
        with pytest.raises(NoteFrozen):
            Meeting.objects.filter(pk=signed.pk).update(status=status)
    draft_report = ExceptionReportFactory()
    with pytest.raises(NoteFrozen):
        type(draft_report).objects.filter(pk=draft_report.pk).update(meeting=signed)
    with pytest.raises(NoteFrozen):
        type(draft_report).objects.filter(pk=draft_report.pk).update(meeting_id=signed.pk)
    draft_decision = DecisionFactory()
    with pytest.raises(NoteFrozen):
        Decision.objects.filter(pk=draft_decision.pk).update(item=signed.items.get())
    assert Meeting.objects.get(pk=signed.pk).status == Meeting.Status.SIGNED


def test_related_managers_cannot_move_rows_into_or_out_of_a_signed_note(signed):
    draft_item = AgendaItemFactory()
    with pytest.raises(NoteFrozen):
        signed.items.add(draft_item)
    with pytest.raises(NoteFrozen):
        draft_item.meeting.items.add(signed.items.get())
    with pytest.raises(NoteFrozen):
        signed.items.get().decisions.add(DecisionFactory())
    assert signed.items.count() == 1


def test_a_cascade_cannot_delete_what_a_signed_note_recorded(staff, chief_executive):
    from meetings.models import Action, ActionUpdate
    from meetings.services import action_log
    from tests.factories import LONDON

    earlier = MeetingFactory(start=dt.datetime(2013, 9, 23, 14, tzinfo=LONDON))
    later = MeetingFactory(start=dt.datetime(2013, 12, 23, 14, tzinfo=LONDON))
    AttendanceFactory(meeting=later)
    AgendaItemFactory(meeting=later)
    action = action_log.action_raise(
        user=staff, meeting=earlier, description="Report back", owners=[PersonFactory()]
    )
    action_log.action_update_record(
        user=staff, action=action, meeting=later, text="Done", status="in_progress"
    )
    sign_off.note_submit(user=staff, meeting=later, warnings_confirmed=True)
    note_signed(user=chief_executive, meeting=later)
    with pytest.raises(NoteFrozen), transaction.atomic():
        Action.objects.get(pk=action.pk).delete()
    with pytest.raises(ValidationError, match="signed"):
        action_log.action_delete(user=staff, action=Action.objects.get(pk=action.pk))
    assert ActionUpdate.objects.filter(meeting=later).exists()


def test_the_owners_of_an_action_raised_in_a_signed_note_cannot_change(staff, chief_executive):
    from meetings.services import action_log

    meeting = MeetingFactory()
    AttendanceFactory(meeting=meeting)
    AgendaItemFactory(meeting=meeting)
    action = action_log.action_raise(
        user=staff, meeting=meeting, description="Report back", owners=[PersonFactory()]
    )
    sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
    note_signed(user=chief_executive, meeting=meeting)
    action.refresh_from_db()
    newcomer = PersonFactory()
    with pytest.raises(NoteFrozen), transaction.atomic():
        action.owners.set([newcomer])
    with pytest.raises(NoteFrozen), transaction.atomic():
        action.owners.clear()
    assert action.owners.count() == 1


def test_renaming_a_person_does_not_change_a_signed_note(signed, client):
    from meetings.models import Person

    attendance = signed.attendances.select_related("person").get()
    original = attendance.person.name
    Person.objects.filter(pk=attendance.person_id).update(name="Chief Superintendent Renamed")
    attendance = signed.attendances.get()
    assert attendance.name == original
    from meetings.selectors.note import meeting_note

    assert meeting_note(meeting=signed).present[0].name == original

"""The staff pages keep what they render of notes once per version of the notes
(``models.NotesVersion``, ``services/note_versions.py``): a change through any path the ORM
offers shows at once, in every process (the version is in the database), and nothing a
rolled-back transaction read is ever served."""

from __future__ import annotations

import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import (
    Action,
    AgendaItem,
    Aim,
    Attendance,
    Body,
    Decision,
    Meeting,
    NoteContent,
    Person,
)
from meetings.services.note_versions import SHOWN_MODELS
from scrutiny import cache as keys
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    AgendaItemFactory,
    AimFactory,
    AttendanceFactory,
    DecisionFactory,
    ExceptionReportFactory,
    MeetingFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


def _note_of(client, meeting: Meeting) -> tuple[str, int]:
    """The page's HTML (its CSRF token blanked) and the queries it cost."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("meetings:meeting-detail", args=[meeting.pk]))
    assert response.status_code == 200
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    return page, len(queries)


@pytest.fixture
def note():
    """A draft with attendees, items and decisions, an exception report with a plan and an aim,
    and an action with its owner."""
    meeting = MeetingFactory(title="Strategic scrutiny")
    attendance = AttendanceFactory(meeting=meeting, person=PersonFactory(name="Clive Grunshaw"))
    item = AgendaItemFactory(meeting=meeting, title="Domestic abuse")
    DecisionFactory(item=item, text="RESOLVED: That the report be noted.")
    aim = AimFactory(plan=ActionPlanFactory(report=ExceptionReportFactory(meeting=meeting)))
    action = ActionFactory(raised_at=meeting, item=item, owners=[PersonFactory(name="Owner One")])
    return {
        "meeting": meeting,
        "attendance": attendance,
        "item": item,
        "aim": aim,
        "action": action,
    }


def test_the_note_is_rendered_once_then_read_from_the_cache(staff_client, note):
    first, first_queries = _note_of(staff_client, note["meeting"])
    again, again_queries = _note_of(staff_client, note["meeting"])
    assert again == first
    assert "Clive Grunshaw" in again and "Domestic abuse" in again and "Owner One" in again
    assert "Ready for signature?" in again  # the readiness is kept with it
    assert again_queries <= first_queries - 8


def _retitle_item(note):
    AgendaItem.objects.filter(pk=note["item"].pk).update(title="Retitled in bulk")
    return "Retitled in bulk"


def _write_narrative(note):
    note["item"].narrative = "Written and saved."
    note["item"].save()
    return "Written and saved."


def _add_decisions_in_bulk(note):
    Decision.objects.bulk_create([Decision(item=note["item"], text="Added in bulk.", position=9)])
    return "Added in bulk."


def _rename_in_bulk(note):
    Person.objects.filter(pk=note["attendance"].person_id).update(name="Renamed Person")
    return "Renamed Person"


def _move_venue_in_bulk(note):
    Meeting.objects.filter(pk=note["meeting"].pk).update(venue="The Council Chamber")
    return "The Council Chamber"


def _restyle_the_body(note):
    body = note["meeting"].body
    body.present_heading = "Members present"
    body.save()
    return "Members present"


def _add_an_owner(note):
    note["action"].owners.add(PersonFactory(name="Owner Two"))
    return "Owner Two"


def _update_an_aim_in_bulk(note):
    aim = note["aim"]
    aim.text = "Reduce repeat victims"
    Aim.objects.bulk_update([aim], ["text"])
    return "Reduce repeat victims"


def _renumber_actions(note):
    Action.objects.filter(pk=note["action"].pk).update(description="Described again")
    return "Described again"


@pytest.mark.parametrize(
    "change",
    [
        _retitle_item,
        _write_narrative,
        _add_decisions_in_bulk,
        _rename_in_bulk,
        _move_venue_in_bulk,
        _restyle_the_body,
        _add_an_owner,
        _update_an_aim_in_bulk,
        _renumber_actions,
    ],
)
def test_a_change_through_any_path_shows_at_once(staff_client, note, change):
    _note_of(staff_client, note["meeting"])
    _, cached_queries = _note_of(staff_client, note["meeting"])
    shown = change(note)
    page, queries = _note_of(staff_client, note["meeting"])
    assert shown in page
    assert queries > cached_queries  # rendered again, then kept again
    assert _note_of(staff_client, note["meeting"])[1] == cached_queries


def test_a_deleted_attendee_and_the_readiness_follow_at_once(staff_client, note):
    page, _ = _note_of(staff_client, note["meeting"])
    assert "Clive Grunshaw" in page
    Attendance.objects.filter(pk=note["attendance"].pk).delete()
    page, _ = _note_of(staff_client, note["meeting"])
    assert "Clive Grunshaw" not in page
    assert "No one is listed as present or in attendance." in page


def test_every_part_of_a_note_bumps_the_version():
    """Each model a note is made of, and those it shows, bump the ``notes`` version when
    written: a part added later is found, not listed (services/note_versions.py)."""
    from django.apps import apps
    from django.db.models.signals import post_save

    from meetings.models.bulk import bulk_written

    parts = [m for m in apps.get_app_config("meetings").get_models() if issubclass(m, NoteContent)]
    shown = [apps.get_model("meetings", name) for name in SHOWN_MODELS]
    assert Body in shown and len(parts) >= 10
    for model in [*shown, *parts]:
        assert post_save.has_listeners(model) and bulk_written.has_listeners(model), model


class _RolledBack(Exception):
    pass


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_nothing_uncommitted_is_kept_and_a_commit_shows_at_once(client, staff):
    meeting = MeetingFactory(title="As committed")
    client.force_login(staff)
    first, first_queries = _note_of(client, meeting)
    assert "As committed" in first
    assert _note_of(client, meeting)[1] < first_queries  # kept: every write had committed
    with pytest.raises(_RolledBack), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(title="Rolled back")
        assert "Rolled back" in _note_of(client, meeting)[0]  # seen inside, never kept
        raise _RolledBack
    page, _ = _note_of(client, meeting)
    assert "Rolled back" not in page and "As committed" in page
    Meeting.objects.filter(pk=meeting.pk).update(title="Committed later")
    assert "Committed later" in _note_of(client, meeting)[0]


def _page(client, url: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_the_review_is_kept_and_shows_a_concern_and_a_renamed_reviewer_at_once(
    commissioner_client, commissioner
):
    from django.contrib.auth.models import update_last_login

    from meetings.models import ExceptionReport

    report = ExceptionReportFactory(category_name="Other sexual offences", concern="Still red")
    ExceptionReport.objects.filter(pk=report.pk).update(
        conclusion="assured", concluded_by=commissioner
    )
    url = reverse("meetings:review")
    first, first_queries = _page(commissioner_client, url)
    assert "Still red" in first and "Record a conclusion" not in first  # concluded
    assert _page(commissioner_client, url)[1] < first_queries
    ExceptionReport.objects.filter(pk=report.pk).update(concern="Red for a year")
    assert "Red for a year" in _page(commissioner_client, url)[0]
    commissioner.first_name, commissioner.last_name = "Clive", "Grunshaw"
    commissioner.save()
    assert "Clive Grunshaw" in _page(commissioner_client, url)[0]
    # A sign-in records the time and nothing a page shows: the review is still kept.
    kept = _page(commissioner_client, url)[1]
    update_last_login(None, user=commissioner)
    assert _page(commissioner_client, url)[1] == kept


def test_the_action_log_is_kept_per_page_and_shows_each_change_at_once(staff_client, note):
    meeting = note["meeting"]
    url = reverse("meetings:action-log", args=[meeting.pk])
    first, first_queries = _page(staff_client, url)
    assert "Owner One" in first
    assert _page(staff_client, url)[1] < first_queries
    Action.objects.bulk_create(
        [Action(body=meeting.body, raised_at=meeting, number=50, description="Raised in bulk")]
    )
    assert "Raised in bulk" in _page(staff_client, url)[0]
    PersonFactory(name="Someone New")  # offered in the people's list at once
    assert '<option value="Someone New">' in _page(staff_client, url)[0]
    note["action"].delete()
    page, _ = _page(staff_client, url)
    assert "Recently deleted" in page and note["action"].description in page
    # A page asked for by anything but a number is answered, never kept.
    assert _page(staff_client, url + "?page=x")[1] == _page(staff_client, url + "?page=x")[1]
    assert _page(staff_client, url + "?page=x")[1] > _page(staff_client, url)[1]


def test_the_kept_attendance_lists_carry_each_requests_csrf_token(staff, note):
    from django.test import Client

    first, client = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(staff)
    client.force_login(staff)  # another browser: a CSRF cookie of its own
    second = AttendanceFactory(meeting=note["meeting"], person=PersonFactory(name="Ann Second"))
    url = reverse("meetings:attendance-edit", args=[note["meeting"].pk])
    _, rendered = _page(first, url)
    page, queries = _page(client, url)
    assert queries < rendered  # from the cache, rendered for the first browser
    assert keys.csrf_placeholder() not in page
    move = reverse("meetings:attendance-move", args=[second.pk, "up"])
    token = re.search(
        rf'action="{move}" [^>]*><input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"',
        page,
    )
    response = client.post(move, {"csrfmiddlewaretoken": token[1]})
    assert response.status_code == 302
    page, _ = _page(client, url)
    assert page.index("Ann Second") < page.index("Clive Grunshaw")  # moved, and seen at once


def test_the_agenda_editor_is_kept_and_follows_each_note_written(staff_client, note):
    meeting = note["meeting"]
    unwritten = AgendaItemFactory(meeting=meeting, title="Hate crime", narrative="")
    url = reverse("meetings:agenda-edit", args=[meeting.pk])
    first, first_queries = _page(staff_client, url)
    assert "(no note yet)" in first
    edit = reverse("meetings:item-update", args=[unwritten.pk])
    assert f'btn-primary" href="{edit}"' in first  # the next note to write is the primary
    assert _page(staff_client, url)[1] < first_queries
    AgendaItem.objects.filter(pk=unwritten.pk).update(narrative="Written at last.")
    page, _ = _page(staff_client, url)
    assert "(no note yet)" not in page and f'btn-primary" href="{edit}"' not in page
    assert 'class="btn btn-primary">Add item' in page  # adding an item is the primary now
    unwritten.delete()
    assert "Recently deleted" in _page(staff_client, url)[0]


def test_the_item_editor_keeps_its_decisions_and_label_and_follows_each_change(staff_client, note):
    item = note["item"]
    url = reverse("meetings:item-update", args=[item.pk])
    first, first_queries = _page(staff_client, url)
    listed = '<li class="mb-2">RESOLVED: That the report be noted.'
    assert listed in first and "<h1>a) Domestic abuse</h1>" in first
    assert _page(staff_client, url)[1] < first_queries
    earlier = AgendaItemFactory(meeting=note["meeting"], title="Apologies", position=0)
    assert "<h1>b) Domestic abuse</h1>" in _page(staff_client, url)[0]  # relabelled at once
    Decision.objects.filter(item=item).update(text="RESOLVED: That the plan be adopted.")
    page, _ = _page(staff_client, url)
    assert "That the plan be adopted." in page and listed not in page
    Decision.objects.filter(item=item).get().delete()
    page, _ = _page(staff_client, url)
    assert "Recently deleted" in page and "No decisions recorded under this item." in page
    assert earlier.pk


def test_the_meeting_list_is_kept_and_moves_a_meeting_to_the_past_once_it_starts(
    staff_client, monkeypatch
):
    import datetime as dt

    from django.utils import timezone

    from tests.factories import LONDON

    soon = MeetingFactory(title="Coming soon", start=dt.datetime(2030, 5, 1, 10, tzinfo=LONDON))
    url = reverse("meetings:meeting-list")

    def lists(page: str) -> tuple[str, str]:
        upcoming, past = page.split('<h2 class="h4 mt-4">Past</h2>')
        return upcoming, past

    first, first_queries = _page(staff_client, url)
    assert "Coming soon" in lists(first)[0]
    assert _page(staff_client, url)[1] < first_queries  # kept
    AttendanceFactory(meeting=soon)
    MeetingFactory(title="Added later", start=dt.datetime(2030, 6, 1, 10, tzinfo=LONDON))
    page, _ = _page(staff_client, url)
    assert "Added later" in lists(page)[0] and "<td>1</td>" in lists(page)[0]
    later = dt.datetime(2030, 5, 1, 10, 1, tzinfo=LONDON)
    monkeypatch.setattr(timezone, "now", lambda: later)  # the meeting has started since
    upcoming, past = lists(_page(staff_client, url)[0])
    assert "Coming soon" in past and "Coming soon" not in upcoming and "Added later" in upcoming
    assert _page(staff_client, url + "?page=x")[1] == _page(staff_client, url + "?page=x")[1]


def test_a_write_made_in_another_process_shows_at_once(staff_client, note, monkeypatch):
    """The version is in the database, not in the cache (one in memory per process by
    default): a write whose process does not share this one's cache shows at once."""
    from django.core.cache import cache

    page, _ = _note_of(staff_client, note["meeting"])
    assert "Written elsewhere." not in page
    with monkeypatch.context() as elsewhere:  # the writer's process touches no cache of ours
        for method in ("set", "add", "delete", "clear", "incr"):
            elsewhere.setattr(cache, method, lambda *args, **kwargs: None)
        AgendaItem.objects.filter(pk=note["item"].pk).update(narrative="Written elsewhere.")
    assert "Written elsewhere." in _note_of(staff_client, note["meeting"])[0]

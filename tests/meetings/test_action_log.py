"""The action log: actions raised, corrected, followed from meeting to meeting until closed."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings.models import Action, Person
from meetings.services import action_log, series, sign_off
from meetings.views.action_log import ACTIONS_PER_PAGE
from tests.factories import (
    LONDON,
    ActionFactory,
    AgendaItemFactory,
    AttendanceFactory,
    MeetingFactory,
    PersonFactory,
    note_signed,
)

pytestmark = pytest.mark.django_db


def _at(year, month, day):
    return dt.datetime(year, month, day, 14, tzinfo=LONDON)


def test_an_action_needs_a_lead_or_an_owner(staff, staff_client):
    meeting = MeetingFactory()
    response = staff_client.post(
        reverse("meetings:action-log", args=[meeting.pk]),
        {"description": "Report back on burglary."},
    )
    assert response.context["form"].errors["owners"] == [
        "Give the action a lead or at least one owner."
    ]
    with pytest.raises(ValidationError):
        action_log.action_raise(user=staff, meeting=meeting, description="x", owners=[])
    assert not Action.objects.exists()


def test_owners_need_not_have_attended(staff, staff_client):
    meeting = MeetingFactory()
    absent = PersonFactory(name="Chief Superintendent Somebody")
    response = staff_client.post(
        reverse("meetings:action-log", args=[meeting.pk]),
        {
            "description": "Report back on burglary.",
            "owners": f"{absent.name}\nHead of Corporate Development",
            "confirm_new_people": "on",
            "due": "2014-03-01",
        },
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.number == 1
    assert [o.person.name for o in action.ownerships.all()] == [
        "Chief Superintendent Somebody",
        "Head of Corporate Development",
    ]
    assert action.due == dt.date(2014, 3, 1)


def test_open_actions_follow_from_meeting_to_meeting_until_closed(
    staff, chief_executive, staff_client
):
    first = MeetingFactory(start=_at(2013, 9, 23))
    AttendanceFactory(meeting=first)
    AgendaItemFactory(meeting=first)
    owner = PersonFactory()
    action = action_log.action_raise(
        user=staff, meeting=first, description="Burglary plan", owners=[owner]
    )
    sign_off.note_submit(user=staff, meeting=first, warnings_confirmed=True)
    note_signed(user=chief_executive, meeting=first)
    second = series.meeting_create_from_previous(
        user=staff, previous=first, start=_at(2013, 12, 23)
    )
    page = staff_client.get(reverse("meetings:action-log", args=[second.pk])).content.decode()
    assert "Burglary plan" in page
    staff_client.post(
        reverse("meetings:action-update", args=[second.pk, action.pk]),
        {"text": "Strategy written.", "status": "in_progress"},
    )
    action.refresh_from_db()
    assert action.status == Action.Status.IN_PROGRESS
    staff_client.post(
        reverse("meetings:action-update", args=[second.pk, action.pk]),
        {"text": "Adopted.", "status": "closed"},
    )
    action.refresh_from_db()
    assert (action.status, action.closed_at, action.closed_on) == (
        Action.Status.CLOSED,
        second,
        dt.date(2013, 12, 23),
    )
    page = staff_client.get(reverse("meetings:action-log", args=[second.pk])).content.decode()
    assert "Burglary plan" in page and "Adopted." in page  # closed at this meeting: shown
    third = series.meeting_create_from_previous(user=staff, previous=second, start=_at(2014, 3, 24))
    page = staff_client.get(reverse("meetings:action-log", args=[third.pk])).content.decode()
    assert "Burglary plan" not in page
    # What was raised at the signed meeting stays as it was.
    action.description = "Rewritten"
    from meetings.models import NoteFrozen

    with pytest.raises(NoteFrozen):
        action.save()


def test_my_actions_lists_what_i_own(staff, staff_client):
    me = Person.objects.create(name="Bev Wood", user=staff)
    ActionFactory(description="Mine", owners=[me])
    ActionFactory(description="Someone else's")
    page = staff_client.get(reverse("meetings:my-actions")).content.decode()
    assert "Mine" in page and "Someone else" not in page


def test_actions_are_numbered_in_one_log(staff):
    meeting = MeetingFactory()
    owner = PersonFactory()
    numbers = [
        action_log.action_raise(
            user=staff, meeting=meeting, description=f"Action {n}", owners=[owner]
        ).number
        for n in range(3)
    ]
    assert numbers == [1, 2, 3]


def test_an_action_is_corrected_deleted_and_restored_while_its_meeting_is_a_draft(
    staff, staff_client
):
    meeting = MeetingFactory()
    owner = PersonFactory(name="Owner One")
    PersonFactory(name="Owner Two")
    action = action_log.action_raise(
        user=staff, meeting=meeting, description="Report back", owners=[owner]
    )
    url = reverse("meetings:action-edit", args=[action.pk])
    stale = action.version
    response = staff_client.post(
        url,
        {
            "description": "Report back by March",
            "owners": "Owner Two\nOwner One",
            "version": stale,
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.description == "Report back by March"
    assert [o.person.name for o in action.ownerships.all()] == ["Owner Two", "Owner One"]
    conflict = staff_client.post(
        url, {"description": "Mine", "owners": "Owner One", "version": stale}
    )
    assert "Someone else changed this action" in conflict.content.decode()
    assert ">\nMine</textarea>" in conflict.content.decode()  # what was typed is kept
    action_id, number = action.pk, action.number
    staff_client.post(reverse("meetings:action-delete", args=[action_id]))
    assert not Action.objects.exists()
    page = staff_client.get(reverse("meetings:action-log", args=[meeting.pk])).content.decode()
    assert "Recently deleted" in page and "Report back by March" in page
    staff_client.post(reverse("meetings:action-restore", args=[meeting.pk, action_id]))
    restored = Action.objects.get()
    assert restored.number == number
    assert [o.person.name for o in restored.ownerships.all()] == ["Owner Two", "Owner One"]


# One log per body -----------------------------------------------------------------------------


def _board():
    from tests.factories import BodyFactory

    return BodyFactory(name="Executive Board")


def test_each_body_numbers_its_own_actions_from_one(staff):
    scrutiny, board = MeetingFactory(), MeetingFactory(body=_board())
    owner = PersonFactory()
    first = [
        action_log.action_raise(user=staff, meeting=scrutiny, description=f"S{n}", owners=[owner])
        for n in range(2)
    ]
    second = [
        action_log.action_raise(user=staff, meeting=board, description=f"B{n}", owners=[owner])
        for n in range(4)
    ]
    assert [a.number for a in first] == [1, 2]
    assert [a.number for a in second] == [1, 2, 3, 4]
    assert {a.body for a in second} == {board.body}


def test_a_body_can_continue_the_numbers_of_a_paper_log(staff):
    from meetings.services import bodies

    board = _board()
    bodies.body_update(user=staff, body=board, first_action_number=57)
    meeting = MeetingFactory(body=board)
    action = action_log.action_raise(
        user=staff, meeting=meeting, description="x", owners=[PersonFactory()]
    )
    assert action.number == 57


def test_an_action_number_reused_within_a_body_is_refused(staff, staff_client):
    board_meeting = MeetingFactory(body=_board())
    ActionFactory(raised_at=MeetingFactory(), number=5)  # another body's 5 is no obstacle
    owner = PersonFactory(name="Bev Wood")
    url = reverse("meetings:action-log", args=[board_meeting.pk])
    assert staff_client.post(url, {"number": "5", "description": "x", "owners": "Bev Wood"})[
        "Location"
    ]
    response = staff_client.post(url, {"number": "5", "description": "y", "owners": "Bev Wood"})
    assert response.context["form"].errors["number"] == [
        "Action 5 already exists in the Executive Board's action log: leave the number empty "
        "to take the next one."
    ]
    assert Action.objects.filter(body=board_meeting.body).count() == 1
    assert owner.actions.count() == 1


def test_the_body_and_number_are_unique_in_the_database(db):
    from django.db import IntegrityError, transaction

    action = ActionFactory(number=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionFactory(raised_at=MeetingFactory(body=action.body), number=3)
    ActionFactory(raised_at=MeetingFactory(body=_board()), number=3)


def test_a_meeting_sees_only_its_own_bodys_open_actions(staff_client):
    ActionFactory(raised_at=MeetingFactory(start=_at(2013, 1, 7)), description="Scrutiny action")
    ActionFactory(
        raised_at=MeetingFactory(body=_board(), start=_at(2013, 2, 7)), description="Board action"
    )
    later = MeetingFactory(body=_board(), start=_at(2021, 6, 1))
    page = staff_client.get(reverse("meetings:action-log", args=[later.pk])).content.decode()
    assert "Board action" in page and "Scrutiny action" not in page


def test_progress_is_recorded_only_at_a_meeting_of_the_actions_body(staff):
    action = ActionFactory(raised_at=MeetingFactory(start=_at(2013, 9, 23)))
    elsewhere = MeetingFactory(body=_board(), start=_at(2013, 12, 23))
    with pytest.raises(ValidationError, match="record its progress at a meeting of that body"):
        action_log.action_update_record(
            user=staff, action=action, meeting=elsewhere, text="Done", status="closed"
        )
    action.refresh_from_db()
    assert action.status == Action.Status.OPEN


# Leads and owners -----------------------------------------------------------------------------


def test_a_lead_is_distinct_from_the_owners_and_owners_keep_their_order(staff_client):
    meeting = MeetingFactory()
    AttendanceFactory(meeting=meeting, person__name="Dave Jones", person__initials="DJ")
    PersonFactory(name="Zoe Adams")
    PersonFactory(name="Angela Young", initials="AY")
    response = staff_client.post(
        reverse("meetings:action-log", args=[meeting.pk]),
        {
            "description": "Review the rural crime plan.",
            "lead": "Chief Constable Outside the Meeting",
            "owners": "Zoe Adams\nDJ\nangela young",
            "confirm_new_people": "on",
        },
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.lead.name == "Chief Constable Outside the Meeting"
    assert [o.person.name for o in action.ownerships.all()] == [
        "Zoe Adams",
        "Dave Jones",
        "Angela Young",
    ]
    page = staff_client.get(reverse("meetings:action-log", args=[meeting.pk])).content.decode()
    assert "Zoe Adams, Dave Jones, Angela Young" in page


def test_new_names_are_added_only_once_confirmed(staff_client):
    meeting = MeetingFactory()
    url = reverse("meetings:action-log", args=[meeting.pk])
    data = {"description": "Report back.", "owners": "Somebody New\nAnother New"}
    response = staff_client.post(url, data)
    form = response.context["form"]
    assert form.errors["confirm_new_people"] == [
        "No one known is called Somebody New, Another New: tick the box to add them as new "
        "people, or correct the names."
    ]
    assert form.fields["confirm_new_people"].label == "Add as new people: Somebody New, Another New"
    assert not Person.objects.exists() and not Action.objects.exists()
    assert "Somebody New\nAnother New</textarea>" in response.content.decode()
    staff_client.post(url, {**data, "confirm_new_people": "on"})
    assert list(Person.objects.order_by("id").values_list("name", flat=True)) == [
        "Somebody New",
        "Another New",
    ]


def test_initials_that_nobody_or_several_people_have_are_refused(staff_client):
    meeting = MeetingFactory()
    PersonFactory(name="Dave Jones", initials="DJ")
    PersonFactory(name="Dan James", initials="DJ")
    response = staff_client.post(
        reverse("meetings:action-log", args=[meeting.pk]),
        {"description": "x", "owners": "DJ\nQQ", "confirm_new_people": "on"},
    )
    assert response.context["form"].errors["owners"] == [
        "“DJ”: DJ could be Dave Jones or Dan James: write the name.",
        "“QQ”: no one known has the initials QQ: write their name instead.",
    ]
    assert not Action.objects.exists()


def test_initials_of_someone_at_the_meeting_win(staff_client):
    meeting = MeetingFactory()
    PersonFactory(name="Dave Jones", initials="DJ")
    AttendanceFactory(meeting=meeting, person__name="Dan James", person__initials="DJ")
    staff_client.post(
        reverse("meetings:action-log", args=[meeting.pk]), {"description": "x", "owners": "DJ"}
    )
    assert Action.objects.get().owners.get().name == "Dan James"


def test_the_owners_picker_is_a_text_box_with_a_list_of_known_people(staff_client):
    meeting = MeetingFactory()
    PersonFactory(name="Dave Jones", initials="DJ", usual_role="Head of Finance")
    page = staff_client.get(reverse("meetings:action-log", args=[meeting.pk])).content.decode()
    assert '<datalist id="known-people"><option value="Dave Jones">DJ – Head of Finance' in page
    assert 'data-people-picker="known-people"' in page and 'list="known-people"' in page
    assert "<select" not in page.split('id="raise-title"')[1].split("Raised under")[0]
    assert "js/people_picker.js" in page


def test_too_many_owners_are_refused(staff_client):
    meeting = MeetingFactory()
    owners = "\n".join(f"Person {n}" for n in range(21))
    response = staff_client.post(
        reverse("meetings:action-log", args=[meeting.pk]),
        {"description": "x", "owners": owners, "confirm_new_people": "on"},
    )
    assert response.context["form"].errors["owners"] == ["Give at most 20 owners."]
    assert not Person.objects.exists()


def test_my_actions_lists_what_i_lead_too(staff, staff_client):
    me = Person.objects.create(name="Bev Wood", user=staff)
    action = ActionFactory(description="Led by me", raised_at=MeetingFactory(body=_board()))
    action.lead = me
    action.save()
    page = staff_client.get(reverse("meetings:my-actions")).content.decode()
    assert "Led by me" in page and "Lead" in page


def test_a_long_log_is_paginated_and_the_next_page_shows_the_next_actions(staff_client):
    meeting = MeetingFactory()
    for _ in range(ACTIONS_PER_PAGE + 3):
        ActionFactory(raised_at=meeting)
    url = reverse("meetings:action-log", args=[meeting.pk])
    first = staff_client.get(url)
    numbers = [action.number for action in first.context["actions"]]
    assert len(numbers) == ACTIONS_PER_PAGE and "Page 1 of 2" in first.content.decode()
    second = staff_client.get(url, {"page": 2})
    later = [action.number for action in second.context["actions"]]
    assert len(later) == 3 and min(later) > max(numbers)
    assert staff_client.get(url, {"page": 99}).status_code == 200


def test_each_row_of_the_log_shows_its_cells_as_written_out_by_the_selector(
    staff, chief_executive, staff_client
):
    """The rows are written out in Python (`selectors.action_log.log_rows`), not by template
    lookups: dates in London time ("j M Y"), updates, lead, owners in order, the item, the
    closing date, and edit and delete links only for what this meeting raised."""
    # 00:30 in London on 1 July is still 30 June in UTC: the log says 1 Jul.
    first = MeetingFactory(start=dt.datetime(2014, 7, 1, 0, 30, tzinfo=LONDON))
    AttendanceFactory(meeting=first)
    item = AgendaItemFactory(meeting=first, title="Burglary & robbery")
    lead, one = PersonFactory(name="Lee Lead"), PersonFactory(name="Zed One")
    two = PersonFactory(name="Abe Two")
    kept = action_log.action_raise(
        user=staff,
        meeting=first,
        description="Write the plan",
        lead=lead,
        owners=[one, two],
        item=item,
        due=dt.date(2014, 9, 5),
    )
    closed = action_log.action_raise(
        user=staff, meeting=first, description="Close me", owners=[one]
    )
    sign_off.note_submit(user=staff, meeting=first, warnings_confirmed=True)
    note_signed(user=chief_executive, meeting=first)
    second = series.meeting_create_from_previous(user=staff, previous=first, start=_at(2014, 9, 22))
    for action, status in ((kept, "in_progress"), (closed, "closed")):
        staff_client.post(
            reverse("meetings:action-update", args=[second.pk, action.pk]),
            {"text": "Done <so far>.", "status": status},
        )
    own = action_log.action_raise(user=staff, meeting=second, description="New one", owners=[two])

    page = staff_client.get(reverse("meetings:action-log", args=[second.pk])).content.decode()

    update_url = reverse("meetings:action-update", args=[second.pk, kept.pk])
    assert (
        f'<tr id="action-{kept.number}">\n    <td>{kept.number}</td>\n'
        "    <td>Write the plan\n"
        '      <br><span class="small">22 Sep 2014: Done &lt;so far&gt;. (in progress)'
        "</span></td>\n"
        "    <td>Lee Lead</td>\n    <td>Zed One, Abe Two</td>\n"
        "    <td>1 Jul 2014, Burglary &amp; robbery</td>\n    <td>5 Sep 2014</td>\n"
        f'    <td>In progress</td>\n    <td><a href="{update_url}">Record progress'
        f'<span class="visually-hidden"> on action {kept.number}</span></a></td>\n  </tr>'
    ) in page
    assert (
        "<td>–</td>\n    <td>Zed One</td>\n    <td>1 Jul 2014</td>\n    <td>–</td>\n"
        "    <td>Closed (22 Sep 2014)</td>"
    ) in page
    assert page.count("Edit<span") == 1
    assert f'<a href="{reverse("meetings:action-edit", args=[own.pk])}">Edit' in page
    assert f'<a href="{reverse("meetings:action-delete", args=[own.pk])}">Delete' in page


def test_a_url_reversed_once_for_many_rows_is_the_url_reverse_gives(monkeypatch):
    from meetings import urls_once

    for pk in (1, 42, 987654):
        assert urls_once.url_for_each("meetings:action-update", meeting_pk=7)(pk) == reverse(
            "meetings:action-update", args=[7, pk]
        )
        assert urls_once.url_for_each("meetings:action-edit")(pk) == reverse(
            "meetings:action-edit", args=[pk]
        )
    # When the stand-in number is part of the fixed arguments, each URL is reversed.
    monkeypatch.setattr(urls_once, "_STAND_IN", 7)
    assert urls_once.url_for_each("meetings:action-update", meeting_pk=7)(3) == reverse(
        "meetings:action-update", args=[7, 3]
    )

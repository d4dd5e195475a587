"""Each role's home: the work in front of them, and the counts in the navigation."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import Action, ActionOwner, ExceptionReport, Meeting, Person
from meetings.selectors import queues
from meetings.services import sign_off
from tests.factories import (
    ActionFactory,
    AgendaItemFactory,
    AttendanceFactory,
    ExceptionReportFactory,
    MeetingFactory,
    note_signed,
)

pytestmark = pytest.mark.django_db


def _complete(**kwargs) -> Meeting:
    meeting = MeetingFactory(**kwargs)
    AttendanceFactory(meeting=meeting)
    AgendaItemFactory(meeting=meeting)
    return meeting


def _submitted(staff, **kwargs) -> Meeting:
    meeting = _complete(**kwargs)
    sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
    return meeting


def test_signing_in_lands_on_my_work(client, staff):
    response = client.post(
        reverse("login"), {"username": staff.username, "password": "a-test-password"}
    )
    assert response["Location"] == reverse("meetings:my-work")


def test_the_chief_executive_sees_the_notes_awaiting_signature(chief_executive_client, staff):
    waiting = _submitted(staff, title="Strategic Scrutiny Meeting")
    MeetingFactory(title="Still a draft")
    page = chief_executive_client.get(reverse("meetings:my-work")).content.decode()
    assert "Notes awaiting your signature" in page
    assert reverse("meetings:note-sign", args=[waiting.pk]) in page
    assert "Still a draft" not in page
    assert "Exception reports awaiting your conclusion" not in page


def test_the_commissioner_sees_the_reports_awaiting_a_conclusion(commissioner_client, staff):
    open_report = ExceptionReportFactory(category_name="Burglary")
    ExceptionReportFactory(category_name="Concluded", conclusion="assured")
    ExceptionReportFactory(category_name="Proposed", status=ExceptionReport.Status.PROPOSED)
    page = commissioner_client.get(reverse("meetings:my-work")).content.decode()
    assert reverse("meetings:conclusion", args=[open_report.pk]) in page
    assert "Burglary" in page
    assert "Concluded" not in page and "Proposed" not in page
    assert "Notes awaiting your signature" not in page


def test_staff_see_a_returned_note_with_the_chief_executives_comments(
    staff_client, staff, chief_executive
):
    meeting = _submitted(staff, title="Returned meeting")
    sign_off.note_return(
        user=chief_executive, meeting=meeting, comment="Item 3 names the wrong officer."
    )
    MeetingFactory(title="Plain draft")
    assert list(queues.returned_notes()) == [meeting]
    assert meeting not in queues.draft_notes()
    page = staff_client.get(reverse("meetings:my-work")).content.decode()
    assert "Item 3 names the wrong officer." in page
    assert "Plain draft" in page


def test_a_note_resubmitted_after_its_return_is_no_longer_returned(staff, chief_executive):
    meeting = _submitted(staff)
    sign_off.note_return(user=chief_executive, meeting=meeting, comment="Fix it.")
    sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
    assert list(queues.returned_notes()) == []
    assert list(queues.notes_awaiting_signature()) == [meeting]


def test_staff_see_signed_notes_to_publish_with_their_deadline(
    staff_client, staff, chief_executive, settings
):
    settings.PUBLICATION_DEADLINE_DAYS = 28
    meeting = _submitted(staff, title="Signed meeting")
    note_signed(user=chief_executive, meeting=meeting)
    [entry] = queues.signed_not_published()
    assert entry.deadline == timezone.localdate(meeting.start) + dt.timedelta(days=28)
    assert entry.overdue  # the factory's meetings were held in 2013
    page = staff_client.get(reverse("meetings:my-work")).content.decode()
    assert "Signed notes to publish" in page and "overdue" in page


def test_meetings_coming_up_are_listed_soonest_first(staff_client):
    later = MeetingFactory(title="Later", start=timezone.now() + dt.timedelta(days=20))
    sooner = MeetingFactory(title="Sooner", start=timezone.now() + dt.timedelta(days=2))
    MeetingFactory(title="Held")
    assert list(queues.meetings_coming_up()) == [sooner, later]


def test_everyone_sees_their_open_actions_first_due_first(client, commissioner):
    person = Person.objects.create(name="Mr Test Commissioner", user=commissioner)
    today = timezone.localdate()
    late = ActionFactory(owners=[person], due=today - dt.timedelta(days=1), description="Late")
    ActionFactory(owners=[person], status="closed", closed_on=today, description="Done")
    led = ActionFactory(lead=person, due=today + dt.timedelta(days=30), description="Led")
    ActionFactory(description="Someone else's")
    assert list(queues.my_open_actions(user=commissioner)) == [late, led]
    client.force_login(commissioner)
    page = client.get(reverse("meetings:my-work")).content.decode()
    assert "overdue" in page and "you lead it" in page
    assert "Done" not in page and "Someone else" not in page


def test_a_user_in_no_role_has_only_their_actions(client, nobody):
    client.force_login(nobody)
    page = client.get(reverse("meetings:my-work")).content.decode()
    assert "My actions" in page
    assert "Drafts" not in page and "awaiting" not in page


def test_the_navigation_counts_what_waits_for_each_role(
    client, staff, chief_executive, commissioner
):
    _submitted(staff)
    _submitted(staff)
    ExceptionReportFactory()
    assert queues.queue_counts(user=chief_executive).to_sign == 2
    assert queues.queue_counts(user=chief_executive).to_conclude is None
    assert queues.queue_counts(user=commissioner).to_conclude == 1
    assert queues.queue_counts(user=staff).to_sign is None
    client.force_login(chief_executive)
    page = client.get(reverse("meetings:my-work")).content.decode()
    assert '<span class="nav-count">2<span class="visually-hidden"> waiting</span>' in page


def test_due_soon_counts_only_open_actions_within_the_reminder_days(commissioner, settings):
    settings.ACTION_REMINDER_DAYS = 7
    person = Person.objects.create(name="Owner", user=commissioner)
    today = timezone.localdate()
    ActionFactory(owners=[person], due=today + dt.timedelta(days=7))
    ActionFactory(owners=[person], lead=person, due=today - dt.timedelta(days=3))
    ActionFactory(owners=[person], due=today + dt.timedelta(days=8))
    ActionFactory(owners=[person], due=None)
    assert queues.queue_counts(user=commissioner).actions_due == 2


@pytest.mark.parametrize("persona", ["staff", "chief_executive", "commissioner"])
def test_the_counts_cost_one_query_whatever_the_queues_hold(persona, request):
    user = request.getfixturevalue(persona)
    staff = request.getfixturevalue("staff")
    person = Person.objects.get_or_create(user=user, defaults={"name": "Me"})[0]

    def grow(size: int) -> None:
        for _ in range(size):
            _submitted(staff)
            ExceptionReportFactory()
            ActionFactory(owners=[person], due=timezone.localdate())

    def counted() -> int:
        user_again = type(user).objects.get(pk=user.pk)
        user_again.get_all_permissions()  # permissions are read once a request anyway
        with CaptureQueriesContext(connection) as captured:
            queues.queue_counts(user=user_again)
        return len(captured)

    grow(1)
    small = counted()
    grow(6)
    assert counted() == small == 1


def test_my_work_does_not_grow_with_the_queues(client, staff, chief_executive):
    client.force_login(staff)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("meetings:my-work")).status_code == 200
        return len(captured)

    def grow() -> None:
        meeting = _submitted(staff)
        sign_off.note_return(user=chief_executive, meeting=meeting, comment="Again.")
        signed = _submitted(staff)
        note_signed(user=chief_executive, meeting=signed)
        MeetingFactory(start=timezone.now() + dt.timedelta(days=3))

    grow()
    small = count()
    for _ in range(4):
        grow()
    assert count() == small <= 14


def test_the_publication_tracker_shows_each_signed_note_against_its_deadline(
    staff_client, staff, chief_executive, settings
):
    settings.PUBLICATION_DEADLINE_DAYS = 28
    overdue = _submitted(staff, title="Signed, not published")
    note_signed(user=chief_executive, meeting=overdue)
    published = _submitted(staff, title="Published meeting")
    note_signed(user=chief_executive, meeting=published)
    sign_off.note_publish(user=staff, meeting=published)
    MeetingFactory(title="A draft")
    entries = queues.publication_tracker()
    assert [entry.meeting for entry in entries] == [published, overdue]
    assert [entry.overdue for entry in entries] == [False, True]
    assert entries[0].published_late  # published in 2026 for a meeting held in 2013
    page = staff_client.get(reverse("meetings:publication-tracker")).content.decode()
    assert "Overdue: not published" in page and 'class="row-overdue"' in page
    assert reverse("public:note-detail", args=[published.pk]) in page
    assert "A draft" not in page


def test_the_publication_tracker_does_not_grow_with_the_notes(staff_client, staff, chief_executive):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(reverse("meetings:publication-tracker")).status_code == 200
        return len(captured)

    def grow(size: int) -> None:
        for _ in range(size):
            note_signed(user=chief_executive, meeting=_submitted(staff))

    grow(1)
    small = count()
    grow(4)
    assert count() == small <= 6


def test_the_counts_are_cached_and_every_change_shows_at_once(
    client, staff, chief_executive, commissioner
):
    from meetings.services import action_log

    def navigation_queries(user) -> tuple[int, int]:
        """(queries, to_sign) of a second look at the counts, as the next page would see."""
        again = type(user).objects.get(pk=user.pk)
        again.get_all_permissions()
        with CaptureQueriesContext(connection) as captured:
            counts = queues.queue_counts(user=again)
        return len(captured), counts

    first = _submitted(staff)
    assert queues.queue_counts(user=chief_executive).to_sign == 1
    queries, counts = navigation_queries(chief_executive)
    assert (queries, counts.to_sign) == (0, 1)  # cached: the layout costs no query for them
    _submitted(staff)
    queries, counts = navigation_queries(chief_executive)
    assert (queries, counts.to_sign) == (1, 2)  # a new submission: counted again at once
    sign_off.note_return(user=chief_executive, meeting=first, comment="Fix the attendance")
    assert queues.queue_counts(user=chief_executive).to_sign == 1
    assert queues.queue_counts(user=staff).returned == 1
    # An update recorded on an action moves its status in one UPDATE, without a save.
    person = Person.objects.create(name="Owner", user=commissioner)
    action = ActionFactory(owners=[person], due=timezone.localdate())
    later = _complete(start=first.start + dt.timedelta(days=90))
    assert queues.queue_counts(user=commissioner).actions_due == 1
    action_log.action_update_record(
        user=staff, action=action, meeting=later, text="Done", status="closed"
    )
    assert queues.queue_counts(user=commissioner).actions_due == 0
    # Owners changed through the relation (no save of the action) count at once too.
    other = ActionFactory(due=timezone.localdate())
    assert queues.queue_counts(user=commissioner).actions_due == 0
    other.owners.add(person)
    assert queues.queue_counts(user=commissioner).actions_due == 1
    client.force_login(commissioner)
    page = client.get(reverse("meetings:my-work")).content.decode()
    assert '<span class="nav-count">1<span class="visually-hidden"> waiting</span>' in page


def test_bulk_writes_through_the_orm_keep_the_counts_true_without_signals(
    staff, chief_executive, commissioner
):
    """The counts cache must not depend on each writer remembering to bump it: every bulk
    ``update()``, ``bulk_update()`` and ``bulk_create()`` on what the counts read does, through
    the models' querysets. (A bulk update that skipped the bump left them stale for 300 s.)"""
    first = _submitted(staff)
    assert queues.queue_counts(user=chief_executive).to_sign == 1
    Meeting.objects.filter(pk=first.pk).update(status=Meeting.Status.DRAFT)
    assert queues.queue_counts(user=chief_executive).to_sign == 0

    person = Person.objects.create(name="Owner")
    action = ActionFactory(owners=[person], due=timezone.localdate())
    assert queues.queue_counts(user=commissioner).actions_due == 0
    Person.objects.filter(pk=person.pk).update(user=commissioner)
    assert queues.queue_counts(user=commissioner).actions_due == 1
    Action.objects.filter(pk=action.pk).update(due=timezone.localdate() + dt.timedelta(days=365))
    assert queues.queue_counts(user=commissioner).actions_due == 0
    action.due = timezone.localdate()
    Action.objects.bulk_update([action], ["due"])
    assert queues.queue_counts(user=commissioner).actions_due == 1

    other = ActionFactory(due=timezone.localdate())
    ActionOwner.objects.bulk_create([ActionOwner(action=other, person=person, position=1)])
    assert queues.queue_counts(user=commissioner).actions_due == 2
    # A write that changes nothing costs no bump (and the refused write of a signed note none).
    before = queues.queue_counts(user=commissioner)
    assert Action.objects.filter(pk=-1).update(due=None) == 0
    assert queues.queue_counts(user=commissioner) == before

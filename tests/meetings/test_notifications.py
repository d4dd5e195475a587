"""Emails: who is told of each step, the opt-outs, and the daily reminders of actions."""

import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from meetings import roles
from meetings.models import ActionReminder, AuditEvent, NotificationKind, Person
from meetings.services import exception_reports, notifications, sign_off
from tests.factories import (
    ActionFactory,
    AgendaItemFactory,
    AttendanceFactory,
    ExceptionReportFactory,
    MeetingFactory,
    PersonFactory,
    note_signed,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _addresses(settings, staff, chief_executive, commissioner):
    settings.PORTAL_BASE_URL = "https://scrutiny.example.org"
    for user in (staff, chief_executive, commissioner):
        user.email = f"{user.username}@example.org"
        user.save()


def _with_role(username: str, role: str) -> User:
    user = User.objects.create_user(username=username, email=f"{username}@example.org")
    user.groups.add(Group.objects.get(name=role))
    return user


def _complete():
    meeting = MeetingFactory(title="Strategic Scrutiny Meeting")
    AttendanceFactory(meeting=meeting)
    AgendaItemFactory(meeting=meeting)
    return meeting


def _recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_a_submitted_note_is_sent_to_the_signatories(staff, django_capture_on_commit_callbacks):
    _with_role("deputy-chief-executive", roles.SIGNATORY)
    meeting = _complete()
    with django_capture_on_commit_callbacks(execute=True):
        sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
    assert _recipients() == [
        "deputy-chief-executive@example.org",
        "test-chief-executive@example.org",
    ]
    message = mail.outbox[0]
    assert message.subject.startswith("For your signature: the note of the")
    assert f"https://scrutiny.example.org/meetings/{meeting.pk}/sign/" in message.body
    assert "https://scrutiny.example.org/meetings/my-work/emails/" in message.body
    assert message.content_subtype == "plain"


def test_nothing_is_sent_before_the_change_commits(staff, django_capture_on_commit_callbacks):
    meeting = _complete()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
    assert mail.outbox == []
    # One mail waits for the commit (the other callbacks bump cache versions: My work's counts).
    assert [c for c in callbacks if "_send_on_commit" in c.__qualname__] != []
    assert len([c for c in callbacks if "_send_on_commit" in c.__qualname__]) == 1


def test_a_returned_note_is_sent_to_whoever_submitted_it(
    staff, chief_executive, django_capture_on_commit_callbacks
):
    _with_role("other-staff", roles.STAFF)
    meeting = _complete()
    sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
    with django_capture_on_commit_callbacks(execute=True):
        sign_off.note_return(user=chief_executive, meeting=meeting, comment="Item 2 is wrong.")
    assert _recipients() == ["test-staff@example.org"]
    assert "Item 2 is wrong." in mail.outbox[0].body
    assert f"https://scrutiny.example.org/meetings/{meeting.pk}/" in mail.outbox[0].body


def test_a_signed_note_is_sent_to_the_staff_who_publish(
    staff, chief_executive, django_capture_on_commit_callbacks
):
    _with_role("other-staff", roles.STAFF)
    meeting = _complete()
    sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
    mail.outbox.clear()
    note_signed(user=chief_executive, meeting=meeting)
    assert _recipients() == ["other-staff@example.org", "test-staff@example.org"]
    assert mail.outbox[0].subject.startswith("Signed: the note of the")
    assert "Miranda Carruthers-Watt" in mail.outbox[0].body


@pytest.mark.parametrize("how", ["accept", "add", "update"])
def test_a_report_awaiting_a_conclusion_is_sent_to_the_reviewers(
    staff, how, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory()
    with django_capture_on_commit_callbacks(execute=True):
        if how == "add":
            exception_reports.exception_report_add(
                user=staff, meeting=meeting, category_slug="burglary", category_name="Burglary"
            )
        else:
            report = ExceptionReportFactory(
                meeting=meeting, category_name="Burglary", status="proposed"
            )
            if how == "accept":
                exception_reports.exception_report_accept(user=staff, report=report)
            else:
                exception_reports.exception_report_update(
                    user=staff, report=report, concern="Rising."
                )
    assert _recipients() == ["test-commissioner@example.org"]
    assert "Burglary" in mail.outbox[0].subject
    assert "/meetings/exception-reports/" in mail.outbox[0].body


def test_updating_a_report_already_accepted_sends_nothing(
    staff, django_capture_on_commit_callbacks
):
    report = ExceptionReportFactory()
    with django_capture_on_commit_callbacks(execute=True):
        exception_reports.exception_report_update(user=staff, report=report, concern="Again.")
    assert mail.outbox == []


def test_someone_who_opted_out_of_a_kind_is_not_sent_it(
    staff, chief_executive, django_capture_on_commit_callbacks
):
    notifications.notification_preferences_set(
        user=chief_executive,
        receives=[k for k in NotificationKind.values if k != NotificationKind.NOTE_SUBMITTED],
    )
    meeting = _complete()
    with django_capture_on_commit_callbacks(execute=True):
        sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
    assert mail.outbox == []


def test_an_opt_out_of_one_kind_keeps_the_others(
    staff, chief_executive, django_capture_on_commit_callbacks
):
    notifications.notification_preferences_set(
        user=staff, receives=[NotificationKind.NOTE_RETURNED]
    )
    meeting = _complete()
    sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
    with django_capture_on_commit_callbacks(execute=True):
        sign_off.note_return(user=chief_executive, meeting=meeting, comment="Again.")
    assert _recipients() == ["test-staff@example.org"]


def test_accounts_without_an_address_or_inactive_are_skipped(
    staff, chief_executive, django_capture_on_commit_callbacks
):
    chief_executive.is_active = False
    chief_executive.save()
    _with_role("no-address", roles.SIGNATORY).__class__.objects.filter(
        username="no-address"
    ).update(email="")
    person_only = _with_role("person-address", roles.SIGNATORY)
    person_only.email = ""
    person_only.save()
    Person.objects.create(name="Deputy", email="deputy@example.org", user=person_only)
    with django_capture_on_commit_callbacks(execute=True):
        sign_off.note_submit(user=staff, meeting=_complete(), warnings_confirmed=True)
    assert _recipients() == ["deputy@example.org"]


def test_the_preferences_page_saves_the_kinds_received(client, staff):
    client.force_login(staff)
    url = reverse("meetings:notification-preferences")
    page = client.get(url).content.decode()
    assert "test-staff@example.org" in page
    assert page.count('type="checkbox"') == len(NotificationKind.values)
    response = client.post(url, {"receives": [NotificationKind.NOTE_SIGNED]})
    assert response.status_code == 302
    assert set(staff.notification_opt_outs.values_list("kind", flat=True)) == (
        set(NotificationKind.values) - {NotificationKind.NOTE_SIGNED}
    )
    assert AuditEvent.objects.filter(verb="notifications.preferences", actor=staff).exists()
    client.post(url, {"receives": NotificationKind.values})
    assert not staff.notification_opt_outs.exists()


def test_the_preferences_page_refuses_an_unknown_kind(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("meetings:notification-preferences"), {"receives": ["everything"]}
    )
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not staff.notification_opt_outs.exists()


# The daily reminders ----------------------------------------------------------------------


def _person(name: str, email: str = "", user=None) -> Person:
    return PersonFactory(name=name, email=email, user=user)


def test_reminders_go_to_owners_and_lead_of_actions_due_soon_or_overdue(
    settings, django_capture_on_commit_callbacks
):
    settings.ACTION_REMINDER_DAYS = 7
    today = dt.date(2026, 3, 10)
    owner, lead = _person("Owner", "owner@example.org"), _person("Lead", "lead@example.org")
    far = _person("Far", "far@example.org")
    ActionFactory(owners=[owner], lead=lead, due=today - dt.timedelta(days=2), description="Late")
    ActionFactory(owners=[owner], due=today + dt.timedelta(days=7), description="Soon")
    ActionFactory(owners=[far], due=today + dt.timedelta(days=8))
    ActionFactory(owners=[far], due=None)
    ActionFactory(owners=[far], due=today, status="closed", closed_on=today)
    with django_capture_on_commit_callbacks(execute=True):
        people, actions = notifications.action_reminders_send(today=today)
    assert (people, actions) == (2, 3)
    assert _recipients() == ["lead@example.org", "owner@example.org"]
    to_owner = next(m for m in mail.outbox if m.to == ["owner@example.org"])
    assert "Late" in to_owner.body and "Soon" in to_owner.body
    assert "Overdue: it was due by 8 March 2026." in to_owner.body
    assert to_owner.subject == "An action of yours is overdue"
    assert ActionReminder.objects.filter(sent_on=today).count() == 3


def test_the_reminders_are_sent_once_a_day(django_capture_on_commit_callbacks):
    today = dt.date(2026, 3, 10)
    ActionFactory(owners=[_person("Owner", "owner@example.org")], due=today)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--date", "2026-03-10", stdout=io.StringIO())
        call_command("send_reminders", "--date", "2026-03-10", stdout=io.StringIO())
    assert len(mail.outbox) == 1
    output = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--date", "2026-03-11", stdout=output)
    assert len(mail.outbox) == 2
    assert output.getvalue() == "Reminded 1 person of 1 action.\n"


def test_a_reminder_that_could_not_be_sent_is_tried_again(
    monkeypatch, django_capture_on_commit_callbacks
):
    today = dt.date(2026, 3, 10)
    ActionFactory(owners=[_person("Owner", "owner@example.org")], due=today)

    def refuse(self, messages):
        raise ConnectionRefusedError("the mail server is down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        notifications.action_reminders_send(today=today)
    assert not ActionReminder.objects.exists()
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        notifications.action_reminders_send(today=today)
    assert len(mail.outbox) == 1


def test_a_reminder_uses_the_account_address_and_respects_the_opt_out(
    commissioner, staff, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    ActionFactory(owners=[_person("Commissioner", user=commissioner)], due=today)
    ActionFactory(owners=[_person("Staff member", user=staff)], due=today)
    notifications.notification_preferences_set(user=staff, receives=[])
    with django_capture_on_commit_callbacks(execute=True):
        notifications.action_reminders_send()
    assert _recipients() == ["test-commissioner@example.org"]


def test_the_reminders_command_refuses_a_bad_date():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--date", "10/03/2026")


def test_one_rule_of_address_the_accounts_first_then_its_persons(
    staff, commissioner, django_capture_on_commit_callbacks
):
    """A person with an address of their own, linked to an account with another: the
    notification and the reminder both go to the account's; without one, to the person's."""
    from meetings.selectors.notifications import address_of

    both = _person("Both", "person@example.org", user=staff)
    assert address_of(user=staff, person=both) == staff.email
    User.objects.filter(pk=commissioner.pk).update(email="")
    commissioner.refresh_from_db()
    only_person = _person("Only person", "only-person@example.org", user=commissioner)
    assert address_of(user=commissioner, person=only_person) == "only-person@example.org"
    assert address_of(user=None, person=None) == ""

    today = timezone.localdate()
    ActionFactory(owners=[both, only_person], due=today)
    with django_capture_on_commit_callbacks(execute=True):
        notifications.action_reminders_send()
    assert _recipients() == ["only-person@example.org", staff.email]

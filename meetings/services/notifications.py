"""Emails about the work that falls to someone: a note to sign, a note returned or signed, a
report awaiting the Commissioner's conclusion, actions falling due. Each is sent once the
change it tells of has committed, to everyone concerned who has not opted out of its kind."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .. import roles
from ..models import (
    ActionReminder,
    ExceptionReport,
    Meeting,
    NotificationKind,
    NotificationOptOut,
)
from ..selectors import notifications as recipients
from .editing import audit

logger = logging.getLogger(__name__)

Kind = NotificationKind


def absolute_url(path: str) -> str:
    """``path`` on the portal as people reach it (PORTAL_BASE_URL)."""
    return f"{settings.PORTAL_BASE_URL}{path}"


def _message(*, to: str, subject: str, template: str, context: dict) -> EmailMessage:
    """A plain-text email (every mail client reads it) with the link to the page it is about
    and to the preferences where its kind can be turned off."""
    context = {
        **context,
        "organisation_name": settings.ORGANISATION_NAME,
        "preferences_url": absolute_url(reverse("meetings:notification-preferences")),
    }
    text = render_to_string(f"meetings/notifications/{template}.txt", context)
    return EmailMessage(subject=subject, body=text, to=[to])


def _send(messages: list[EmailMessage], *, on_failure=None) -> None:
    """Send each message on its own (a recipient sees no other's address); one that cannot be
    sent is logged (and ``on_failure`` called with it), the others still go."""
    if not messages:
        return
    connection = get_connection()
    for message in messages:
        try:
            connection.send_messages([message])
        except Exception:  # an email server down must not undo what was committed
            logger.exception("Could not send the email %r to %s", message.subject, message.to)
            if on_failure is not None:
                on_failure(message)


def _send_on_commit(
    *, addresses: Iterable[str], subject: str, template: str, context: dict
) -> None:
    messages = [
        _message(to=address, subject=subject, template=template, context=context)
        for address in addresses
    ]
    if messages:
        transaction.on_commit(lambda: _send(messages))


def _meeting_context(meeting: Meeting, path: str) -> dict:
    return {"meeting": meeting, "url": absolute_url(path)}


def note_submitted_notify(*, meeting: Meeting) -> None:
    """Tell the signatories that a note waits for their signature."""
    _send_on_commit(
        addresses=recipients.holders_of(permission=roles.SIGN_NOTE, kind=Kind.NOTE_SUBMITTED),
        subject=f"For your signature: the note of the {meeting}",
        template="note_submitted",
        context=_meeting_context(meeting, reverse("meetings:note-sign", args=[meeting.pk])),
    )


def note_returned_notify(*, meeting: Meeting, comment: str) -> None:
    """Tell whoever submitted the note that it came back, with the signatory's comments."""
    _send_on_commit(
        addresses=recipients.submitter_of(meeting=meeting, kind=Kind.NOTE_RETURNED),
        subject=f"Returned with comments: the note of the {meeting}",
        template="note_returned",
        context={**_meeting_context(meeting, meeting.get_absolute_url()), "comment": comment},
    )


def note_signed_notify(*, meeting: Meeting) -> None:
    """Tell the staff who publish notes that a note is signed and can be published."""
    _send_on_commit(
        addresses=recipients.holders_of(permission=roles.PUBLISH_NOTE, kind=Kind.NOTE_SIGNED),
        subject=f"Signed: the note of the {meeting}",
        template="note_signed",
        context=_meeting_context(meeting, meeting.get_absolute_url()),
    )


def report_awaiting_conclusion_notify(*, report: ExceptionReport) -> None:
    """Tell the Commissioner (the reviewers) that a report awaits their conclusion."""
    kind = Kind.REPORT_AWAITING_CONCLUSION
    _send_on_commit(
        addresses=recipients.holders_of(permission=roles.RECORD_CONCLUSION, kind=kind),
        subject=f"For your conclusion: the exception report on {report.category_name}",
        template="report_awaiting_conclusion",
        context={
            **_meeting_context(report.meeting, reverse("meetings:conclusion", args=[report.pk])),
            "report": report,
        },
    )


@transaction.atomic
def notification_preferences_set(*, user: AbstractBaseUser, receives: Iterable[str]) -> None:
    """Keep the kinds of email ``user`` still receives; every other kind is opted out of."""
    receives = set(receives)
    unknown = receives - set(Kind.values)
    if unknown:
        raise ValueError(f"Unknown kinds of email: {sorted(unknown)}")
    refused = set(Kind.values) - receives
    NotificationOptOut.objects.filter(user=user).exclude(kind__in=refused).delete()
    NotificationOptOut.objects.bulk_create(
        [NotificationOptOut(user=user, kind=kind) for kind in sorted(refused)],
        ignore_conflicts=True,
    )
    audit(
        user,
        None,
        "notifications.preferences",
        "Emails received: "
        + (
            ", ".join(Kind(kind).label.lower() for kind in Kind.values if kind in receives)
            or "none"
        ),
        opted_out=sorted(refused),
    )


@transaction.atomic
def action_reminders_send(*, today: dt.date | None = None) -> tuple[int, int]:
    """Remind each owner and lead of their open actions due within ACTION_REMINDER_DAYS or
    overdue, once a day: what was sent is recorded, and a second run the same day sends
    nothing new. Returns (people reminded, actions reminded of)."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=settings.ACTION_REMINDER_DAYS)
    due = recipients.reminders_due(today=today, horizon=horizon)
    messages, rows = [], {}
    for reminder in due:
        created = []
        for action in reminder.actions:
            try:
                with transaction.atomic():
                    created.append(
                        ActionReminder.objects.create(
                            action=action,
                            person=reminder.person,
                            sent_on=today,
                            email=reminder.email,
                            overdue=action.due < today,
                        )
                    )
            except IntegrityError:  # a run at the same moment recorded it first
                continue
        if not created:
            continue
        actions = [row.action for row in created]
        message = _message(
            to=reminder.email,
            subject=_reminder_subject(actions, today),
            template="action_reminder",
            context={
                "person": reminder.person,
                "actions": actions,
                "today": today,
                "url": absolute_url(reverse("meetings:my-work")),
            },
        )
        messages.append(message)
        rows[id(message)] = [row.pk for row in created]
    count = sum(len(pks) for pks in rows.values())
    if messages:
        audit(
            None,
            None,
            "notifications.reminders",
            f"Reminded {len(messages)} people of {count} actions "
            f"due by {horizon.day} {horizon:%B %Y}",
            sent_on=today.isoformat(),
        )

        def unrecord(message) -> None:
            # Not sent: the next run tries again.
            ActionReminder.objects.filter(pk__in=rows[id(message)]).delete()

        transaction.on_commit(lambda: _send(messages, on_failure=unrecord))
    return len(messages), count


def _reminder_subject(actions, today: dt.date) -> str:
    overdue = sum(1 for action in actions if action.due < today)
    if overdue:
        return (
            f"{overdue} of your actions overdue" if overdue > 1 else "An action of yours is overdue"
        )
    return (
        f"{len(actions)} of your actions due soon"
        if len(actions) > 1
        else "An action of yours is due soon"
    )

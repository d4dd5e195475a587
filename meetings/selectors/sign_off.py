"""Reading a note for its sign-off: whether it is ready (the task list), what it prints as plain
data with its fingerprint (what the signatory reads and signs), what changed since someone read
it, who edited it, and how the signatory's name is printed."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse
from django.utils import timezone

from ..models import (
    ActionPlan,
    AgendaItem,
    Aim,
    Attendance,
    AuditEvent,
    Decision,
    ExceptionReport,
    Meeting,
    Person,
)
from .exception_reports import frozen_comparison, note_performance
from .history import narrative_diff
from .note import MeetingNote, meeting_note

# The verbs of sign-off itself: taking part in them is not editing the note.
SIGN_OFF_VERBS = ("note.submitted", "note.return", "note.signed", "note.published")


# What the note prints ------------------------------------------------------------------------


def note_snapshot(*, meeting: Meeting) -> dict[str, Any]:
    """Everything the signed note prints, as plain JSON-ready data, restricted items included."""
    note = meeting_note(meeting=meeting)

    def local(value):
        return timezone.localtime(value).isoformat() if value else None

    return {
        "meeting": {
            "title": meeting.title,
            "start": local(meeting.start),
            "start_time_given": meeting.has_start_time,
            "end": local(meeting.end),
            "venue": meeting.venue,
            "numbering": meeting.numbering,
            "first_minute_number": meeting.first_minute_number,
            "document": note.document_name,
        },
        "attendance": [
            {
                "heading": heading,
                "name": line.attendance.name,
                "printed": " ".join(part for part in (line.first, line.second) if part),
                "role": line.attendance.role,
                "chair": line.attendance.is_chair,
                "note_taker": line.attendance.is_note_taker,
                "on_behalf_of": line.attendance.on_behalf_of_name,
            }
            for heading, people in note.attendance_groups
            for line in people
        ],
        "items": [
            {
                "label": entry.label,
                "title": entry.item.title,
                "narrative": entry.item.narrative,
                "assurance_statement": entry.item.assurance_statement,
                "restricted": entry.item.is_restricted,
                "exemption": entry.item.exemption,
                "decisions": [
                    {
                        "text": decision.text,
                        "notice_reference": decision.notice_reference,
                        "notice_url": decision.notice_url,
                    }
                    for decision in entry.item.decisions.all()
                ],
                "previous_minutes": {
                    "meeting": local(entry.item.previous_meeting.start)
                    if entry.item.previous_meeting
                    else None,
                    "outcome": entry.item.get_previous_outcome_display(),
                    "note": entry.item.previous_outcome_note,
                },
            }
            for entry in note.items
        ],
        "actions": [
            {
                "label": f"Action {action.number}",
                "text": action.description,
                "lead": action.lead,
                "owners": ", ".join(action.owners),
                "due": action.due.isoformat() if action.due else None,
                "item": f"{action.item_label} {action.item_title}".strip(),
            }
            for action in note.actions
        ],
        "action_progress": [
            {"label": f"Action {entry.number}", "text": entry.text, "status": entry.status_label}
            for entry in note.action_progress
        ],
        **note_performance(meeting=meeting, with_chart=False),
    }


def snapshot_sha256(content: dict[str, Any]) -> str:
    """The fingerprint of a snapshot: SHA-256 of its canonical JSON."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Difference:
    """One thing that reads differently now from what someone was shown."""

    where: str
    before: str
    now: str

    @property
    def words(self):
        return narrative_diff(self.before, self.now)


def _flatten(value: Any, path: str, out: dict[str, str]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _flatten(inner, f"{path} › {key}" if path else str(key), out)
    elif isinstance(value, list):
        for index, inner in enumerate(value, start=1):
            label = _entry_label(inner) or str(index)
            _flatten(inner, f"{path} › {label}", out)
    else:
        out[path] = "" if value is None else str(value)


def _entry_label(entry: Any) -> str:
    if isinstance(entry, dict):
        for key in ("label", "name", "category", "title", "text"):
            if entry.get(key) and key != "label":
                prefix = f"{entry['label']} " if entry.get("label") else ""
                return f"{prefix}{str(entry[key])[:60]}"
    return ""


def snapshot_differences(before: dict[str, Any], now: dict[str, Any]) -> list[Difference]:
    """What reads differently in ``now`` from ``before``, field by field, in the note's order."""
    old: dict[str, str] = {}
    new: dict[str, str] = {}
    _flatten(before, "", old)
    _flatten(now, "", new)
    paths = list(new) + [path for path in old if path not in new]
    return [
        Difference(where=path, before=old.get(path, ""), now=new.get(path, ""))
        for path in paths
        if old.get(path, "") != new.get(path, "")
    ]


# Readiness ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Task:
    """One line of the task list (GOV.UK task list pattern)."""

    name: str
    status: str  # "Completed", "Incomplete" or "Check"
    url: str
    problems: tuple[str, ...] = ()
    blocking: bool = True

    @property
    def is_complete(self) -> bool:
        return self.status == "Completed"


@dataclass(frozen=True)
class Readiness:
    tasks: tuple[Task, ...]
    missing: tuple[str, ...] = field(default=())  # what blocks submitting and signing
    warnings: tuple[str, ...] = field(default=())  # what the submitter must confirm

    @property
    def is_ready(self) -> bool:
        return not self.missing

    @property
    def completed(self) -> int:
        return sum(task.is_complete for task in self.tasks)


def note_readiness(
    *,
    meeting: Meeting,
    note: MeetingNote | None = None,
    reports: list[ExceptionReport] | None = None,
) -> Readiness:
    """Whether the note is complete enough to submit and to sign, task by task.

    Blocking: no attendance, no items, a red category neither reported nor dismissed with a
    reason, a proposal not decided, a report without the Commissioner's conclusion or a
    deferral to a named later meeting. To be confirmed: items without a note, no frozen
    comparison (a meeting may consider none).
    """
    note = note or meeting_note(meeting=meeting)
    tasks: list[Task] = []

    def url(name: str) -> str:
        return reverse(name, args=[meeting.pk])

    present = note.present or note.in_attendance
    tasks.append(
        Task(
            "Record who attended",
            "Completed" if present else "Incomplete",
            url("meetings:attendance-edit"),
            () if present else ("No one is listed as present or in attendance.",),
        )
    )
    unwritten = [
        f"{entry.label} {entry.item.title} has no note."
        for entry in note.items
        if not entry.item.narrative.strip() and not entry.item.decisions.all()
    ]
    if not note.items:
        tasks.append(
            Task(
                "Write the note of each item",
                "Incomplete",
                url("meetings:agenda-edit"),
                ("The note has no items.",),
            )
        )
    else:
        tasks.append(
            Task(
                "Write the note of each item",
                "Check" if unwritten else "Completed",
                url("meetings:agenda-edit"),
                tuple(unwritten),
                blocking=False,
            )
        )
    frozen = frozen_comparison(meeting=meeting)
    tasks.append(
        Task(
            "Freeze the performance comparison",
            "Completed" if frozen else "Check",
            url("meetings:comparison"),
            () if frozen else ("No performance comparison is frozen into this meeting.",),
            blocking=False,
        )
    )
    if reports is None:  # else the meeting's, as meeting_reports reads them
        reports = list(meeting.exception_reports.select_related("deferred_to").order_by("position"))
    by_slug = {report.category_slug: report for report in reports}
    unreconciled = []
    if frozen is not None:
        for row in frozen.comparison.red_rows:
            report = by_slug.get(row.category_slug)
            if report is None or report.status == ExceptionReport.Status.PROPOSED:
                unreconciled.append(
                    f"{row.category_name} is red: report on it or dismiss it with a reason."
                )
    unreconciled += [
        f"{report.category_name} is proposed: accept or dismiss it."
        for report in reports
        if report.status == ExceptionReport.Status.PROPOSED and not report.is_red
    ]
    tasks.append(
        Task(
            "Report on or dismiss every red category",
            "Incomplete" if unreconciled else "Completed",
            url("meetings:exception-report-list"),
            tuple(unreconciled),
        )
    )
    unconcluded = [
        f"{report.category_name} has no conclusion from the Commissioner and is not deferred to "
        "a later meeting."
        for report in reports
        if report.status == ExceptionReport.Status.ACCEPTED
        and not report.conclusion
        and report.deferred_to_id is None
    ]
    tasks.append(
        Task(
            "Record the Commissioner's conclusion on each report",
            "Incomplete" if unconcluded else "Completed",
            reverse("meetings:review"),
            tuple(unconcluded),
        )
    )
    return Readiness(
        tasks=tuple(tasks),
        missing=tuple(p for task in tasks if task.blocking for p in task.problems),
        warnings=tuple(p for task in tasks if not task.blocking for p in task.problems),
    )


# Who did what ---------------------------------------------------------------------------------


def note_editors(*, meeting: Meeting) -> set[int]:
    """The ids of the users who changed this note's content (not its sign-off), by the audit
    trail and the field history of everything in it."""
    editors = set(
        AuditEvent.objects.filter(meeting=meeting, actor__isnull=False)
        .exclude(verb__in=SIGN_OFF_VERBS)
        .values_list("actor_id", flat=True)
    )
    # The meeting row itself also changes on sign-off steps (its status): its own edits are
    # the services' audit events above.
    histories: Iterable = (
        Attendance.history.filter(meeting_id=meeting.pk),
        AgendaItem.history.filter(meeting_id=meeting.pk),
        Decision.history.filter(item__meeting_id=meeting.pk),
        ExceptionReport.history.filter(meeting_id=meeting.pk),
        ActionPlan.history.filter(report__meeting_id=meeting.pk),
        Aim.history.filter(plan__report__meeting_id=meeting.pk),
    )
    for history in histories:
        editors |= set(
            history.filter(history_user__isnull=False).values_list("history_user_id", flat=True)
        )
    return editors


def note_submitter(*, meeting: Meeting) -> int | None:
    """The user who last submitted the note, if any."""
    return (
        meeting.transitions.filter(to_status=Meeting.Status.SUBMITTED)
        .order_by("-created_at", "-id")
        .values_list("actor_id", flat=True)
        .first()
    )


def signatory_refusal(*, meeting: Meeting, user: AbstractBaseUser) -> str:
    """Why ``user`` may not sign ``meeting`` under the separation of duties, or ""."""
    if not settings.SIGN_OFF_SEPARATE_SIGNATORY:
        return ""
    if note_submitter(meeting=meeting) == user.pk:
        return "You submitted this note: someone else must sign it."
    if user.pk in note_editors(meeting=meeting):
        return "You edited this note: someone who did not write it must sign it."
    return ""


@dataclass(frozen=True)
class Signatory:
    """How the signing account's person is printed under the signature."""

    person: Person | None
    name: str
    title: str


def signatory_of(*, user: AbstractBaseUser) -> Signatory:
    person = Person.objects.filter(user=user).first()
    if person is None:
        return Signatory(person=None, name="", title="")
    return Signatory(person=person, name=person.signature_name, title=person.signing_title)


@dataclass(frozen=True)
class StoredPdf:
    """What serving a signed note's stored PDF needs, none of it read from the file: the
    stored file's name, its size and SHA-256 (the ETag), the signing time (Last-Modified)
    and the name a reader saves it under."""

    name: str
    size: int | None
    sha256: str
    signed_at: dt.datetime
    filename: str


def stored_pdf(meeting: Meeting) -> StoredPdf:
    local = timezone.localtime(meeting.start)
    suffix = f"-revision-{meeting.revision_number}" if meeting.revision_number > 1 else ""
    return StoredPdf(
        name=meeting.pdf.name,
        size=meeting.pdf_size,
        sha256=meeting.pdf_sha256,
        signed_at=meeting.signed_at or meeting.updated_at,  # always signed_at once signed
        filename=f"meeting-note-{local:%Y-%m-%d}{suffix}.pdf",
    )


def note_pdf_job_key(meeting: Meeting) -> str:
    """The one job that makes a signed note's PDF (``jobs.Job.idempotency_key``)."""
    return f"note-pdf:{meeting.pk}"


def note_pdf_job(*, meeting: Meeting):
    """The job making (or that made) the signed note's PDF, None before signing."""
    from jobs.selectors import job_by_key

    return job_by_key(note_pdf_job_key(meeting))

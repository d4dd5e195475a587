"""The note's way to publication: draft → submitted → signed → published.

Staff submit; the signatory signs or returns the note with comments; staff with the publish
permission publish a signed note. Signing renders the PDF once, stores it with its SHA-256 and
freezes the meeting. A correction after signing is a new revision that starts as a draft.
"""

from __future__ import annotations

import hashlib
import logging

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from jobs.models import Job
from jobs.services import JobRefused, Progress, job_enqueue

from .. import roles
from ..models import (
    AgendaItem,
    Aim,
    Decision,
    FrozenComparison,
    Meeting,
    NoteSnapshot,
    NoteTransition,
)
from ..selectors.exception_reports import frozen_comparison, red_spells
from ..selectors.note import note_search_text
from ..selectors.sign_off import (
    Readiness,
    note_pdf_job_key,
    note_readiness,
    note_snapshot,
    signatory_of,
    signatory_refusal,
    snapshot_differences,
    snapshot_sha256,
)
from . import notifications
from .editing import audit, save_by
from .exception_reports import frozen_reds_record
from .note import attendance_copy

logger = logging.getLogger(__name__)

Status = Meeting.Status


class TransitionRefused(Exception):
    """The note cannot make this step; the message says why, in words for the user, and
    ``missing`` lists what is incomplete, ``differences`` what changed since it was read."""

    def __init__(self, message: str, *, missing=(), differences=()):
        super().__init__(message)
        self.missing = list(missing)
        self.differences = list(differences)


def _locked(meeting: Meeting) -> Meeting:
    """The meeting re-read under a row lock, so two people cannot move it at once."""
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _require(user: AbstractBaseUser, permission: str, action: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied(f"You do not have permission to {action}.")


def _require_status(meeting: Meeting, expected: str, action: str) -> None:
    if meeting.status != expected:
        raise TransitionRefused(
            f"Cannot {action}: the note is {meeting.get_status_display().lower()}, "
            f"not {Status(expected).label.lower()}."
        )


def _require_ready(meeting: Meeting, action: str, *, warnings_confirmed: bool) -> Readiness:
    readiness = note_readiness(meeting=meeting)
    if readiness.missing:
        raise TransitionRefused(
            f"Cannot {action}: the note is not complete. " + " ".join(readiness.missing),
            missing=readiness.missing,
        )
    if readiness.warnings and not warnings_confirmed:
        raise TransitionRefused(
            f"Cannot {action} before confirming: " + " ".join(readiness.warnings),
            missing=readiness.warnings,
        )
    return readiness


def _record(
    *, meeting: Meeting, user: AbstractBaseUser, from_status: str, comment: str = "", **extra
) -> None:
    NoteTransition.objects.create(
        meeting=meeting,
        actor=user,
        from_status=from_status,
        to_status=meeting.status,
        comment=comment,
    )
    audit(
        user,
        meeting,
        f"note.{meeting.status}" if meeting.status != Status.DRAFT else "note.return",
        f"{Status(from_status).label} → {meeting.get_status_display()}: {meeting}",
        **({"comment": comment} if comment else {}),
        **extra,
    )


@transaction.atomic
def note_submit(
    *, user: AbstractBaseUser, meeting: Meeting, warnings_confirmed: bool = False
) -> Meeting:
    """Send the note to the signatory once it is complete (``note_readiness``); what is only a
    warning (an item without a note, no comparison) needs ``warnings_confirmed``. From now
    until it is signed or returned, nothing in it can change."""
    _require(user, roles.SUBMIT_NOTE, "submit notes")
    meeting = _locked(meeting)
    _require_status(meeting, Status.DRAFT, "submit the note")
    readiness = _require_ready(meeting, "submit the note", warnings_confirmed=warnings_confirmed)
    meeting.status = Status.SUBMITTED
    save_by(meeting, user, ["status", "updated_at"])
    content = note_snapshot(meeting=meeting)
    sha256 = note_snapshot_keep(meeting=meeting, content=content)
    _record(
        meeting=meeting,
        user=user,
        from_status=Status.DRAFT,
        content_sha256=sha256,
        warnings_confirmed=list(readiness.warnings),
    )
    notifications.note_submitted_notify(meeting=meeting)
    return meeting


def note_snapshot_keep(*, meeting: Meeting, content: dict | None = None) -> str:
    """Keep the note's printed content as it is now under its SHA-256 (once per content), so
    that what someone was shown can be compared with what the note says later."""
    content = note_snapshot(meeting=meeting) if content is None else content
    sha256 = snapshot_sha256(content)
    NoteSnapshot.objects.get_or_create(
        meeting=meeting, sha256=sha256, defaults={"content": content}
    )
    return sha256


@transaction.atomic
def note_return(*, user: AbstractBaseUser, meeting: Meeting, comment: str) -> Meeting:
    _require(user, roles.SIGN_NOTE, "return notes")
    comment = comment.strip()
    if not comment:
        raise TransitionRefused("Say what needs changing when returning a note.")
    meeting = _locked(meeting)
    _require_status(meeting, Status.SUBMITTED, "return the note")
    meeting.status = Status.DRAFT
    save_by(meeting, user, ["status", "updated_at"])
    _record(meeting=meeting, user=user, from_status=Status.SUBMITTED, comment=comment)
    notifications.note_returned_notify(meeting=meeting, comment=comment)
    return meeting


def _printed_signatory(
    user: AbstractBaseUser, meeting: Meeting, *, name: str, title: str, reason: str
) -> tuple[str, str]:
    """The name and title printed under the signature: the signing account's person's, or a
    correction of them, which needs a reason and is recorded."""
    signatory = signatory_of(user=user)
    if signatory.person is None:
        raise TransitionRefused(
            "Your account is not linked to a person, so the note cannot print who signed it. "
            "Ask an administrator to link your account to your person record."
        )
    name, title, reason = name.strip(), title.strip(), reason.strip()
    printed = (name or signatory.name, title or signatory.title)
    if not printed[1]:
        raise TransitionRefused(
            "Your person record has no title to print under your signature: give it as a "
            "correction, with the reason."
        )
    if printed != (signatory.name, signatory.title):
        if not reason:
            raise TransitionRefused(
                "Say why the name or title printed under your signature differs from your "
                "person record."
            )
        person = signatory.person
        person.signs_as, person.signing_title = printed
        person.save(update_fields=["signs_as", "signing_title"])
        audit(
            user,
            meeting,
            "note.signatory_corrected",
            f"Printed as {printed[0]}, {printed[1]} (was {signatory.name}, {signatory.title})",
            was={"name": signatory.name, "title": signatory.title},
            now={"name": printed[0], "title": printed[1]},
            reason=reason,
        )
    return printed


@transaction.atomic
def note_sign(
    *,
    user: AbstractBaseUser,
    meeting: Meeting,
    read_sha256: str,
    corrected_name: str = "",
    corrected_title: str = "",
    correction_reason: str = "",
) -> Meeting:
    """Sign the note as the signatory read it: ``read_sha256`` is the fingerprint of the note
    they were shown (``note_snapshot_keep``); if anything reads differently now, nothing is
    signed and the differences are given. Renders the PDF once, signs it digitally when a
    certificate is set, and stores it after commit."""
    _require(user, roles.SIGN_NOTE, "sign notes")
    meeting = _locked(meeting)
    _require_status(meeting, Status.SUBMITTED, "sign the note")
    if refusal := signatory_refusal(meeting=meeting, user=user):
        raise TransitionRefused(f"Cannot sign the note: {refusal}")
    _require_ready(meeting, "sign the note", warnings_confirmed=True)
    content = note_snapshot(meeting=meeting)
    if snapshot_sha256(content) != read_sha256:
        read = NoteSnapshot.objects.filter(meeting=meeting, sha256=read_sha256).first()
        raise TransitionRefused(
            "The note has changed since you read it: read it again before signing.",
            differences=snapshot_differences(read.content, content) if read else (),
        )
    signatory_name, signatory_title = _printed_signatory(
        user, meeting, name=corrected_name, title=corrected_title, reason=correction_reason
    )

    # WeasyPrint and pyHanko take a while to import: only signing needs them.
    from .. import signing

    # A certificate that is configured but cannot be used stops the signing here, before
    # anything is recorded, never later in the job.
    signer = signing.organisation_signer()

    _record_red_history(meeting)
    _record_names(meeting)
    meeting.printed_style = meeting.body.print_style.to_dict()
    meeting.status = Status.SIGNED
    meeting.signatory_name = signatory_name
    meeting.signatory_title = signatory_title
    meeting.signed_by = user
    meeting.signed_at = timezone.now().replace(microsecond=0)
    meeting.pdf_sha256 = ""
    meeting.pdf_size = None
    meeting.pdf_pages = None
    meeting.pdf_digitally_signed = signer is not None
    local = timezone.localtime(meeting.start)
    meeting.pdf.name = meeting.pdf.field.generate_filename(
        meeting, f"meeting-note-{local:%Y-%m-%d}-{meeting.pk}-r{meeting.revision_number}.pdf"
    )
    save_by(meeting, user)
    # The PDF is rendered, signed and stored by a job, queued once the signing has committed:
    # a signing rolled back leaves no file and no job.
    from ..tasks import note_pdf_store as task

    job_enqueue(
        kind=Job.Kind.NOTE_PDF,
        key=note_pdf_job_key(meeting),
        user=user,
        task=task,
        arguments={"meeting": meeting.pk},
        message="Waiting to render the signed PDF.",
        result_url=meeting.get_absolute_url(),
    )
    _record(meeting=meeting, user=user, from_status=Status.SUBMITTED, content_sha256=read_sha256)
    notifications.note_signed_notify(meeting=meeting)
    return meeting


def note_pdf_store(*, meeting_id: int, progress: Progress) -> str:
    """The job of a signing: render the signed note, sign it digitally when the signing
    recorded a certificate, store it and record its SHA-256 (``Meeting.pdf_sha256``, set once).

    Safe to run again, and at once on two workers: a PDF already recorded whose stored file
    has its hash is left alone, and only one attempt records its file (under the row's lock);
    a worker killed before that leaves nothing recorded, and the next attempt does it all.
    """
    from .. import pdf, signing

    meeting = Meeting.objects.select_related("body").get(pk=meeting_id)
    if not meeting.is_frozen:
        raise JobRefused("The note is not signed: there is no signed PDF to make.")
    if meeting.pdf_sha256:
        return _already_stored(meeting)
    progress(10, "Rendering the note.")
    document = pdf.meeting_pdf(
        meeting,
        signature=pdf.SignatureBlock(
            name=meeting.signatory_name,
            title=meeting.signatory_title,
            signed_at=meeting.signed_at,
        ),
        draft=False,
        created=meeting.signed_at,
    )
    if meeting.pdf_digitally_signed:
        progress(60, "Adding the digital signature.")
        signer = signing.organisation_signer()
        if signer is None:
            raise JobRefused(
                "The note was signed with the organisation's certificate, which is no longer "
                "configured: ask the administrator to restore it, then sign again."
            )
        document = signing.sign_pdf(
            document,
            signer=signer,
            reason=signing.signature_reason(
                name=meeting.signatory_name, title=meeting.signatory_title
            ),
            location=signing.signature_location(),
        )
    progress(85, "Storing the PDF.")
    sha256 = hashlib.sha256(document).hexdigest()
    with transaction.atomic():
        locked = _locked(meeting)
        if locked.pdf_sha256:  # another attempt recorded its file first
            return _already_stored(locked)
        _store_pdf(locked.pdf.storage, locked.pdf.name, document)
        locked.pdf_sha256 = sha256
        locked.pdf_size = len(document)
        locked.pdf_pages = pdf.page_count(document)
        locked.save(update_fields=["pdf_sha256", "pdf_size", "pdf_pages", "updated_at"])
        audit(
            None,
            locked,
            "note.pdf_stored",
            f"Signed PDF stored: {locked.pdf.name}",
            sha256=sha256,
            bytes=len(document),
        )
    return "The signed PDF is stored."


def _already_stored(meeting: Meeting) -> str:
    try:
        with meeting.pdf.open("rb") as stored:
            digest = hashlib.sha256(stored.read()).hexdigest()
    except OSError:
        digest = None
    if digest != meeting.pdf_sha256:
        raise JobRefused(
            "The stored PDF of this signed note is missing or does not match its recorded "
            "SHA-256: restore it from a backup (manage.py import_archive)."
        )
    return "The signed PDF was already stored."


def _store_pdf(storage, name: str, document: bytes) -> None:
    """Write the signed PDF under the name its row records (a file left there by an earlier,
    interrupted attempt is replaced)."""
    if storage.exists(name):
        storage.delete(name)
    stored = storage.save(name, ContentFile(document))
    if stored != name:  # pragma: no cover - a storage that renames files it is given
        logger.error("The signed PDF %s was stored as %s", name, stored)


def _copy_scrutiny(meeting: Meeting, revision: Meeting, *, copies: dict) -> None:
    """The frozen comparison, exception reports, action plans and aims, into a revision."""
    frozen = frozen_comparison(meeting=meeting)
    if frozen is not None:
        copy = FrozenComparison.objects.create(
            meeting=revision,
            requested_period=frozen.requested_period,
            period=frozen.period,
            force_code=frozen.force_code,
            data=frozen.data,
            red_slugs=frozen.red_slugs,
            releases=frozen.releases,
            frozen_at=frozen.frozen_at,
            frozen_by=frozen.frozen_by,
        )
        frozen_reds_record(copy)
    reports = meeting.exception_reports.prefetch_related("action_plans__aims")
    for report in reports:
        plans = list(report.action_plans.all())
        report.pk = report.id = None
        report.meeting = revision
        report.item = copies.get(report.item_id)
        report.save()
        for plan in plans:
            aims = list(plan.aims.all())
            plan.pk = plan.id = None
            plan.report = report
            plan.save()
            Aim.objects.bulk_create(
                Aim(plan=plan, position=aim.position, text=aim.text) for aim in aims
            )


def _record_names(meeting: Meeting) -> None:
    """Keep the attendees' names as the note prints them when it is signed."""
    for attendance in meeting.attendances.select_related("person", "on_behalf_of"):
        attendance.signed_name = attendance.person.name
        attendance.signed_on_behalf_of_name = (
            attendance.on_behalf_of.name if attendance.on_behalf_of_id else ""
        )
        attendance.signed_initials = attendance.person.initials
        attendance.save(
            update_fields=["signed_name", "signed_on_behalf_of_name", "signed_initials"]
        )


def _record_red_history(meeting: Meeting) -> None:
    """Keep each report's "red since" sentence as it stands when signed: later changes to other
    meetings must not change a signed note."""
    reports = list(meeting.exception_reports.select_related("meeting"))
    spells = red_spells(reports)
    for report in reports:
        spell = spells.get(report.pk)
        report.red_history = spell.sentence if spell else ""
        report.save(update_fields=["red_history"])


@transaction.atomic
def note_publish(*, user: AbstractBaseUser, meeting: Meeting) -> Meeting:
    _require(user, roles.PUBLISH_NOTE, "publish notes")
    meeting = _locked(meeting)
    _require_status(meeting, Status.SIGNED, "publish the note")
    if not meeting.pdf_sha256:
        raise TransitionRefused(
            "Cannot publish the note yet: its signed PDF is still being made. Try again once "
            "its job is done."
        )
    meeting.status = Status.PUBLISHED
    meeting.published_at = timezone.now()
    meeting.search_text = note_search_text(meeting)
    save_by(meeting, user, ["status", "published_at", "search_text", "updated_at"])
    _record(meeting=meeting, user=user, from_status=Status.SIGNED)
    return meeting


@transaction.atomic
def note_revise(*, user: AbstractBaseUser, meeting: Meeting) -> Meeting:
    """Start a correction of a signed note: a new draft revision with the same content."""
    _require(user, roles.EDIT_NOTE, "correct notes")
    meeting = _locked(meeting)
    if not meeting.is_frozen:
        raise TransitionRefused("Only a signed note needs a revision; edit the draft instead.")
    if Meeting.objects.filter(revises=meeting).exists():
        raise TransitionRefused("A revision of this note already exists.")
    revision = Meeting.objects.create(
        body=meeting.body,
        title=meeting.title,
        start=meeting.start,
        has_start_time=meeting.has_start_time,
        end=meeting.end,
        venue=meeting.venue,
        numbering=meeting.numbering,
        first_minute_number=meeting.first_minute_number,
        revises=meeting,
        revision_number=meeting.revision_number + 1,
        created_by=user,
    )
    attendance_copy(source=meeting, target=revision, with_substitutes=True)
    items = list(meeting.items.prefetch_related("decisions"))
    copies = AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=revision,
            position=i.position,
            title=i.title,
            narrative=i.narrative,
            assurance_statement=i.assurance_statement,
            is_restricted=i.is_restricted,
            exemption=i.exemption,
            previous_meeting_id=i.previous_meeting_id,
            previous_outcome=i.previous_outcome,
            previous_outcome_note=i.previous_outcome_note,
        )
        for i in items
    )
    Decision.objects.bulk_create(
        Decision(
            item=copy,
            position=d.position,
            text=d.text,
            notice_reference=d.notice_reference,
            notice_url=d.notice_url,
        )
        for original, copy in zip(items, copies, strict=True)
        for d in original.decisions.all()
    )
    _copy_scrutiny(meeting, revision, copies={o.pk: c for o, c in zip(items, copies, strict=True)})
    audit(
        user,
        revision,
        "note.revise",
        f"Started revision {revision.revision_number} of {meeting}",
        revises=meeting.pk,
    )
    return revision

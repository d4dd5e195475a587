"""Writing the scrutiny of performance: freeze the comparison a meeting considered, propose
exception reports where the force is red, record the force's account, its action plans and
aims, and the Commissioner's conclusion."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from performance.comparison import Comparison, ComparisonRow
from performance.periods import Period
from performance.selectors.comparison import comparison_build
from performance.selectors.reference import home_force, releases_for

from .. import roles
from ..models import ActionPlan, Aim, ExceptionReport, FrozenComparison, FrozenReds, Meeting
from ..selectors import history
from ..selectors.exception_reports import frozen_comparison, returning_reports
from ..selectors.series import later_meetings
from . import notifications
from .editing import (
    audit,
    claim_version,
    find_restorable,
    move,
    next_position,
    renumber,
    require_note_editable,
    restore_children,
    save_by,
)

# The comparison ---------------------------------------------------------------------------


def frozen_reds_record(frozen: FrozenComparison) -> FrozenReds:
    """Write the frozen comparison's red categories to their own small row (what the
    history of reds reads); called wherever a comparison is frozen, refreshed or copied."""
    reds, _ = FrozenReds.objects.update_or_create(
        comparison=frozen, defaults={"meeting_id": frozen.meeting_id, "slugs": frozen.red_slugs}
    )
    return reds


@dataclass(frozen=True)
class Freezing:
    frozen: FrozenComparison
    comparison: Comparison
    changes: list[str]
    proposed: list[ExceptionReport]


def _rate(value: float | None) -> str:
    return "no figure" if value is None else f"{value:.2f}"


def comparison_changes(old: Comparison, new: Comparison) -> list[str]:
    """What a refresh changed, in words: period, group, and per category rate and red."""
    changes = []
    if old.period != new.period:
        changes.append(f"Period: {old.period.label} → {new.period.label}.")
    old_group = [m.code for m in old.group.members] if old.group else []
    new_group = [m.code for m in new.group.members] if new.group else []
    if old_group != new_group:
        changes.append("The most similar group changed.")
    old_rows = {row.category_slug: row for row in old.rows}
    for row in new.rows:
        before = old_rows.pop(row.category_slug, None)
        if before is None:
            changes.append(f"{row.category_name}: newly compared.")
            continue
        if before.rate != row.rate and (
            before.rate is None or row.rate is None or round(before.rate, 2) != round(row.rate, 2)
        ):
            changes.append(f"{row.category_name}: rate {_rate(before.rate)} → {_rate(row.rate)}.")
        if before.is_red != row.is_red:
            changes.append(f"{row.category_name}: {'now red' if row.is_red else 'no longer red'}.")
    changes.extend(f"{row.category_name}: no longer compared." for row in old_rows.values())
    return changes


@transaction.atomic
def comparison_freeze(*, user: AbstractBaseUser, meeting: Meeting, period: Period) -> Freezing:
    """Compute the home force's comparison for ``period`` and freeze it into the meeting.

    A period the data do not fully cover is replaced by the nearest complete one, and the
    requested period is kept so that the page can say so. Freezing again refreshes it.
    """
    require_note_editable(user=user, meeting=meeting)
    force = home_force()
    if force is None:
        raise ValidationError(
            "The force this office holds to account is not in the reference data: load the "
            "reference data first (manage.py load_reference_data)."
        )
    comparison = comparison_build(force=force, period=period)
    if not comparison.has_complete_rows:
        nearest = comparison.nearest_complete_period
        if nearest is None:
            raise ValidationError(
                f"There are no complete figures for {force.name} for {period.label} or any "
                "nearby period. Import the data first."
            )
        comparison = comparison_build(force=force, period=nearest)
    existing = frozen_comparison(meeting=meeting)
    changes: list[str] = []
    if existing is None:
        frozen = FrozenComparison.objects.create(
            meeting=meeting,
            requested_period=period.key,
            period=comparison.period.key,
            force_code=force.code,
            data=comparison.to_dict(),
            red_slugs=[row.category_slug for row in comparison.red_rows],
            releases=releases_for(force=force, period=comparison.period),
            frozen_by=user,
        )
        frozen_reds_record(frozen)
        audit(
            user,
            meeting,
            "comparison.freeze",
            f"Froze the comparison for {comparison.period.label}",
        )
    else:
        changes = comparison_changes(existing.comparison, comparison)
        claim_version(existing, None)
        existing.requested_period = period.key
        existing.period = comparison.period.key
        existing.force_code = force.code
        existing.data = comparison.to_dict()
        existing.__dict__.pop("_comparison", None)  # what .comparison read of it is out of date
        existing.red_slugs = [row.category_slug for row in comparison.red_rows]
        existing.releases = releases_for(force=force, period=comparison.period)
        existing.frozen_by = user
        existing.frozen_at = timezone.now()
        existing.save()
        frozen = existing
        frozen_reds_record(frozen)
        changes += _reports_follow_the_table(user=user, meeting=meeting, comparison=comparison)
        audit(
            user,
            meeting,
            "comparison.refresh",
            f"Refreshed the comparison for {comparison.period.label}: "
            f"{len(changes)} change{'s' if len(changes) != 1 else ''}",
            changes=changes,
        )
    meeting._frozen_comparison = frozen  # what the selector has read of it is out of date
    proposed = exception_reports_propose(user=user, meeting=meeting)
    return Freezing(frozen=frozen, comparison=comparison, changes=changes, proposed=proposed)


# Exception reports ------------------------------------------------------------------------


def _reports_follow_the_table(
    *, user: AbstractBaseUser, meeting: Meeting, comparison: Comparison
) -> list[str]:
    """Give every report of the meeting the figures of the comparison just frozen (one set of
    figures per meeting), and say, report by report, what that changed."""
    changes = []
    for report in meeting.exception_reports.all():
        row = comparison.row(report.category_slug)
        figures, is_red = _row_figures(row), bool(row and row.is_red)
        if (figures, is_red) == (report.figures, report.is_red):
            continue
        said = []
        if report.figures.get("rate") != figures.get("rate"):
            said.append(f"rate {_rate(report.figures.get('rate'))} → {_rate(figures.get('rate'))}")
        if report.figures.get("national_rank") != figures.get("national_rank"):
            said.append(
                f"rank nationally {report.figures.get('national_rank') or '–'} → "
                f"{figures.get('national_rank') or '–'}"
            )
        if report.is_red != is_red:
            said.append("now red" if is_red else "no longer red")
        changes.append(
            f"The report on {report.category_name} now holds the new figures"
            + (f" ({', '.join(said)})." if said else ".")
        )
        report.figures, report.is_red = figures, is_red
        save_by(report, user, ["figures", "is_red"])
    return changes


def _row_figures(row: ComparisonRow | None) -> dict:
    if row is None:
        return {}
    return {
        key: getattr(row, key)
        for key in (
            "count",
            "population",
            "rate",
            "group_rate",
            "rank_in_group",
            "group_size",
            "national_rank",
            "national_size",
            "change",
            "change_percent",
            "significance",
            "is_red",
            "previous_rate",
        )
    }


@transaction.atomic
def exception_reports_propose(*, user: AbstractBaseUser, meeting: Meeting) -> list[ExceptionReport]:
    """Propose a report for every red category, and for every report due to return here."""
    require_note_editable(user=user, meeting=meeting)
    frozen = frozen_comparison(meeting=meeting)
    comparison = frozen.comparison if frozen else None
    existing = set(meeting.exception_reports.values_list("category_slug", flat=True))
    position = next_position(meeting.exception_reports.all())
    proposed = []
    candidates: list[tuple[str, str, ComparisonRow | None, ExceptionReport | None]] = []
    for earlier in returning_reports(meeting=meeting):
        row = comparison.row(earlier.category_slug) if comparison else None
        candidates.append((earlier.category_slug, earlier.category_name, row, earlier))
    for row in comparison.red_rows if comparison else ():
        candidates.append((row.category_slug, row.category_name, row, None))
    for slug, name, row, returns_from in candidates:
        if slug in existing:
            continue
        existing.add(slug)
        proposed.append(
            ExceptionReport.objects.create(
                meeting=meeting,
                category_slug=slug,
                category_name=name,
                is_red=bool(row and row.is_red),
                figures=_row_figures(row),
                returns_from=returns_from,
                position=position,
            )
        )
        position += 1
    if proposed:
        audit(
            user,
            meeting,
            "exception_reports.propose",
            "Proposed exception reports: " + ", ".join(r.category_name for r in proposed),
        )
    return proposed


@transaction.atomic
def exception_report_add(
    *, user: AbstractBaseUser, meeting: Meeting, category_slug: str, category_name: str
) -> ExceptionReport:
    """Staff add a category of concern that is not red (or not in the comparison at all)."""
    require_note_editable(user=user, meeting=meeting)
    frozen = frozen_comparison(meeting=meeting)
    comparison = frozen.comparison if frozen else None
    row = comparison.row(category_slug) if comparison else None
    report = ExceptionReport(
        meeting=meeting,
        category_slug=category_slug,
        category_name=category_name.strip(),
        status=ExceptionReport.Status.ACCEPTED,
        is_red=bool(row and row.is_red),
        figures=_row_figures(row),
        position=next_position(meeting.exception_reports.all()),
    )
    report.full_clean()
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as error:
        raise ValidationError(
            {"category": f"{category_name} already has an exception report at this meeting."}
        ) from error
    audit(user, meeting, "exception_report.add", f"Added an exception report on {category_name}")
    notifications.report_awaiting_conclusion_notify(report=report)
    return report


@transaction.atomic
def exception_report_accept(*, user: AbstractBaseUser, report: ExceptionReport) -> None:
    require_note_editable(user=user, meeting=report.meeting)
    report.status = ExceptionReport.Status.ACCEPTED
    report.dismissal_reason = ""
    report._history_user = user
    report.save(update_fields=["status", "dismissal_reason"])
    audit(
        user,
        report.meeting,
        "exception_report.accept",
        f"Accepted the proposed report on {report.category_name}",
    )
    notifications.report_awaiting_conclusion_notify(report=report)


@transaction.atomic
def exception_report_dismiss(
    *, user: AbstractBaseUser, report: ExceptionReport, reason: str
) -> None:
    require_note_editable(user=user, meeting=report.meeting)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason for dismissing the proposal."})
    report.status = ExceptionReport.Status.DISMISSED
    report.dismissal_reason = reason
    report._history_user = user
    report.save(update_fields=["status", "dismissal_reason"])
    audit(
        user,
        report.meeting,
        "exception_report.dismiss",
        f"Dismissed the proposed report on {report.category_name}",
        reason=reason,
    )


REPORT_FIELDS = ("concern", "explanation", "item", "outcome")


@transaction.atomic
def exception_report_update(
    *,
    user: AbstractBaseUser,
    report: ExceptionReport,
    expected_version: int | None = None,
    **fields: Any,
) -> ExceptionReport:
    require_note_editable(user=user, meeting=report.meeting)
    unknown = set(fields) - set(REPORT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown report fields: {sorted(unknown)}")
    item = fields.get("item")
    if item is not None and item.meeting_id != report.meeting_id:
        raise ValidationError({"item": "Choose an item of this meeting."})
    claim_version(report, expected_version)
    for name, value in fields.items():
        setattr(report, name, value)
    accepted_now = report.status == ExceptionReport.Status.PROPOSED
    if accepted_now:
        report.status = ExceptionReport.Status.ACCEPTED
    report.full_clean()
    report._history_user = user
    report.save(update_fields=[*fields, "status"])
    audit(
        user,
        report.meeting,
        "exception_report.update",
        f"Updated the exception report on {report.category_name}",
    )
    if accepted_now:
        notifications.report_awaiting_conclusion_notify(report=report)
    return report


@transaction.atomic
def conclusion_record(
    *,
    user: AbstractBaseUser,
    report: ExceptionReport,
    conclusion: str,
    comments: str,
    return_requested: bool = False,
    return_by: dt.date | None = None,
) -> ExceptionReport:
    """The Commissioner's conclusion: assured, partly assured or not assured."""
    if not user.has_perm(roles.RECORD_CONCLUSION):
        raise PermissionDenied("Only the Commissioner and deputies record conclusions.")
    meeting = _meeting_open_for_conclusions(report)
    comments = comments.strip()
    if conclusion not in ExceptionReport.Conclusion.values:
        raise ValidationError({"conclusion": "Choose assured, partly assured or not assured."})
    if conclusion == ExceptionReport.Conclusion.NOT_ASSURED and not comments:
        raise ValidationError({"comments": "Say why the Commissioner is not assured."})
    report.conclusion = conclusion
    report.conclusion_comments = comments
    report.concluded_by = user
    report.concluded_at = timezone.now()
    report.return_requested = return_requested
    report.return_by = return_by if return_requested else None
    report.deferred_to, report.deferral_reason = None, ""
    report.full_clean()
    report._history_user = user
    report.save(
        update_fields=[
            "conclusion",
            "conclusion_comments",
            "concluded_by",
            "concluded_at",
            "return_requested",
            "return_by",
            "deferred_to",
            "deferral_reason",
        ]
    )
    audit(
        user,
        meeting,
        "exception_report.conclusion",
        f"Recorded {report.get_conclusion_display().lower()} on {report.category_name}",
        conclusion=conclusion,
        comments=comments,
        return_requested=return_requested,
    )
    return report


def _meeting_open_for_conclusions(report: ExceptionReport) -> Meeting:
    """The report's meeting, locked, if the Commissioner may still decide on its reports: from
    submission on the note does not change, so conclusions come before it."""
    meeting = Meeting.objects.select_for_update().get(pk=report.meeting_id)
    if meeting.status != Meeting.Status.DRAFT:
        raise PermissionDenied(
            f"This note is {meeting.get_status_display().lower()}: the Commissioner's "
            "conclusions are recorded before it is submitted, and it can no longer change."
        )
    return meeting


@transaction.atomic
def exception_report_defer(
    *, user: AbstractBaseUser, report: ExceptionReport, to: Meeting, reason: str = ""
) -> ExceptionReport:
    """Instead of a conclusion now: the report returns to a named later meeting of the series,
    where it is proposed again."""
    if not user.has_perm(roles.RECORD_CONCLUSION):
        raise PermissionDenied("Only the Commissioner and deputies decide on exception reports.")
    meeting = _meeting_open_for_conclusions(report)
    if to is None:
        raise ValidationError({"deferred_to": "Choose the meeting the report returns to."})
    if not later_meetings(meeting=meeting).filter(pk=to.pk).exists():
        raise ValidationError(
            {
                "deferred_to": "Choose a later meeting of this series, not yet signed, for the "
                "report to return to."
            }
        )
    report.deferred_to, report.deferral_reason = to, reason.strip()
    report.conclusion, report.conclusion_comments = "", ""
    report.concluded_by, report.concluded_at = user, timezone.now()
    report.return_requested, report.return_by = False, None
    report.full_clean()
    save_by(
        report,
        user,
        [
            "deferred_to",
            "deferral_reason",
            "conclusion",
            "conclusion_comments",
            "concluded_by",
            "concluded_at",
            "return_requested",
            "return_by",
        ],
    )
    audit(
        user,
        meeting,
        "exception_report.defer",
        f"Deferred the report on {report.category_name} to the {to}",
        deferred_to=to.pk,
        reason=report.deferral_reason,
    )
    return report


# Action plans and aims ----------------------------------------------------------------------


@transaction.atomic
def action_plan_add(
    *,
    user: AbstractBaseUser,
    report: ExceptionReport,
    name: str,
    summary: str = "",
    owner: str = "",
    aims: list[str] | None = None,
) -> ActionPlan:
    require_note_editable(user=user, meeting=report.meeting)
    plan = ActionPlan(
        report=report,
        name=name.strip(),
        summary=summary,
        owner=owner.strip(),
        position=next_position(report.action_plans.all()),
    )
    plan.full_clean()
    plan.save()
    for text in aims or []:
        if text.strip():
            Aim.objects.create(
                plan=plan, text=text.strip(), position=next_position(plan.aims.all())
            )
    audit(
        user,
        report.meeting,
        "action_plan.add",
        f"Added the action plan {plan.name} to {report.category_name}",
    )
    return plan


@transaction.atomic
def action_plan_update(
    *,
    user: AbstractBaseUser,
    plan: ActionPlan,
    expected_version: int | None = None,
    name: str,
    summary: str,
    owner: str,
) -> ActionPlan:
    meeting = plan.report.meeting
    require_note_editable(user=user, meeting=meeting)
    claim_version(plan, expected_version)
    plan.name, plan.summary, plan.owner = name.strip(), summary, owner.strip()
    plan.full_clean()
    plan.save(update_fields=["name", "summary", "owner"])
    audit(user, meeting, "action_plan.update", f"Updated the action plan {plan.name}")
    return plan


@transaction.atomic
def action_plan_delete(*, user: AbstractBaseUser, plan: ActionPlan) -> None:
    meeting = plan.report.meeting
    require_note_editable(user=user, meeting=meeting)
    plan.delete()
    audit(user, meeting, "action_plan.delete", f"Deleted the action plan {plan.name}")


def _renumber_aims(plan: ActionPlan) -> None:
    renumber(plan.aims.order_by("position", "id"))


@transaction.atomic
def aim_add(*, user: AbstractBaseUser, plan: ActionPlan, text: str) -> Aim:
    meeting = plan.report.meeting
    require_note_editable(user=user, meeting=meeting)
    aim = Aim(plan=plan, text=text.strip(), position=next_position(plan.aims.all()))
    aim.full_clean()
    save_by(aim, user)
    audit(user, meeting, "aim.add", f"Added aim {aim.position} to the action plan {plan.name}")
    return aim


@transaction.atomic
def aim_update(*, user: AbstractBaseUser, aim: Aim, text: str) -> Aim:
    meeting = aim.plan.report.meeting
    require_note_editable(user=user, meeting=meeting)
    aim.text = text.strip()
    aim.full_clean()
    save_by(aim, user, ["text"])
    audit(user, meeting, "aim.update", f"Changed aim {aim.position} of {aim.plan.name}")
    return aim


@transaction.atomic
def aim_delete(*, user: AbstractBaseUser, aim: Aim) -> None:
    plan = aim.plan
    meeting = plan.report.meeting
    require_note_editable(user=user, meeting=meeting)
    aim._history_user = user
    aim.delete()
    _renumber_aims(plan)
    audit(user, meeting, "aim.delete", f"Deleted aim {aim.position} of {plan.name}")


@transaction.atomic
def aim_move(*, user: AbstractBaseUser, aim: Aim, step: int) -> None:
    """Move an aim up or down; the aims stay numbered 1, 2, 3 … in their new order."""
    plan = aim.plan
    meeting = plan.report.meeting
    require_note_editable(user=user, meeting=meeting)
    if move(aim, plan.aims.all(), step):
        audit(
            user,
            meeting,
            "aim.move",
            f"Moved aim {aim.position} of {plan.name} {'up' if step < 0 else 'down'}",
        )


# Restoring what was deleted ---------------------------------------------------------------


@transaction.atomic
def action_plan_restore(*, user: AbstractBaseUser, report: ExceptionReport, plan_id: int):
    """Bring back a deleted action plan with its aims."""
    require_note_editable(user=user, meeting=report.meeting)
    record = find_restorable(history.deleted_action_plans(report=report), plan_id, "action plan")
    plan = record.instance
    plan.position = next_position(report.action_plans.all())
    plan.save()
    restore_children(Aim, user, parent_deleted_at=record.history_date, plan_id=plan.pk)
    _renumber_aims(plan)
    audit(user, report.meeting, "action_plan.restore", f"Restored the action plan {plan.name}")
    return plan


@transaction.atomic
def aim_restore(*, user: AbstractBaseUser, plan: ActionPlan, aim_id: int) -> Aim:
    """Bring back a deleted aim, at the end of the plan's aims."""
    meeting = plan.report.meeting
    require_note_editable(user=user, meeting=meeting)
    aim = find_restorable(history.deleted_aims(plan=plan), aim_id, "aim").instance
    aim.position = next_position(plan.aims.all())
    save_by(aim, user)
    audit(user, meeting, "aim.restore", f"Restored an aim of {plan.name}")
    return aim

"""The record of who changed what in a note: audit events, field history, narrative diffs, and
what was deleted from a draft and can still be restored."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from django.db import models

from ..models import (
    Action,
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


@dataclass(frozen=True)
class DiffSegment:
    """A run of words that is the same in both versions, only in the old, or only in the new."""

    kind: str  # "same", "removed", "added"
    text: str


def narrative_diff(old: str, new: str) -> list[DiffSegment]:
    """Word-level differences between two versions of a narrative, whitespace kept."""
    old_words = re.findall(r"\S+\s*", old)
    new_words = re.findall(r"\S+\s*", new)
    segments: list[DiffSegment] = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(DiffSegment("same", "".join(old_words[a1:a2])))
            continue
        if op in ("delete", "replace"):
            segments.append(DiffSegment("removed", "".join(old_words[a1:a2])))
        if op in ("insert", "replace"):
            segments.append(DiffSegment("added", "".join(new_words[b1:b2])))
    return segments


def meeting_history(*, meeting: Meeting) -> dict:
    """Audit events and the field history of the meeting and its items, newest first."""
    events = list(AuditEvent.objects.filter(meeting=meeting).select_related("actor"))
    meeting_versions = list(meeting.history.select_related("history_user"))
    item_versions = list(
        AgendaItem.history.filter(meeting_id=meeting.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    return {
        "events": events,
        "meeting_versions": meeting_versions,
        "item_versions": item_versions,
    }


def item_versions(*, item_id: int) -> list:
    return list(
        AgendaItem.history.filter(id=item_id)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


# What can be restored ------------------------------------------------------------------------


def deleted_records(model: type[models.Model], *, current: models.QuerySet, **where) -> list:
    """The last historical record of each deleted ``model`` row matching ``where`` that is not
    back among ``current``: what can still be restored, latest deletion first."""
    records = (
        model.history.filter(history_type="-", **where)
        .exclude(id__in=current.values("pk"))
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    latest: dict[int, Any] = {}
    for record in records:
        latest.setdefault(record.id, record)
    return list(latest.values())


def deleted_items(*, meeting: Meeting) -> list:
    """Items deleted from this draft that can still be restored, latest deletion first."""
    return deleted_records(AgendaItem, current=meeting.items.all(), meeting_id=meeting.pk)


def deleted_attendances(*, meeting: Meeting) -> list:
    records = deleted_records(Attendance, current=meeting.attendances.all(), meeting_id=meeting.pk)
    people = Person.objects.in_bulk({record.person_id for record in records})
    for record in records:
        record.person = people.get(record.person_id)
    return records


def deleted_decisions(*, item: AgendaItem) -> list:
    return deleted_records(Decision, current=item.decisions.all(), item_id=item.pk)


def deleted_action_plans(*, report: ExceptionReport) -> list:
    return deleted_records(ActionPlan, current=report.action_plans.all(), report_id=report.pk)


def deleted_aims(*, plan: ActionPlan) -> list:
    return deleted_records(Aim, current=plan.aims.all(), plan_id=plan.pk)


def deleted_actions(*, meeting: Meeting) -> list:
    return deleted_records(Action, current=meeting.actions.all(), raised_at_id=meeting.pk)

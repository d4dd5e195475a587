"""The record of who changed what in a note: audit events, field history and narrative diffs."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from .models import AgendaItem, AuditEvent, Meeting


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

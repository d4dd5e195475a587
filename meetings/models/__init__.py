"""The meetings app's models, by topic: the note itself, exception reports, the action log."""

from .action_log import Action, ActionUpdate
from .exception_reports import ActionPlan, Aim, ExceptionReport, FrozenComparison
from .notes import (
    FROZEN_STATUSES,
    AgendaItem,
    Attendance,
    AuditEvent,
    Decision,
    Meeting,
    NarrativeDraft,
    NoteContent,
    NoteContentQuerySet,
    NoteFrozen,
    NoteSnapshot,
    NoteTransition,
    Person,
)

__all__ = [
    "FROZEN_STATUSES",
    "Action",
    "ActionPlan",
    "ActionUpdate",
    "AgendaItem",
    "Aim",
    "Attendance",
    "AuditEvent",
    "Decision",
    "ExceptionReport",
    "FrozenComparison",
    "Meeting",
    "NarrativeDraft",
    "NoteContent",
    "NoteContentQuerySet",
    "NoteFrozen",
    "NoteSnapshot",
    "NoteTransition",
    "Person",
]

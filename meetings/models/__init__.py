"""The meetings app's models, by topic: the note itself, and the scrutiny of performance."""

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
    NoteTransition,
    Person,
)
from .scrutiny import (
    Action,
    ActionPlan,
    ActionUpdate,
    Aim,
    ExceptionReport,
    FrozenComparison,
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
    "NoteTransition",
    "Person",
]

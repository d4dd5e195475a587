"""The meetings app's models, by topic: the note itself, exception reports, the action log."""

from .action_log import Action, ActionOwner, ActionUpdate
from .bodies import STANDARD_ITEMS, AttendeeOrder, Body, Numbering, PrintStyle
from .exception_reports import ActionPlan, Aim, ExceptionReport, FrozenComparison, FrozenReds
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
    PreviousOutcome,
)
from .notifications import ActionReminder, NotificationKind, NotificationOptOut
from .versions import NotesVersion

__all__ = [
    "FROZEN_STATUSES",
    "STANDARD_ITEMS",
    "Action",
    "ActionOwner",
    "ActionPlan",
    "ActionReminder",
    "ActionUpdate",
    "AgendaItem",
    "Aim",
    "Attendance",
    "AttendeeOrder",
    "AuditEvent",
    "Body",
    "Decision",
    "ExceptionReport",
    "FrozenComparison",
    "FrozenReds",
    "Meeting",
    "NarrativeDraft",
    "NoteContent",
    "NoteContentQuerySet",
    "NoteFrozen",
    "NoteSnapshot",
    "NoteTransition",
    "NotesVersion",
    "NotificationKind",
    "NotificationOptOut",
    "Numbering",
    "Person",
    "PreviousOutcome",
    "PrintStyle",
]

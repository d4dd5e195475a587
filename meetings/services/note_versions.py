"""Keeping the cached renderings of notes true: every write to what a note shows gives the
notes a new version (``models.NotesVersion``, in the writer's transaction), under which the
staff pages keep what they render of notes: the meeting list its lists, the meeting page its
note and readiness (``views/note.py:staff_note``), the review its reports, the action log its
rows, deleted actions and people, the attendance, agenda and item editors their lists."""

from __future__ import annotations

from ..models.versions import NotesVersion

NOTES_VERSION = "notes"
# What is rendered under it is kept this long at most; a write to any note replaces it sooner.
NOTE_CACHE_SECONDS = 24 * 60 * 60

# What a note shows besides its own parts: its meeting (and the earlier and later meetings it
# links to), the body's style and numbering, and the people's names and initials. Its parts are
# every ``NoteContent`` model, found rather than listed, so that a new part cannot be missed;
# they include other meetings' rows a note reads (the red spells of earlier meetings, the
# reports it follows up, the actions raised before), so the version is one for all notes.
SHOWN_MODELS = ("Meeting", "Body", "Person")


def current_notes_version() -> str:
    """The version to keep what a page renders of notes under: read before anything it
    covers (one query by primary key, in every process the same)."""
    return NotesVersion.current()


def _user_changed(update_fields=None, **kwargs) -> None:
    """A user saved (the review names who concluded a report), unless only their last sign-in
    was: every sign-in records one, and changes nothing a note shows."""
    if update_fields is None or set(update_fields) - {"last_login"}:
        NotesVersion.bump()


def connect_notes_cache() -> None:
    """Saves, deletes (cascades included), bulk writes and the actions' owners, and users saved
    (their names). Only raw SQL, and a user's name changed by a bulk ``update()`` (Django's
    user model sends no ``bulk_written``), go round them: what they change shows once another
    write bumps the version, or after ``NOTE_CACHE_SECONDS``."""
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_delete, post_save

    from ..models import Action, NoteContent
    from ..models.bulk import bump_on_writes

    meetings = apps.get_app_config("meetings")
    parts = [model for model in meetings.get_models() if issubclass(model, NoteContent)]
    shown = [meetings.get_model(name) for name in SHOWN_MODELS]
    bump_on_writes(
        NOTES_VERSION, [*shown, *parts], links=[Action.owners.through], bump=NotesVersion.bump
    )
    user = get_user_model()
    post_save.connect(_user_changed, sender=user, dispatch_uid="notes-user-save")
    post_delete.connect(_user_changed, sender=user, dispatch_uid="notes-user-delete")

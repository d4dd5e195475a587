"""Keeping the navigation's counts of *My work* true: every write that can change what waits
for someone bumps the ``queues`` version, under which the counts are cached per user
(``selectors.queues.queue_counts``)."""

from __future__ import annotations

# What the counts read: the notes and their sign-off steps, the exception reports, the actions,
# their owners and leads, and which person is which user.
COUNTED_MODELS = ("Meeting", "NoteTransition", "ExceptionReport", "Action", "ActionOwner", "Person")


def connect_queues_cache() -> None:
    """Saves, deletes and owners' changes through the ORM and the admin, cascades included.
    Bulk ``update()``, ``bulk_update()`` and ``bulk_create()`` send ``bulk_written``
    (``models/bulk.py``). Only raw SQL goes round them: the counts would then be stale until
    ``QUEUE_COUNTS_CACHE_SECONDS``."""
    from django.apps import apps

    from ..models.bulk import bump_on_writes

    owners = apps.get_model("meetings", "Action").owners.through
    bump_on_writes(
        "queues",
        [apps.get_model("meetings", name) for name in COUNTED_MODELS],
        links=[owners],
    )

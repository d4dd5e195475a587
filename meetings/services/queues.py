"""Keeping the navigation's counts of *My work* true: every write that can change what waits
for someone bumps the ``queues`` version, under which the counts are cached per user
(``selectors.queues.queue_counts``)."""

from __future__ import annotations

from django.db import transaction

from scrutiny.cache import version_bump

# What the counts read: the notes and their sign-off steps, the exception reports, the actions,
# their owners and leads, and which person is which user.
COUNTED_MODELS = ("Meeting", "NoteTransition", "ExceptionReport", "Action", "ActionOwner", "Person")


def queues_changed(**kwargs) -> None:
    """Bump the queues version now and again once the transaction commits, so that no request
    caches counts of what the database held before the change (nor of what it rolled back)."""
    if kwargs.get("action", "post_").startswith("pre_"):
        return
    version_bump("queues")
    transaction.on_commit(lambda: version_bump("queues"))


def connect_queues_cache() -> None:
    """Saves, deletes and owners' changes through the ORM and the admin, cascades included.
    Bulk ``update()``, ``bulk_update()`` and ``bulk_create()`` send ``bulk_written``
    (``models/bulk.py``). Only raw SQL goes round them: the counts would then be stale until
    ``QUEUE_COUNTS_CACHE_SECONDS``."""
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from ..models.bulk import bulk_written

    for name in COUNTED_MODELS:
        model = apps.get_model("meetings", name)
        post_save.connect(queues_changed, sender=model, dispatch_uid=f"queues-save-{name}")
        post_delete.connect(queues_changed, sender=model, dispatch_uid=f"queues-del-{name}")
        bulk_written.connect(queues_changed, sender=model, dispatch_uid=f"queues-bulk-{name}")
    owners = apps.get_model("meetings", "Action").owners.through  # .add(), .set(), .remove()
    m2m_changed.connect(queues_changed, sender=owners, dispatch_uid="queues-owners")

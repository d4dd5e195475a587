"""Bulk writes announce themselves as saves do.

``QuerySet.update()`` and ``bulk_create()`` (and ``bulk_update()``, which writes through
``update()``) send no ``post_save``, so a cache kept true by signals would go stale the day
someone writes in bulk. The models such caches read use ``SignalledQuerySet``, which sends
``bulk_written`` (sender: the model) after a bulk write that touched rows; the caches listen to
it beside ``post_save`` and ``post_delete`` (``services/queues.py``, ``publication/apps.py``).
Only raw SQL goes round it."""

from __future__ import annotations

from django.db import models
from django.dispatch import Signal

bulk_written = Signal()


class SignalledQuerySet(models.QuerySet):
    def update(self, **kwargs):
        changed = super().update(**kwargs)
        if changed:
            bulk_written.send(sender=self.model)
        return changed

    update.queryset_only = True

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            bulk_written.send(sender=self.model)
        return created

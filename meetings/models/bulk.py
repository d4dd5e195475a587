"""Bulk writes announce themselves as saves do.

``QuerySet.update()`` and ``bulk_create()`` (and ``bulk_update()``, which writes through
``update()``) send no ``post_save``, so a cache kept true by signals would go stale the day
someone writes in bulk. The models such caches read use ``SignalledQuerySet``, which sends
``bulk_written`` (sender: the model) after a bulk write that touched rows; the caches listen to
it beside ``post_save`` and ``post_delete`` (``bump_on_writes``). Only raw SQL goes round
it."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal

from scrutiny.cache import version_changed

bulk_written = Signal()


def bump_on_writes(
    version: str,
    senders: Iterable[type[models.Model]],
    *,
    links=(),
    bump: Callable[[], None] | None = None,
) -> None:
    """Bump the cache version ``version`` (``scrutiny.cache.version_changed``), or call
    ``bump``, after every save, delete (cascades included) and bulk write of the ``senders``,
    and every change of the many-to-many ``links`` (their ``through`` models: ``.add()``,
    ``.set()``, ``.remove()``, ``.clear()``). For a cache of what those rows show."""

    def changed(**kwargs) -> None:
        if not kwargs.get("action", "post_").startswith("pre_"):
            if bump is None:
                version_changed(version)
            else:
                bump()

    for sender in senders:
        label = f"{version}-{sender._meta.label}"
        for signal, kind in ((post_save, "save"), (post_delete, "del"), (bulk_written, "bulk")):
            signal.connect(changed, sender=sender, weak=False, dispatch_uid=f"{label}-{kind}")
    for through in links:
        m2m_changed.connect(
            changed, sender=through, weak=False, dispatch_uid=f"{version}-{through._meta.label}"
        )


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

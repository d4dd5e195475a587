"""The version of what notes show, in the database: a token changed in the transaction of
every write to a note (``services/note_versions.py``)."""

from __future__ import annotations

import uuid

from django.db import models


class NotesVersion(models.Model):
    """One row whose ``token`` every write to what a note shows replaces, in the writer's own
    transaction: the staff pages keep what they render of notes under it.

    In the database rather than the cache, so that every process and server sees a change at
    once whatever the cache (one in memory per process by default): a page read in another
    process never keeps serving what was read before the change. A new random token, never
    a count: a transaction rolled back takes its token with it, and no later write can give
    that token again, so nothing read inside it (its own uncommitted rows) is ever served.
    """

    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = "version of the notes"

    def __str__(self) -> str:
        return f"Notes version {self.token}"

    @classmethod
    def current(cls) -> str:
        """The token (one query by primary key); "" before the first write."""
        return cls.objects.filter(pk=1).values_list("token", flat=True).first() or ""

    @classmethod
    def bump(cls) -> None:
        token = uuid.uuid4().hex
        if not cls.objects.filter(pk=1).update(token=token):
            cls.objects.update_or_create(pk=1, defaults={"token": token})

"""The freezing invariant on the paths that bypass ``save()`` and ``delete()``: rows deleted by
a cascade from another object, and many-to-many links (an action's owners)."""

from django.db.models.signals import m2m_changed, pre_delete

from .action_log import Action
from .notes import NoteContent, NoteFrozen


def _refuse_cascade_into_signed_note(sender, instance, **kwargs) -> None:
    if isinstance(instance, NoteContent):
        instance._refuse_if_frozen()


def _refuse_owner_changes_once_signed(sender, instance, action, **kwargs) -> None:
    if action not in {"pre_add", "pre_remove", "pre_clear"}:
        return
    actions = (
        [instance]
        if isinstance(instance, Action)
        else list(Action.objects.filter(pk__in=kwargs.get("pk_set") or ()))
    )
    for owned in actions:
        if owned.pk is not None and owned.raised_at.is_frozen:
            raise NoteFrozen("This action was raised in a signed note: its owners are recorded.")


def connect() -> None:
    pre_delete.connect(_refuse_cascade_into_signed_note, dispatch_uid="meetings-frozen-cascade")
    m2m_changed.connect(
        _refuse_owner_changes_once_signed,
        sender=Action.owners.through,
        dispatch_uid="meetings-frozen-owners",
    )

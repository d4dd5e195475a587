"""Reading the action log: what a meeting sees of it, and what a person owns."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, Q, QuerySet

from ..models import Action, ActionUpdate, Meeting


def action_log_for(*, meeting: Meeting) -> QuerySet[Action]:
    """The action log as this meeting sees it: every action raised up to this meeting that was
    still open at it, wherever it was raised, with those closed at this meeting."""
    return (
        Action.objects.filter(raised_at__start__lte=meeting.start)
        .filter(
            Q(closed_at__isnull=True) | Q(closed_at=meeting) | Q(closed_at__start__gt=meeting.start)
        )
        .select_related("raised_at", "item", "closed_at")
        .prefetch_related(
            "owners",
            Prefetch("updates", queryset=ActionUpdate.objects.select_related("meeting")),
        )
        .order_by("number")
    )


def actions_owned_by(*, user: AbstractBaseUser) -> QuerySet[Action]:
    return (
        Action.objects.filter(owners__user=user)
        .select_related("raised_at", "item", "closed_at")
        .prefetch_related("owners")
        .order_by("status", "due", "number")
        .distinct()
    )

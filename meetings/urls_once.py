"""URLs of many rows, reversed once: a long list otherwise reverses the same pattern per row."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

# A number no primary key reaches in the bench or the portal; it stands in for the row's key.
_STAND_IN = 987654321


def url_for_each(name: str, **fixed: int) -> Callable[[int], str]:
    """A function giving `reverse(name, kwargs={**fixed, "pk": pk})` for any pk, reversing
    only once. When the stand-in number also shows in the fixed part, every call reverses."""
    url = reverse(name, kwargs={**fixed, "pk": _STAND_IN})
    parts = url.split(str(_STAND_IN))
    if len(parts) != 2:
        return lambda pk: reverse(name, kwargs={**fixed, "pk": pk})
    before, after = parts
    return lambda pk: f"{before}{int(pk)}{after}"

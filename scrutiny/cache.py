"""Keys for Django's cache that carry every version their content depends on.

A key names the deploy (``CACHE_KEY_VERSION``: a new release never reads an old release's
entries), what is cached, and the version of the data it was computed from. Nothing is ever
deleted to invalidate an entry: a change bumps its version, so the next read misses, and old
entries age out. A version lives in the cache itself (``version_bump``): with a shared cache
(Redis) every process sees a bump at once. A version that is missing (evicted, or a cache
cleared) comes back as a new random value, so a lost version can only cause misses, never
stale reads.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.cache import cache


def _version_key(name: str) -> str:
    return f"{settings.CACHE_KEY_VERSION}:version:{name}"


def version(name: str) -> str:
    """The current version of ``name`` (e.g. ``"permissions"``)."""
    key = _version_key(name)
    value = cache.get(key)
    if value is None:
        cache.add(key, uuid.uuid4().hex, timeout=None)
        value = cache.get(key) or uuid.uuid4().hex
    return value


def version_bump(name: str) -> None:
    """Make every key built on ``name`` miss from now on."""
    cache.set(_version_key(name), uuid.uuid4().hex, timeout=None)


def key(*parts: object) -> str:
    """A cache key for ``parts`` (what is cached, then the versions it depends on), prefixed
    with the deploy's ``CACHE_KEY_VERSION``."""
    return ":".join([str(settings.CACHE_KEY_VERSION), *(str(part) for part in parts)])

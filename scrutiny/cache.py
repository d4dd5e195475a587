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

import hashlib
import json
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe


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


def content_key(name: str, made_of: object, *versions: str) -> str:
    """A key for what is computed from ``made_of`` (plain JSON data) and nothing else: a
    SHA-256 of it, so that any change of what went in is another key, never a stale entry."""
    text = json.dumps(made_of, sort_keys=True, ensure_ascii=False)
    return key(name, *versions, hashlib.sha256(text.encode()).hexdigest())


def html_once(name: str, made_of: object, render: Callable[[], str], *, timeout: int) -> SafeString:
    """The HTML ``render()`` makes of ``made_of``, rendered once per content and then read from
    the cache (``content_key``). ``render`` must read nothing but ``made_of`` and escape what
    it prints (a template does)."""
    cache_key = content_key(name, made_of)
    html = cache.get(cache_key)
    if html is None:
        html = str(render())
        cache.set(cache_key, html, timeout)
    return mark_safe(html)

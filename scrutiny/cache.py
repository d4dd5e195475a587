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
from django.db import transaction
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


def version_changed(name: str) -> None:
    """Bump ``name`` for a write: now, so that what this transaction reads next misses, and
    again once it commits, so that no request that read the database before the commit keeps
    what it read under the first bump. A rollback costs only misses. Readers take the version
    before they read what they cache under it."""
    version_bump(name)
    transaction.on_commit(lambda: version_bump(name))


def page_part(value: str | None) -> str | None:
    """A page number asked for (``?page=``), as a part of a cache key: "1" when none is asked,
    else the number without leading zeros; None, not to be kept, for anything but a plain
    number of at most six digits, so that odd addresses cannot fill the cache."""
    if not value:
        return "1"
    if value.isascii() and value.isdigit() and len(value) <= 6:
        return str(int(value))
    return None


def kept(cache_key: str, make: Callable[[], object], *, timeout: int, keep: bool = True) -> object:
    """What ``make()`` returns, kept under ``cache_key`` (which carries the versions it was
    read under, taken before ``make`` reads anything), or read back from the cache; with
    ``keep=False`` (what a request asked for oddly) made, neither read nor kept."""
    if not keep:
        return make()
    found = cache.get(cache_key)
    if found is None:
        found = make()
        cache.set(cache_key, found, timeout)
    return found


def csrf_placeholder() -> str:
    """What a fragment kept in the cache carries where its forms' CSRF token goes (``fragment``),
    replaced by each request's token on the way out (``kept_fragments``). Derived from the
    secret key, so that no text typed into a note can spell it."""
    digest = hashlib.sha256(f"csrf-placeholder:{settings.SECRET_KEY}".encode()).hexdigest()
    return f"csrf{digest[:40]}"


def fragment(template_name: str, context: dict) -> str:
    """``template_name`` rendered from ``context`` alone (no request: the page's own context
    processors do not run), its forms' CSRF token the placeholder: HTML to keep in the cache."""
    from django.template.loader import render_to_string

    return str(render_to_string(template_name, {**context, "csrf_token": csrf_placeholder()}))


def kept_fragments(
    request, cache_key: str, make: Callable[[], dict], *, timeout: int, keep: bool = True
) -> dict:
    """``make()``'s dict (``kept``), its HTML fragments (from ``fragment``, under names ending
    in ``_html``) safe to print, with this request's CSRF token in their forms (one masked
    token serves every form of a page); its other values as made (and escaped as usual)."""
    from django.middleware.csrf import get_token

    placeholder = csrf_placeholder()
    # The key carries the placeholder's tail: a new secret key is a new placeholder, which
    # fragments kept under the old one do not hold.
    found = kept(f"{cache_key}:{placeholder[-8:]}", make, timeout=timeout, keep=keep)
    token = None
    out = {}
    for name, value in found.items():
        if name.endswith("_html"):
            if placeholder in value:
                token = token or get_token(request)
                value = value.replace(placeholder, token)
            value = mark_safe(value)
        out[name] = value
    return out


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
    return mark_safe(kept(content_key(name, made_of), lambda: str(render()), timeout=timeout))

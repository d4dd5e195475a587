"""The cache: per process by default, Redis shared by every app server with REDIS_URL, its keys
carrying a version that a deploy raises to forget everything cached before it."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from publication import verification
from tests.settings_child import setting_from


def _cache_settings(env: dict[str, str]) -> dict:
    return setting_from(env, "settings.CACHES['default']", unset=("REDIS_URL", "CACHE_"))


def test_without_redis_each_process_caches_in_its_own_memory():
    cache = _cache_settings({})
    assert cache["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert (cache["KEY_PREFIX"], cache["VERSION"]) == ("scrutiny", 1)


def test_redis_url_makes_the_cache_redis_with_a_prefix_and_a_version():
    cache = _cache_settings(
        {
            "REDIS_URL": "redis://cache.example.org:6379/2",
            "CACHE_KEY_PREFIX": "opcc",
            "CACHE_KEY_VERSION": "7",
        }
    )
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://cache.example.org:6379/2"
    assert (cache["KEY_PREFIX"], cache["VERSION"]) == ("opcc", 7)


# Against the real Redis of REDIS_URL (make test-scaleout) -----------------------------------


def _server_cache(**overrides):
    """The cache as another app server opens it: its own client and connections."""
    from django.conf import settings

    params = {**settings.CACHES["default"], **overrides}
    backend = caches.create_connection("default").__class__
    return backend(params["LOCATION"], params)


@pytest.fixture
def redis_cache(settings):
    if settings.CACHES["default"]["BACKEND"] != "django.core.cache.backends.redis.RedisCache":
        pytest.fail("The scaleout tests need REDIS_URL, e.g. redis://127.0.0.1:6379/3.")
    return caches["default"]


@pytest.mark.scaleout
def test_what_one_server_caches_another_reads(redis_cache):
    first, second = _server_cache(), _server_cache()
    first.set("shared-fragment", "<p>note</p>", timeout=30)
    assert second.get("shared-fragment") == "<p>note</p>"
    second.delete("shared-fragment")
    assert first.get("shared-fragment") is None


@pytest.mark.scaleout
def test_a_new_key_version_never_reads_what_the_last_deploy_cached(redis_cache, settings):
    version = settings.CACHES["default"]["VERSION"]
    before, after = _server_cache(), _server_cache(VERSION=version + 1)
    before.set("note-page", "stale", timeout=30)
    assert after.get("note-page") is None
    assert before.get("note-page") == "stale"


@pytest.mark.scaleout
@pytest.mark.django_db
def test_the_public_check_counts_an_address_across_servers(
    redis_cache, client, settings, monkeypatch
):
    settings.VERIFY_RATE_PER_MINUTE = 4

    def check():
        upload = SimpleUploadedFile("note.pdf", b"%PDF-1.7 x", "application/pdf")
        return client.post(reverse("public:verify"), {"document": upload})

    for server in (_server_cache(), _server_cache()):  # two checks on each server
        monkeypatch.setattr(verification, "cache", server)
        assert [check().status_code for _ in range(2)] == [200, 200]
    assert check().status_code == 429


@pytest.mark.parametrize(
    ("asked", "part"),
    [
        (None, "1"),
        ("", "1"),
        ("3", "3"),
        ("003", "3"),
        ("999999", "999999"),
        ("1000000", None),
        ("x", None),
        ("-1", None),
        ("1.0", None),
        ("\u0663", None),
        ("9" * 5000, None),
    ],
)
def test_a_page_asked_for_is_kept_under_its_number_or_not_at_all(asked, part):
    """``?page=01`` is page 1's entry, not one more; anything odd is answered, never kept."""
    from scrutiny.cache import page_part

    assert page_part(asked) == part

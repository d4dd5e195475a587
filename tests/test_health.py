"""/healthz: what a load balancer asks each app server. 200 when the database, the cache, the
stored files (and the job broker, when one is configured) answer; 503 naming the one that did
not, never the error, which may hold an address or a credential."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from health import checks

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def _health(client):
    response = client.get(reverse("healthz"))
    return response.status_code, response.json()


def test_the_public_path_is_healthz():
    assert reverse("healthz") == "/healthz"


def test_a_healthy_server_answers_200_with_each_check(client):
    status, body = _health(client)
    assert status == 200
    assert body == {
        "status": "ok",
        "checks": {
            "database": "ok",
            "cache": "ok",
            "storage": "ok",
            "broker": "not configured",
        },
    }


def test_it_needs_no_sign_in_and_is_never_cached(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert client.post(reverse("healthz")).status_code == 405


def test_an_unreachable_cache_gives_503_naming_it_and_no_error_text(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": UNREACHABLE_REDIS,
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["status"] == "failed"
    assert response.json()["checks"]["cache"] == "failed"
    assert response.json()["checks"]["database"] == "ok"
    assert b"127.0.0.1" not in response.content
    assert b"refused" not in response.content.lower()


def test_an_unreachable_broker_gives_503_naming_it(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = UNREACHABLE_REDIS
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == "failed"
    assert response.json()["checks"]["cache"] == "ok"
    assert b"127.0.0.1" not in response.content


def test_storage_that_cannot_be_written_gives_503(client, settings, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = blocked
    status, body = _health(client)
    assert status == 503
    assert body["checks"]["storage"] == "failed"
    assert body["checks"]["cache"] == "ok"
    assert str(tmp_path) not in str(body)


def test_a_database_that_does_not_answer_gives_503_without_its_error(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise connection.Database.OperationalError("password authentication failed for scrutiny")

    monkeypatch.setattr(checks.connection, "cursor", refuse)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "failed"
    assert b"password" not in response.content


def test_the_storage_probe_leaves_no_file(client, settings):
    assert _health(client)[0] == 200
    assert not list((settings.MEDIA_ROOT / "health").iterdir())


def test_a_flood_of_requests_runs_the_checks_once_an_interval(client, settings, monkeypatch):
    settings.HEALTHZ_MIN_INTERVAL = 60
    checks.forget()
    runs = []
    monkeypatch.setitem(checks.PROBES, "database", lambda: runs.append(1))
    for _ in range(20):
        assert _health(client)[0] == 200
    assert len(runs) == 1
    checks.forget()


@pytest.mark.scaleout
def test_with_redis_and_object_storage_every_check_reaches_them(client, settings, object_storage):
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache"), "needs REDIS_URL"
    s3, bucket = object_storage
    status, body = _health(client)
    assert (status, body["checks"]["cache"], body["checks"]["storage"]) == (200, "ok", "ok")
    assert body["checks"]["broker"] == "ok"  # REDIS_URL is the broker too
    assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 0  # the probe is deleted

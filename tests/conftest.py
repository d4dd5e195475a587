"""Personas and test settings shared by the whole suite."""

from __future__ import annotations

import pytest
from django.conf import settings as settings_module
from django.contrib.auth.models import Group, User
from django.core.cache import cache

from meetings import roles
from meetings.models import Person
from tests.pki import Pki, make_pki


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # Fast hashing, plain static storage, stored files in a throwaway folder.
    settings.MEDIA_ROOT = tmp_path / "media"
    _cache_clear()  # cached note fragments and charts must not leak between tests
    settings.HEALTHZ_MIN_INTERVAL = 0  # every /healthz runs its checks
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _cache_clear() -> None:
    """Clear the portal's keys. With REDIS_URL (the scaleout tests) that Redis may also be the
    job broker, whose queues a FLUSHDB would lose: delete only the keys of the prefix."""
    backend = settings_module.CACHES["default"]
    if backend["BACKEND"].endswith("RedisCache"):
        client = cache._cache.get_client(write=True)
        for key in client.scan_iter(match=f"{backend['KEY_PREFIX']}:*", count=1000):
            client.delete(key)
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def _jobs_in_process():
    """Jobs run in the test's own process, as without a broker, even when REDIS_URL makes
    Redis the broker (the scaleout run): only the worker tests hand them to a real worker."""
    from scrutiny.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def _user_with_role(username: str, role: str | None, **extra) -> User:
    user = User.objects.create_user(username=username, password="a-test-password", **extra)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def staff(db) -> User:
    return _user_with_role("test-staff", roles.STAFF)


@pytest.fixture
def commissioner(db) -> User:
    return _user_with_role("test-commissioner", roles.REVIEWER)


@pytest.fixture
def chief_executive(db) -> User:
    """The signatory, linked to the person printed under their signature."""
    user = _user_with_role("test-chief-executive", roles.SIGNATORY)
    Person.objects.create(
        name="Ms Miranda Carruthers-Watt",
        signs_as="Miranda Carruthers-Watt",
        signing_title="Chief Executive",
        user=user,
    )
    return user


@pytest.fixture
def admin_user(db) -> User:
    return _user_with_role("administrator", roles.ADMINISTRATOR, is_staff=True, is_superuser=True)


@pytest.fixture
def nobody(db) -> User:
    """Signed in, but in no role: may see nothing."""
    return _user_with_role("nobody", None)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def chief_executive_client(client, chief_executive):
    client.force_login(chief_executive)
    return client


@pytest.fixture
def commissioner_client(client, commissioner):
    client.force_login(commissioner)
    return client


@pytest.fixture(scope="session")
def pki(tmp_path_factory) -> Pki:
    """A throwaway test CA and signer certificate, as an organisation would hold them."""
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="session")
def s3_server():
    """A real S3 API on the loopback (moto's server mode), for the tests marked scaleout."""
    from tests.services import s3_server_start

    server = s3_server_start()
    yield server
    server.stop()


@pytest.fixture
def object_storage(s3_server, settings, monkeypatch):
    """The default storage in a new bucket of ``s3_server``, as ``STORAGE_S3_BUCKET`` sets it."""
    from tests.services import S3_KEYS, s3_bucket_create, s3_client, s3_storage_setting

    for name, value in S3_KEYS.items():
        monkeypatch.setenv(name, value)
    bucket = s3_bucket_create(s3_server.endpoint_url)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage_setting(endpoint_url=s3_server.endpoint_url, bucket=bucket),
    }
    return s3_client(s3_server.endpoint_url), bucket


# A real broker and a real worker, for the tests marked scaleout that hand jobs to a worker ----


@pytest.fixture
def broker(settings):
    from scrutiny.celery import app

    if not settings.CELERY_BROKER_URL:
        pytest.fail("The worker tests need REDIS_URL (or CELERY_BROKER_URL).")
    app.conf.task_always_eager = False  # hand the jobs to the broker (restored after the test)
    return settings.CELERY_BROKER_URL


@pytest.fixture
def worker(broker, object_storage, s3_server, settings):
    _, bucket = object_storage
    from django.db import connection

    from tests.services import S3_KEYS, S3_REGION, Worker, database_url

    worker = Worker(
        {
            "DATABASE_URL": database_url(connection.settings_dict),
            "CELERY_BROKER_URL": broker,
            "STORAGE_S3_BUCKET": bucket,
            "AWS_S3_ENDPOINT_URL": s3_server.endpoint_url,
            "AWS_S3_REGION_NAME": S3_REGION,
            # A job taken by a worker that dies goes back on the queue after this long.
            "CELERY_VISIBILITY_TIMEOUT": "5",
            **S3_KEYS,
        }
    )
    worker.start()
    yield worker
    worker.stop()

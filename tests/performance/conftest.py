"""Fixtures for the performance tests: people with the performance permissions and the real
shipped data. Expected figures are computed from the raw files in ``raw.py``, never with the
portal's own code."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User

from performance import services
from performance.models import Force
from tests.factories import wipe_performance_data

from .raw import LANCASHIRE


@pytest.fixture(scope="module")
def national(django_db_setup, django_db_blocker):
    """The shipped data (43 forces, populations, Home Office crime, computed groups), loaded
    once for a test module and removed after it."""
    with django_db_blocker.unblock():
        wipe_performance_data()
        services.reference_data_load()
    yield
    with django_db_blocker.unblock():
        wipe_performance_data()


@pytest.fixture
def reference(db):
    """Forces, classification, categories and populations, but no crime figures."""
    services.reference_data_load(with_crime=False, with_peer_groups=False)


@pytest.fixture
def lancashire(national, db) -> Force:
    return Force.objects.get(code=LANCASHIRE)


# People --------------------------------------------------------------------------------------


def _user(username: str, *codenames: str) -> User:
    user = User.objects.create_user(username=username, password="a-test-password")
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="performance", codename__in=codenames)
    )
    return user


@pytest.fixture
def viewer(db) -> User:
    return _user("perf-viewer", "view_performance")


@pytest.fixture
def importer(db) -> User:
    return _user("perf-importer", "view_performance", "import_data")


@pytest.fixture
def viewer_client(client, viewer):
    client.force_login(viewer)
    return client


@pytest.fixture
def importer_client(client, importer):
    client.force_login(importer)
    return client


@pytest.fixture
def nobody_client(client, nobody):
    client.force_login(nobody)
    return client

"""A user's permissions are read in one query and cached, and any change of roles is seen at
once: a granted or revoked role, a role's permissions changed, a group deleted."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import roles
from meetings.services.users import role_grant, role_revoke

pytestmark = pytest.mark.django_db


def _fresh(user):
    """The user as the next request loads it (no permissions remembered on the object)."""
    return type(user).objects.get(pk=user.pk)


def test_permissions_are_read_in_one_query_then_from_the_cache(staff):
    with CaptureQueriesContext(connection) as first:
        assert _fresh(staff).has_perm(roles.VIEW_MEETING)
    permission_queries = [q for q in first if "auth_permission" in q["sql"]]
    assert len(permission_queries) == 1
    with CaptureQueriesContext(connection) as second:
        user = _fresh(staff)
        assert user.has_perm(roles.VIEW_MEETING)
        assert user.has_perm(roles.EDIT_NOTE)
        assert not user.has_perm(roles.SIGN_NOTE)
    assert not [q for q in second if "auth_permission" in q["sql"]]


def test_a_granted_and_a_revoked_role_are_seen_at_once(staff, nobody, admin_user):
    assert not _fresh(nobody).has_perm(roles.VIEW_MEETING)  # cached: holds nothing
    role_grant(actor=admin_user, user=nobody, role=roles.STAFF)
    assert _fresh(nobody).has_perm(roles.VIEW_MEETING)
    role_revoke(actor=admin_user, user=nobody, role=roles.STAFF)
    assert not _fresh(nobody).has_perm(roles.VIEW_MEETING)


def test_a_role_losing_a_permission_is_seen_at_once(staff):
    assert _fresh(staff).has_perm(roles.EDIT_NOTE)
    group = Group.objects.get(name=roles.STAFF)
    group.permissions.remove(Permission.objects.get(codename="edit_note"))
    assert not _fresh(staff).has_perm(roles.EDIT_NOTE)
    assert _fresh(staff).has_perm(roles.VIEW_MEETING)


def test_a_deleted_group_and_a_direct_permission_are_seen_at_once(staff):
    assert _fresh(staff).has_perm(roles.VIEW_MEETING)
    staff.user_permissions.add(Permission.objects.get(codename="sign_note"))
    assert _fresh(staff).has_perm(roles.SIGN_NOTE)
    Group.objects.get(name=roles.STAFF).delete()
    assert not _fresh(staff).has_perm(roles.VIEW_MEETING)
    assert _fresh(staff).has_perm(roles.SIGN_NOTE)


def test_a_superuser_and_an_inactive_user(staff):
    staff.is_superuser = True
    staff.save()
    assert _fresh(staff).has_perm(roles.SIGN_NOTE)
    staff.is_superuser, staff.is_active = False, False
    staff.save()
    assert not _fresh(staff).has_perm(roles.VIEW_MEETING)


def test_the_navigation_costs_no_permission_query_and_one_for_the_user(staff_client):
    url = reverse("meetings:my-actions")
    assert staff_client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(url)
    assert response.status_code == 200
    assert b"Review" in response.content and b"Bodies" in response.content
    tables = " ".join(q["sql"] for q in queries)
    assert "auth_permission" not in tables
    assert "django_session" not in tables  # cached_db: the session comes from the cache
    # The user is loaded once; the navigation's counts of My work come from the cache once a
    # request has counted them (tests/meetings/test_queues.py: a change shows at once).
    assert sum('"auth_user"."password"' in q["sql"] for q in queries) == 1
    assert "actions_due" not in tables


def test_a_role_revoked_is_refused_on_the_next_request(client, staff, admin_user):
    client.force_login(staff)
    assert client.get(reverse("meetings:review")).status_code == 200
    role_revoke(actor=admin_user, user=staff, role=roles.STAFF)
    assert client.get(reverse("meetings:review")).status_code == 403

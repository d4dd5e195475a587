"""The roles: one table in roles.py says who may do what, and the database's groups match it."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from meetings import roles

pytestmark = pytest.mark.django_db


def _permissions_of(group: Group) -> set[str]:
    return {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def test_the_groups_in_the_database_are_the_roles_of_the_table():
    groups = {group.name: _permissions_of(group) for group in Group.objects.all()}
    assert groups == {role: set(names) for role, names in roles.PERMISSIONS.items()}


def test_every_permission_named_in_roles_exists():
    named = {
        value
        for name, value in vars(roles).items()
        if name.isupper() and isinstance(value, str) and "." in value
    }
    existing = {
        f"{app_label}.{codename}"
        for app_label, codename in Permission.objects.values_list(
            "content_type__app_label", "codename"
        )
    }
    assert named and named <= existing


def test_only_the_signatory_signs_and_only_the_reviewer_concludes():
    signers = {role for role, names in roles.PERMISSIONS.items() if roles.SIGN_NOTE in names}
    concluders = {
        role for role, names in roles.PERMISSIONS.items() if roles.RECORD_CONCLUSION in names
    }
    assert (signers, concluders) == ({roles.SIGNATORY}, {roles.REVIEWER})


def test_migrate_puts_a_changed_group_back_as_the_table_says():
    staff = Group.objects.get(name=roles.STAFF)
    staff.permissions.add(Permission.objects.get(codename="sign_note"))
    Group.objects.filter(name=roles.REVIEWER).delete()
    call_command("migrate", verbosity=0)
    assert _permissions_of(Group.objects.get(name=roles.STAFF)) == roles.PERMISSIONS[roles.STAFF]
    assert (
        _permissions_of(Group.objects.get(name=roles.REVIEWER))
        == (roles.PERMISSIONS[roles.REVIEWER])
    )

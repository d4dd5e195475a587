"""The portal's roles and who may do what: one table, the permission names used everywhere.

The groups are created from this table after every ``migrate`` (``groups_sync``), so the
database always says what this file says; ``tests/meetings/test_roles.py`` checks it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.contrib.auth.backends import ModelBackend

# Permission names, as ``user.has_perm()`` takes them.
VIEW_MEETING = "meetings.view_meeting"
EDIT_NOTE = "meetings.edit_note"
SUBMIT_NOTE = "meetings.submit_note"
SIGN_NOTE = "meetings.sign_note"
PUBLISH_NOTE = "meetings.publish_note"
RECORD_CONCLUSION = "meetings.record_conclusion"
VIEW_PERSON = "meetings.view_person"
ADD_PERSON = "meetings.add_person"
CHANGE_PERSON = "meetings.change_person"
VIEW_AUDIT_EVENT = "meetings.view_auditevent"
ADD_BODY = "meetings.add_body"
CHANGE_BODY = "meetings.change_body"
VIEW_PERFORMANCE = "performance.view_performance"
IMPORT_DATA = "performance.import_data"
ADD_USER = "auth.add_user"
CHANGE_USER = "auth.change_user"
VIEW_USER = "auth.view_user"
VIEW_GROUP = "auth.view_group"

# The roles (Django groups).
STAFF = "Staff"
REVIEWER = "Reviewer"
SIGNATORY = "Signatory"
ADMINISTRATOR = "Administrator"
ALL = (STAFF, REVIEWER, SIGNATORY, ADMINISTRATOR)

READ = (VIEW_MEETING, VIEW_PERSON, VIEW_PERFORMANCE)

# Who may do what. Separation of duties: only the Signatory signs, only the Reviewer records
# the Commissioner's conclusions; the Administrator manages users and data.
PERMISSIONS: Mapping[str, frozenset[str]] = {
    STAFF: frozenset(
        {*READ, EDIT_NOTE, SUBMIT_NOTE, PUBLISH_NOTE, IMPORT_DATA, ADD_BODY, CHANGE_BODY}
    ),
    REVIEWER: frozenset({*READ, RECORD_CONCLUSION}),
    SIGNATORY: frozenset({*READ, SIGN_NOTE}),
    ADMINISTRATOR: frozenset(
        {
            *READ,
            EDIT_NOTE,
            SUBMIT_NOTE,
            PUBLISH_NOTE,
            IMPORT_DATA,
            ADD_BODY,
            CHANGE_BODY,
            ADD_PERSON,
            CHANGE_PERSON,
            VIEW_AUDIT_EVENT,
            ADD_USER,
            CHANGE_USER,
            VIEW_USER,
            VIEW_GROUP,
        }
    ),
}


# Who may grant (and revoke) which role to someone else: separation of duties. An Administrator
# manages Staff and Reviewers; only a superuser grants Signatory and Administrator. No role
# grants anything to its own holder, and no page makes anyone a superuser: that is done on the
# server (``manage.py createsuperuser``). The rules are applied by ``meetings/services/users.py``.
GRANTS: Mapping[str, frozenset[str]] = {
    STAFF: frozenset(),
    REVIEWER: frozenset(),
    SIGNATORY: frozenset(),
    ADMINISTRATOR: frozenset({STAFF, REVIEWER}),
}
SUPERUSER_GRANTS: frozenset[str] = frozenset(ALL)


def roles_grantable(*, held: Iterable[str], is_superuser: bool) -> frozenset[str]:
    """The roles that someone holding the roles ``held`` may grant to (and revoke from) others."""
    if is_superuser:
        return SUPERUSER_GRANTS
    return frozenset().union(*(GRANTS.get(role, frozenset()) for role in held))


def groups_sync(**kwargs) -> None:
    """Make each role's group hold exactly the permissions of ``PERMISSIONS`` (post_migrate)."""
    from django.contrib.auth.models import Group, Permission

    wanted = {name for names in PERMISSIONS.values() for name in names}
    found = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    missing = wanted - found.keys()
    if missing:  # not every app is migrated yet: a later post_migrate finishes the job
        return
    for role, names in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set([found[name] for name in names])


def held_permissions(user) -> frozenset[str]:
    """Every permission ``user`` holds, directly or through a role, as ``app.codename``.

    One query, then cached per user under the ``permissions`` version, which any change of a
    user's roles, a role's permissions or a group bumps (``connect_permissions_cache``).
    """
    from django.contrib.auth.models import Permission
    from django.core.cache import cache
    from django.db.models import Q

    from scrutiny import cache as keys

    key = keys.key("permissions", keys.version("permissions"), user.pk, user.is_superuser)
    held = cache.get(key)
    if held is None:
        permissions = Permission.objects.all()
        if not user.is_superuser:
            permissions = permissions.filter(Q(user=user) | Q(group__user=user))
        held = frozenset(
            f"{app_label}.{codename}"
            for app_label, codename in permissions.values_list(
                "content_type__app_label", "codename"
            ).distinct()
        )
        cache.set(key, held, timeout=PERMISSIONS_CACHE_SECONDS)
    return held


# A bound on how long a process keeps a user's permissions when its cache is not shared with
# the process that changed them (with a shared cache, a change is seen at once).
PERMISSIONS_CACHE_SECONDS = 300


class CachedPermissionsBackend(ModelBackend):
    """Django's ``ModelBackend`` with a user's permissions read in one query and cached, so the
    navigation of every page costs no query for them."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = held_permissions(user_obj)
        return user_obj._perm_cache


def connect_permissions_cache() -> None:
    """Bump the permissions version on every change of groups, of a user's groups and
    permissions, and of a group's permissions (``models.bulk.bump_on_writes``)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission

    from .models.bulk import bump_on_writes

    User = get_user_model()
    bump_on_writes(
        "permissions",
        [Group, Permission],
        links=[User.groups.through, User.user_permissions.through, Group.permissions.through],
    )

"""The portal's roles and who may do what: one table, the permission names used everywhere.

The groups are created from this table after every ``migrate`` (``groups_sync``), so the
database always says what this file says; ``tests/meetings/test_roles.py`` checks it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

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
    STAFF: frozenset({*READ, EDIT_NOTE, SUBMIT_NOTE, PUBLISH_NOTE, IMPORT_DATA}),
    REVIEWER: frozenset({*READ, RECORD_CONCLUSION}),
    SIGNATORY: frozenset({*READ, SIGN_NOTE}),
    ADMINISTRATOR: frozenset(
        {
            *READ,
            EDIT_NOTE,
            SUBMIT_NOTE,
            PUBLISH_NOTE,
            IMPORT_DATA,
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

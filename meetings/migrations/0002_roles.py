"""The portal's roles as groups, each with its explicit permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "Staff": [
        "meetings.view_meeting",
        "meetings.edit_note",
        "meetings.view_person",
    ],
    "Reviewer": [
        "meetings.view_meeting",
        "meetings.view_person",
    ],
    "Signatory": [
        "meetings.view_meeting",
        "meetings.view_person",
    ],
    "Administrator": [
        "meetings.view_meeting",
        "meetings.edit_note",
        "meetings.add_person",
        "meetings.change_person",
        "meetings.view_person",
        "meetings.view_auditevent",
        "auth.add_user",
        "auth.change_user",
        "auth.view_user",
        "auth.view_group",
    ],
}


def _ensure_permissions(apps) -> None:
    # Permissions are normally created after all migrations; create them now so that a fresh
    # database can assign them in this migration.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def create_roles(apps, schema_editor) -> None:
    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codes in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor) -> None:
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]

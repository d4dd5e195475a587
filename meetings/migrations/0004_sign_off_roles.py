"""Give the roles their sign-off permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Staff": ["submit_note", "publish_note"],
    "Signatory": ["sign_note"],
    "Administrator": ["submit_note", "sign_note", "publish_note"],
}


def grant(apps, schema_editor) -> None:
    app_config = apps.get_app_config("meetings")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="meetings", codename__in=codenames)
        )


def revoke(apps, schema_editor) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in GRANTS.items():
        for group in Group.objects.filter(name=role):
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="meetings", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [("meetings", "0003_sign_off_and_revisions")]

    operations = [migrations.RunPython(grant, revoke)]

"""Separation of duties: the Administrator role manages users and data; it does not sign
notes or record the Commissioner's conclusions (superusers still can, as Django allows)."""

from django.db import migrations

REMOVED = [("meetings", "sign_note"), ("meetings", "record_conclusion")]


def revoke(apps, schema_editor) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Administrator"):
        for app_label, codename in REMOVED:
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )


def grant(apps, schema_editor) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Administrator"):
        for app_label, codename in REMOVED:
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [("meetings", "0010_exception_report_red_history")]

    operations = [migrations.RunPython(revoke, grant)]

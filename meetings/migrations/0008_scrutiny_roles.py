"""Give the roles their permissions on performance and on exception reports."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Staff": [("performance", "view_performance"), ("performance", "import_data")],
    "Reviewer": [("performance", "view_performance"), ("meetings", "record_conclusion")],
    "Signatory": [("performance", "view_performance")],
    "Administrator": [
        ("performance", "view_performance"),
        ("performance", "import_data"),
        ("meetings", "record_conclusion"),
    ],
}


def grant(apps, schema_editor) -> None:
    for label in ("meetings", "performance"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codes in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for app_label, codename in codes:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def revoke(apps, schema_editor) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codes in GRANTS.items():
        for group in Group.objects.filter(name=role):
            for app_label, codename in codes:
                group.permissions.remove(
                    *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
                )


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0007_exception_reports_and_action_log"),
        ("performance", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

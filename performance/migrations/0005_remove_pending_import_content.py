from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("performance", "0004_pending_import_content_to_storage"),
    ]

    operations = [
        migrations.RemoveField(model_name="pendingimport", name="content"),
    ]

# Uploads waiting for confirmation move from a database blob to Django's default storage.

from django.db import migrations, models

import performance.models


class Migration(migrations.Migration):
    dependencies = [
        ("performance", "0002_offence_definitions_and_comparability"),
    ]

    operations = [
        migrations.AddField(
            model_name="pendingimport",
            name="file",
            field=models.FileField(
                default="", max_length=200, upload_to=performance.models.pending_import_path
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="pendingimport",
            name="size",
            field=models.PositiveBigIntegerField(default=0, help_text="Bytes, as uploaded."),
        ),
        migrations.AlterField(
            model_name="pendingimport",
            name="file_name",
            field=models.CharField(help_text="The name it was uploaded under.", max_length=500),
        ),
        migrations.AlterField(
            model_name="pendingimport",
            name="content",
            field=models.BinaryField(default=b""),
        ),
    ]

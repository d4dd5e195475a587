"""The version of what notes show, in the database (``models.NotesVersion``)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0030_meeting_status_body_start_idx"),
    ]

    operations = [
        migrations.CreateModel(
            name="NotesVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.CharField(max_length=32)),
            ],
            options={
                "verbose_name": "version of the notes",
            },
        ),
    ]

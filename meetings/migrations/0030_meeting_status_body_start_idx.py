"""The public list's browse counts (``publication.selectors.published_note_facets``) group
every published note by body and year: an index on (status, body, start) answers that from
the index alone, not by reading each note's row (on SQLite, every page of a row up to the
columns asked for, past the note's search text of about 17 KB)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0029_sqlite_search_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(
                fields=["status", "body", "start"], name="meeting_status_body_start_idx"
            ),
        ),
    ]

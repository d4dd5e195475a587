"""What the public search reads of each published note, kept on the note (written once when
it is published), and on PostgreSQL that text parsed into a generated column with a full-text
index.

The text of notes published before this migration is written here as
``meetings.selectors.note.note_search_text`` writes it (migrations cannot import the app's
code: the fields below are the ones ``search_sources`` lists)."""

from django.db import migrations, models
from django.db.models import Q

INDEX = "meeting_search_text_fts"
COLUMN = "search_document"
# A tsvector holds at most 1 MB: the first 300,000 characters of a note are parsed (a 60-page
# note has about 150,000; 300,000 characters of distinct random words make about 600 KB).
PARSED_CHARACTERS = 300_000


def _not_restricted(prefix=""):
    return Q(**{f"{prefix}item__isnull": True}) | Q(**{f"{prefix}item__is_restricted": False})


def fill_search_text(apps, schema_editor):
    get = lambda name: apps.get_model("meetings", name)  # noqa: E731
    Meeting = get("Meeting")
    for meeting in Meeting.objects.filter(status="published").only("pk"):
        sources = [
            (Meeting.objects.all(), "pk", ("title", "venue")),
            (
                get("AgendaItem").objects.filter(is_restricted=False),
                "meeting_id",
                ("title", "narrative"),
            ),
            (
                get("Attendance").objects.all(),
                "meeting_id",
                ("person__name", "signed_name", "role"),
            ),
            (get("Action").objects.filter(_not_restricted()), "raised_at_id", ("description",)),
            (
                get("ExceptionReport").objects.filter(_not_restricted(), status="accepted"),
                "meeting_id",
                ("category_name", "concern", "explanation", "outcome", "conclusion_comments"),
            ),
            (
                get("ActionPlan").objects.filter(
                    _not_restricted("report__"), report__status="accepted"
                ),
                "report__meeting_id",
                ("name", "summary"),
            ),
        ]
        lines = []
        for rows, path, fields in sources:
            for values in rows.filter(**{path: meeting.pk}).order_by("pk").values_list(*fields):
                lines.extend(value for value in values if value)
        # The historical model has a plain manager: the freezing checks are the app's.
        Meeting.objects.filter(pk=meeting.pk).update(search_text="\n".join(lines))


def create_index(apps, schema_editor):
    # PostgreSQL keeps the parsed text in a generated column of its own with a GIN index, so
    # that a search never parses a note's text again (publication.selectors reads it; the
    # model does not know the column: SQLite has no such type).
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'ALTER TABLE "meetings_meeting" ADD COLUMN "{COLUMN}" tsvector GENERATED ALWAYS AS '
            f"(to_tsvector('english'::regconfig, left(\"search_text\", {PARSED_CHARACTERS}))) STORED"
        )
        schema_editor.execute(
            f'CREATE INDEX "{INDEX}" ON "meetings_meeting" USING gin ("{COLUMN}")'
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'ALTER TABLE "meetings_meeting" DROP COLUMN IF EXISTS "{COLUMN}"')


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0022_merge_0020_add_notifications_0021_fill_pdf_size"),
    ]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]

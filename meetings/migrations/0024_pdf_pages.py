"""Keep the number of pages of each stored PDF with its hash and size, and count it for the
PDFs stored before (read with pypdf, as the signing's job now does)."""

import io

from django.core.files.storage import default_storage
from django.db import migrations, models


def fill(apps, schema_editor) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    Meeting = apps.get_model("meetings", "Meeting")
    stored = Meeting.objects.exclude(pdf="").exclude(pdf_sha256="").filter(pdf_pages=None)
    for pk, name in stored.values_list("pk", "pdf"):
        try:
            with default_storage.open(name, "rb") as file:
                pages = len(PdfReader(io.BytesIO(file.read())).pages)
        except (OSError, PyPdfError):  # missing or unreadable here: the page says nothing
            continue
        Meeting.objects.filter(pk=pk).update(pdf_pages=pages)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0023_search_text")]

    operations = [
        migrations.AddField(
            model_name="historicalmeeting",
            name="pdf_pages",
            field=models.PositiveIntegerField(
                blank=True, null=True, verbose_name="pages of the PDF"
            ),
        ),
        migrations.AddField(
            model_name="meeting",
            name="pdf_pages",
            field=models.PositiveIntegerField(
                blank=True, null=True, verbose_name="pages of the PDF"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]

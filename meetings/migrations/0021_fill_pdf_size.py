"""Record the size of every PDF stored before sizes were kept with the hash."""

from django.core.files.storage import default_storage
from django.db import migrations


def fill(apps, schema_editor) -> None:
    Meeting = apps.get_model("meetings", "Meeting")
    for pk, name in Meeting.objects.exclude(pdf="").filter(pdf_size=None).values_list("pk", "pdf"):
        try:
            size = default_storage.size(name)
        except OSError:  # a file missing from this installation: the download reads it then
            continue
        Meeting.objects.filter(pk=pk).update(pdf_size=size)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0020_add_pdf_size")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]

# Data: the bytes of each upload still waiting are written to the default storage.

from django.core.files.base import ContentFile
from django.db import migrations


def content_to_storage(apps, schema_editor):
    PendingImport = apps.get_model("performance", "PendingImport")
    for pending in PendingImport.objects.exclude(content=b"").iterator(chunk_size=10):
        content = bytes(pending.content)
        pending.file.save(f"{pending.pk}.upload", ContentFile(content), save=False)
        pending.size = len(content)
        pending.content = b""
        pending.save(update_fields=["file", "size", "content"])


def storage_to_content(apps, schema_editor):
    PendingImport = apps.get_model("performance", "PendingImport")
    for pending in PendingImport.objects.exclude(file="").iterator(chunk_size=10):
        with pending.file.open("rb") as stored:
            pending.content = stored.read()
        pending.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("performance", "0003_pending_import_file"),
    ]

    operations = [migrations.RunPython(content_to_storage, storage_to_content)]

"""Copy the red categories of every comparison frozen before they had a table of their own.

Signed notes included: this records what their comparison already says (``red_slugs``), it
changes nothing they show.
"""

from django.db import migrations

BATCH = 500


def fill(apps, schema_editor) -> None:
    FrozenComparison = apps.get_model("meetings", "FrozenComparison")
    FrozenReds = apps.get_model("meetings", "FrozenReds")
    rows = (
        FrozenComparison.objects.filter(reds__isnull=True)
        .order_by("pk")
        .values_list("pk", "meeting_id", "red_slugs")
    )
    batch = []
    for pk, meeting_id, slugs in rows.iterator(chunk_size=BATCH):
        batch.append(FrozenReds(comparison_id=pk, meeting_id=meeting_id, slugs=list(slugs or [])))
        if len(batch) >= BATCH:
            FrozenReds.objects.bulk_create(batch)
            batch = []
    FrozenReds.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0025_frozen_reds")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]

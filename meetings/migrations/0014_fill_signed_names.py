"""Record the attendees' names of notes signed before names were kept with them."""

from django.db import migrations


def fill(apps, schema_editor) -> None:
    Attendance = apps.get_model("meetings", "Attendance")
    signed = Attendance.objects.filter(
        meeting__status__in=["signed", "published"], signed_name=""
    ).select_related("person", "on_behalf_of")
    for attendance in signed:
        attendance.signed_name = attendance.person.name
        attendance.signed_on_behalf_of_name = (
            attendance.on_behalf_of.name if attendance.on_behalf_of_id else ""
        )
        attendance.save(update_fields=["signed_name", "signed_on_behalf_of_name"])


class Migration(migrations.Migration):
    dependencies = [("meetings", "0013_attendance_names_as_signed")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]

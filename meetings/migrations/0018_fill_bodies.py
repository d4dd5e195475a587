"""Every meeting gets a body: one body per distinct title (the series the portal used to guess
from titles), its numbering that of the body's latest meeting. Actions go into the log of the
body of the meeting that raised them, owners keep the order they were stored in, and signed
notes keep the style they were printed in."""

from django.db import migrations
from django.db.models import OuterRef, Subquery

# What every note printed before bodies existed (meetings.models.bodies.PrintStyle's defaults,
# written out so that later changes to them do not rewrite history).
STYLE_BEFORE_BODIES = {
    "document_name": "Note",
    "attendee_order": "name_role",
    "show_initials": False,
    "chair_heading": "",
    "present_heading": "Present",
    "in_attendance_heading": "In attendance",
    "note_taker_heading": "",
    "apologies_heading": "Apologies",
}


def fill_bodies(apps, schema_editor):
    Body = apps.get_model("meetings", "Body")
    Meeting = apps.get_model("meetings", "Meeting")
    Action = apps.get_model("meetings", "Action")
    ActionOwner = apps.get_model("meetings", "ActionOwner")

    bodies = {}  # by the title's lower case: body names are unique whatever their case
    for meeting in Meeting.objects.order_by("-start", "-id").only("pk", "title", "numbering"):
        name = " ".join(meeting.title.split())[:200] or "Meetings"
        body = bodies.get(name.lower())
        if body is None:
            body = bodies[name.lower()] = Body.objects.create(
                name=name, numbering=meeting.numbering
            )
        Meeting.objects.filter(pk=meeting.pk).update(body=body)
    Meeting.objects.filter(status__in=("signed", "published")).update(
        printed_style=STYLE_BEFORE_BODIES
    )
    Action.objects.update(
        body=Subquery(Meeting.objects.filter(pk=OuterRef("raised_at_id")).values("body_id")[:1])
    )
    previous_action, position = None, 0
    for owner in ActionOwner.objects.order_by("action_id", "id").only("pk", "action_id"):
        position = position + 1 if owner.action_id == previous_action else 1
        previous_action = owner.action_id
        ActionOwner.objects.filter(pk=owner.pk).update(position=position)


def empty_bodies(apps, schema_editor):
    apps.get_model("meetings", "Action").objects.update(body=None)
    apps.get_model("meetings", "Meeting").objects.update(body=None, printed_style={})
    apps.get_model("meetings", "Body").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0017_add_bodies"),
    ]

    operations = [
        migrations.RunPython(fill_bodies, empty_bodies),
    ]

"""factory_boy factories for the portal's models."""

import datetime as dt
from zoneinfo import ZoneInfo

import factory
from django.test import TestCase

from meetings.models import (
    Action,
    ActionPlan,
    AgendaItem,
    Aim,
    Attendance,
    Decision,
    ExceptionReport,
    Meeting,
    Person,
)

LONDON = ZoneInfo("Europe/London")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    title = "Strategic Scrutiny Meeting"
    start = factory.Sequence(
        lambda n: dt.datetime(2013, 1, 1, 14, 0, tzinfo=LONDON) + dt.timedelta(days=n)
    )
    venue = "Cabinet Room B, County Hall, Preston"


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(PersonFactory)
    role = "Assistant Police and Crime Commissioner"
    position = factory.Sequence(lambda n: n + 1)


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Item {n}")
    position = factory.Sequence(lambda n: n + 1)
    narrative = "The Commissioner asked the Chief Constable to account."


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    item = factory.SubFactory(AgendaItemFactory)
    text = "RESOLVED: That the report be noted."
    position = factory.Sequence(lambda n: n + 1)


class ExceptionReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExceptionReport

    meeting = factory.SubFactory(MeetingFactory)
    category_slug = factory.Sequence(lambda n: f"category-{n}")
    category_name = factory.Sequence(lambda n: f"Category {n}")
    status = ExceptionReport.Status.ACCEPTED
    position = factory.Sequence(lambda n: n + 1)


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPlan

    report = factory.SubFactory(ExceptionReportFactory)
    name = "Operation Vanquish"
    position = factory.Sequence(lambda n: n + 1)


class AimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Aim

    plan = factory.SubFactory(ActionPlanFactory)
    text = factory.Sequence(lambda n: f"Aim {n}")
    position = factory.Sequence(lambda n: n + 1)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: n + 1)
    raised_at = factory.SubFactory(MeetingFactory)
    description = factory.Sequence(lambda n: f"Action {n}")

    @factory.post_generation
    def owners(self, create, extracted, **kwargs):
        if create:
            self.owners.set(extracted or [PersonFactory()])


def note_reconciled(meeting: Meeting, *, staff, commissioner) -> Meeting:
    """Every report still proposed dismissed with a reason and every accepted one concluded,
    as the readiness rules ask before a note can be submitted."""
    from meetings.services import exception_reports

    for report in meeting.exception_reports.all():
        if report.status == ExceptionReport.Status.PROPOSED:
            exception_reports.exception_report_dismiss(
                user=staff, report=report, reason="Not discussed at this meeting."
            )
        elif report.status == ExceptionReport.Status.ACCEPTED and not report.conclusion:
            exception_reports.conclusion_record(
                user=commissioner, report=report, conclusion="assured", comments=""
            )
    return meeting


def note_signed(*, user, meeting: Meeting, **kwargs) -> Meeting:
    """``sign_off.note_sign`` by ``user``, who has read the note as it stands, with what the
    signing leaves until the commit (storing the PDF) done as a real commit would: tests run
    inside a transaction that never commits."""
    from meetings.services import sign_off

    read = sign_off.note_snapshot_keep(meeting=meeting)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return sign_off.note_sign(user=user, meeting=meeting, read_sha256=read, **kwargs)


def note_published(meeting: Meeting, *, staff, chief_executive) -> Meeting:
    """``meeting`` submitted by ``staff``, signed by ``chief_executive`` and published."""
    from meetings.services import sign_off

    sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
    note_signed(user=chief_executive, meeting=meeting)
    return sign_off.note_publish(user=staff, meeting=meeting)

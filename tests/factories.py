"""factory_boy factories for the portal's models: the meetings' record, then synthetic
performance data of any size, for tests that must not depend on the real files."""

from __future__ import annotations

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
    Body,
    Decision,
    ExceptionReport,
    Meeting,
    Person,
)
from performance.models import (
    Category,
    CategoryAlias,
    CrimeCount,
    DataSource,
    Force,
    ForceAlias,
    OffenceCode,
    OffenceCodeCount,
    OffenceDefinition,
    PeerGroup,
    PeerGroupMember,
    PendingImport,
    Population,
    Release,
)
from performance.periods import Period, month_end, month_start

LONDON = ZoneInfo("Europe/London")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")


class BodyFactory(factory.django.DjangoModelFactory):
    """The reference series by default (found again, not duplicated): factory meetings are one
    body's unless given another."""

    class Meta:
        model = Body
        django_get_or_create = ("name",)

    name = "Strategic Scrutiny Meeting"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    body = factory.SubFactory(BodyFactory)
    title = factory.LazyAttribute(lambda meeting: meeting.body.name)
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
    body = factory.LazyAttribute(lambda action: action.raised_at.body)
    description = factory.Sequence(lambda n: f"Action {n}")

    @factory.post_generation
    def owners(self, create, extracted, **kwargs):
        if create:
            for position, person in enumerate(extracted or [PersonFactory()], start=1):
                self.ownerships.create(person=person, position=position)


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
    signing leaves until the commit (its job, in-process in tests: rendering and storing the
    PDF) done as a real commit would: tests run inside a transaction that never commits."""
    from meetings.services import sign_off

    read = sign_off.note_snapshot_keep(meeting=meeting)
    with TestCase.captureOnCommitCallbacks(execute=True):
        signed = sign_off.note_sign(user=user, meeting=meeting, read_sha256=read, **kwargs)
    signed.refresh_from_db()
    return signed


def note_published(meeting: Meeting, *, staff, chief_executive) -> Meeting:
    """``meeting`` submitted by ``staff``, signed by ``chief_executive`` and published."""
    from meetings.services import sign_off

    sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
    note_signed(user=chief_executive, meeting=meeting)
    return sign_off.note_publish(user=staff, meeting=meeting)


def executive_board_meetings(staff) -> tuple[Meeting, Meeting]:
    """Two meetings of a board printed unlike the reference note: minutes, role before name with
    initials, the chair and the minute taker under their own headings, no start time, minute
    numbers running on, a substitute, actions with a lead and owners (one under a restricted
    item), and the first meeting's minutes not approved at the second."""
    from meetings.services import action_log, bodies, note, series

    body = bodies.body_create(
        user=staff,
        name="Executive Board",
        document_name="Minutes",
        numbering=Meeting.Numbering.MINUTES,
        standard_items="Apologies\nMinutes of the previous meeting\nAction log",
        attendee_order="role_name",
        show_initials=True,
        chair_heading="In the Chair",
        present_heading="Members",
        in_attendance_heading="Officers",
        note_taker_heading="Minute taker",
    )
    first = note.meeting_create(
        user=staff,
        body=body,
        start=dt.datetime(2014, 1, 14, tzinfo=LONDON),
        has_start_time=False,
        first_minute_number=12,
    )
    for _ in range(3):
        note.agenda_item_add(user=staff, meeting=first, title=f"Minute item {_ + 1}")
    second = series.meeting_create_from_previous(
        user=staff,
        previous=first,
        start=dt.datetime(2014, 3, 11, tzinfo=LONDON),
        has_start_time=False,
        venue="County Hall, Preston",
    )
    note.attendance_list_add(
        user=staff,
        meeting=second,
        text="In the Chair\nPolice and Crime Commissioner – Clive Grunshaw (CG)\n"
        "Officers\nChief Executive – Miranda Carruthers-Watt (MCW)\n"
        "Minute taker\nAdministrative Assistant – Steve Southworth (SS)\n"
        "Apologies\nDeputy Police and Crime Commissioner – Ibby Master (IM)",
    )
    note.attendance_add(
        user=staff,
        meeting=second,
        person=note.NewPerson(name="Bruce Jassi", initials="BJ"),
        role="Assistant Police and Crime Commissioner",
        on_behalf_of=Person.objects.get(name="Ibby Master"),
    )
    minutes_item = second.items.get(title="Minutes of the previous meeting")
    series.agenda_item_previous_minutes_record(
        user=staff,
        item=minutes_item,
        previous_meeting=first,
        outcome="not_approved",
        note="Minute 13 to be redrafted.",
    )
    action_item = second.items.get(title="Action log")
    closed = note.agenda_item_add(
        user=staff,
        meeting=second,
        title="Estates (closed session)",
        is_restricted=True,
        exemption="s.43 commercial interests",
    )
    people = {person.initials: person for person in Person.objects.exclude(initials="")}
    action_log.action_raise(
        user=staff,
        meeting=second,
        item=action_item,
        description="Circulate the budget timetable.",
        lead=note.NewPerson(name="Chief Constable Steve Finnigan"),
        owners=[people["SS"], people["MCW"]],
        due=dt.date(2014, 4, 30),
    )
    action_log.action_raise(
        user=staff,
        meeting=second,
        item=closed,
        description="Negotiate the secret lease.",
        owners=[people["MCW"]],
    )
    return first, second


# Performance data
class ForceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Force

    code = factory.Sequence(lambda n: f"E9{n:07d}")
    name = factory.Sequence(lambda n: f"Test force {n}")
    country = Force.Country.ENGLAND


class DataSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataSource
        django_get_or_create = ["slug"]

    slug = "home-office-prc"
    name = "Home Office police recorded crime"


class ReleaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Release

    source = factory.SubFactory(DataSourceFactory)
    label = "test release"
    file_name = "test.csv"
    sha256 = "0" * 64


def national_dataset(*, forces: int, subgroups: int, period: Period, years: int = 2) -> list[Force]:
    """``forces`` forces with populations, one offence group of ``subgroups`` subgroups and a
    named combination of them, monthly figures for the ``years`` years ending with ``period``
    (it and the 12 months before it by default), and a computed group of up to seven forces
    for the first force."""
    release = ReleaseFactory()
    created = ForceFactory.create_batch(forces)
    group = Category.objects.create(kind=Category.Kind.GROUP, name="Test group", slug="test-group")
    parts = [
        Category.objects.create(
            kind=Category.Kind.SUBGROUP, name=f"Part {i}", slug=f"part-{i}", group=group
        )
        for i in range(subgroups)
    ]
    combination = Category.objects.create(
        kind=Category.Kind.COMBINATION, name="All parts", slug="all-parts"
    )
    combination.components.set(parts)
    Population.objects.bulk_create(
        Population(
            force=force,
            year=period.end_year,
            population=100_000 + 1_000 * i,
            source=release.source,
            vintage="test",
        )
        for i, force in enumerate(created)
    )
    CrimeCount.objects.bulk_create(
        CrimeCount(
            force=force,
            category=part,
            source=release.source,
            release=release,
            period_start=month_start(month),
            period_end=month_end(month),
            months=1,
            count=10 + (i * 7 + j * 3 + month) % 20,
        )
        for i, force in enumerate(created)
        for j, part in enumerate(parts)
        for month in range(period.end_index - 12 * years + 1, period.end_index + 1)
    )
    peers = PeerGroup.objects.create(
        force=created[0], valid_from=dt.date(2000, 1, 1), source="test", is_computed=True
    )
    PeerGroupMember.objects.bulk_create(
        PeerGroupMember(group=peers, force=force, position=position)
        for position, force in enumerate(created[1:8], start=1)
    )
    return created


def wipe_performance_data() -> None:
    PendingImport.objects.all().delete()
    PeerGroupMember.objects.all().delete()
    PeerGroup.objects.all().delete()
    CrimeCount.objects.all().delete()
    OffenceCodeCount.objects.all().delete()
    OffenceDefinition.objects.all().delete()
    Population.objects.all().delete()
    Release.objects.all().delete()
    OffenceCode.objects.all().delete()
    CategoryAlias.objects.all().delete()
    Category.components.through.objects.all().delete()
    Category.objects.exclude(kind=Category.Kind.GROUP).delete()
    Category.objects.all().delete()
    ForceAlias.objects.all().delete()
    Force.objects.all().delete()
    DataSource.objects.all().delete()

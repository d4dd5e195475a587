"""Freezing a comparison into a meeting, proposing exception reports where the force is red,
and recording the force's account with its action plans and numbered aims."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from meetings.models import Aim, ExceptionReport, FrozenComparison, FrozenReds, NoteFrozen
from meetings.services import exception_reports, sign_off
from meetings.services.editing import NoteNotEditable
from performance.models import CrimeCount
from performance.periods import Period
from tests.factories import (
    LONDON,
    AgendaItemFactory,
    AimFactory,
    AttendanceFactory,
    MeetingFactory,
    note_reconciled,
    note_signed,
)

pytestmark = pytest.mark.django_db
OTHER_SEXUAL = "other-sexual-offences"


def _meeting(day: dt.date):
    return MeetingFactory(start=dt.datetime(day.year, day.month, day.day, 14, tzinfo=LONDON))


@pytest.fixture
def december(national, staff):
    meeting = _meeting(dt.date(2013, 12, 23))
    AttendanceFactory(meeting=meeting)
    AgendaItemFactory(meeting=meeting, title="Constabulary Performance")
    return meeting


def _freeze(staff, meeting, period="2013-10"):
    return exception_reports.comparison_freeze(
        user=staff, meeting=meeting, period=Period.parse(period)
    )


def test_october_2013_freezes_the_nearest_complete_period_and_says_so(
    staff, staff_client, december
):
    result = _freeze(staff, december)
    frozen = FrozenComparison.objects.get(meeting=december)
    assert (frozen.requested_period, frozen.period) == ("2013-10", "2013-09")
    assert result.comparison.period == Period.parse("2013-09")
    page = staff_client.get(reverse("meetings:comparison", args=[december.pk])).content.decode()
    assert "the nearest complete period, <strong>12 months ending September 2013</strong>" in page
    row = frozen.comparison.row(OTHER_SEXUAL)
    assert row.is_red
    assert row.count == 1378


def test_a_frozen_comparison_does_not_change_when_data_are_revised(staff, december):
    _freeze(staff, december)
    before = FrozenComparison.objects.get(meeting=december).data
    CrimeCount.objects.filter(force__code="E23000003", category__slug=OTHER_SEXUAL).update(count=0)
    frozen = FrozenComparison.objects.get(meeting=december)
    assert frozen.data == before
    assert frozen.comparison.row(OTHER_SEXUAL).count == 1378


def test_refreshing_keeps_every_report_equal_to_the_table(staff, december):
    _freeze(staff, december)
    concern = exception_reports.exception_report_add(
        user=staff, meeting=december, category_slug="burglary", category_name="Burglary"
    )
    CrimeCount.objects.filter(force__code="E23000003", category__slug=OTHER_SEXUAL).update(count=0)
    result = _freeze(staff, december)
    table = FrozenComparison.objects.get(meeting=december).comparison
    for report in december.exception_reports.all():
        row = table.row(report.category_slug)
        assert report.figures.get("rate") == (row.rate if row else None)
        assert report.figures.get("count") == (row.count if row else None)
        assert report.is_red == bool(row and row.is_red)
    red = december.exception_reports.get(category_slug=OTHER_SEXUAL)
    assert (red.figures["count"], red.is_red) == (0, False)
    assert any(
        change.startswith("The report on Other sexual offences now holds the new figures")
        and "no longer red" in change
        for change in result.changes
    )
    concern.refresh_from_db()
    assert concern.figures == exception_reports._row_figures(table.row("burglary"))


def test_refreshing_a_draft_reports_what_changed(staff, december):
    _freeze(staff, december)
    # Read once, so the cached comparison of the first freeze is there to go stale.
    assert FrozenComparison.objects.defer("data").get(meeting=december).comparison.row(OTHER_SEXUAL)
    CrimeCount.objects.filter(force__code="E23000003", category__slug=OTHER_SEXUAL).update(count=1)
    result = _freeze(staff, december)
    assert any(change.startswith("Other sexual offences: rate 0.94 →") for change in result.changes)
    assert "Other sexual offences: no longer red." in result.changes
    assert FrozenComparison.objects.get(meeting=december).comparison.row(OTHER_SEXUAL).count == 4
    deferred = FrozenComparison.objects.defer("data").get(meeting=december)
    assert deferred.comparison.row(OTHER_SEXUAL).count == 4


def test_red_categories_are_proposed_once(staff, december):
    proposed = _freeze(staff, december).proposed
    slugs = {report.category_slug for report in proposed}
    assert OTHER_SEXUAL in slugs
    assert all(report.status == ExceptionReport.Status.PROPOSED for report in proposed)
    assert all(report.is_red for report in proposed)
    assert _freeze(staff, december).proposed == []
    assert december.exception_reports.filter(category_slug=OTHER_SEXUAL).count() == 1
    with pytest.raises(IntegrityError):
        ExceptionReport.objects.create(
            meeting=december, category_slug=OTHER_SEXUAL, category_name="Again"
        )


def test_staff_add_a_category_of_concern_that_is_not_red(staff, staff_client, december):
    _freeze(staff, december)
    response = staff_client.post(
        reverse("meetings:exception-report-list", args=[december.pk]),
        {"other_category": "Non domestic serious violent crime"},
    )
    report = december.exception_reports.get(category_name="Non domestic serious violent crime")
    assert response["Location"] == reverse("meetings:exception-report-update", args=[report.pk])
    assert report.status == ExceptionReport.Status.ACCEPTED
    assert not report.is_red
    again = staff_client.post(
        reverse("meetings:exception-report-list", args=[december.pk]),
        {"other_category": "Non domestic serious violent crime"},
    )
    assert "already has an exception report" in again.content.decode()
    domestic = staff_client.post(
        reverse("meetings:exception-report-list", args=[december.pk]),
        {"category": "domestic-burglary"},
    )
    assert domestic.status_code == 302
    assert december.exception_reports.get(category_slug="domestic-burglary").figures["rate"]


def test_dismissing_a_proposal_needs_a_reason(staff, staff_client, december):
    report = _freeze(staff, december).proposed[0]
    url = reverse("meetings:exception-report-dismiss", args=[report.pk])
    response = staff_client.post(url, {"reason": " "})
    assert "reason" in response.context["form"].errors
    staff_client.post(url, {"reason": "Discussed at the last meeting; plan in place."})
    report.refresh_from_db()
    assert report.status == ExceptionReport.Status.DISMISSED
    assert report.dismissal_reason == "Discussed at the last meeting; plan in place."


def test_how_long_a_category_has_been_red(staff, staff_client, national):
    september = _meeting(dt.date(2013, 9, 23))
    _freeze(staff, september, "2013-06")
    december = _meeting(dt.date(2013, 12, 23))
    _freeze(staff, december, "2013-10")
    page = staff_client.get(
        reverse("meetings:exception-report-list", args=[december.pk])
    ).content.decode()
    assert "Red at the September 2013 meeting and still red at this meeting" in page


def test_staff_fill_in_a_report_with_an_action_plan_and_its_aims(staff, staff_client, december):
    report = _freeze(staff, december).proposed[0]
    item = december.items.get()
    response = staff_client.post(
        reverse("meetings:exception-report-update", args=[report.pk]),
        {
            "concern": "Still red since September.",
            "explanation": "Historic reporting.",
            "item": item.pk,
            "outcome": "",
            "version": report.version,
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.item, report.status) == (item, ExceptionReport.Status.ACCEPTED)
    staff_client.post(
        reverse("meetings:action-plan-create", args=[report.pk]),
        {
            "name": "Operation Vanquish",
            "summary": "",
            "owner": "Lancashire Constabulary",
            "aims": "To reduce vulnerability\nPursue offenders\n\n"
            "Prevent communities becoming a victim",
        },
    )
    plan = report.action_plans.get()
    assert list(plan.aims.values_list("position", "text")) == [
        (1, "To reduce vulnerability"),
        (2, "Pursue offenders"),
        (3, "Prevent communities becoming a victim"),
    ]


def test_aims_keep_their_numbering_when_reordered_or_removed(staff, staff_client):
    first = AimFactory(text="One", position=1)
    plan = first.plan
    second = AimFactory(plan=plan, text="Two", position=2)
    AimFactory(plan=plan, text="Three", position=3)
    staff_client.post(reverse("meetings:aim-move", args=[second.pk, "up"]))
    assert list(plan.aims.values_list("position", "text")) == [(1, "Two"), (2, "One"), (3, "Three")]
    staff_client.post(reverse("meetings:aim-delete", args=[second.pk]))
    assert list(plan.aims.values_list("position", "text")) == [(1, "One"), (2, "Three")]


def test_an_empty_aim_or_plan_name_is_refused(staff):
    aim = AimFactory()
    with pytest.raises(ValidationError):
        exception_reports.aim_add(user=staff, plan=aim.plan, text="  ")
    with pytest.raises(ValidationError):
        exception_reports.action_plan_add(user=staff, report=aim.plan.report, name=" ")


def test_a_signed_note_freezes_its_comparison_and_reports(
    staff, commissioner, chief_executive, december
):
    report = _freeze(staff, december).proposed[0]
    AimFactory(plan__report=report)
    exception_reports.exception_report_accept(user=staff, report=report)
    note_reconciled(december, staff=staff, commissioner=commissioner)
    sign_off.note_submit(user=staff, meeting=december, warnings_confirmed=True)
    note_signed(user=chief_executive, meeting=december)
    with pytest.raises(NoteNotEditable):
        _freeze(staff, december)
    frozen = FrozenComparison.objects.get(meeting=december)
    frozen.data = {}
    with pytest.raises(NoteFrozen):
        frozen.save()
    report.concern = "Rewritten"
    with pytest.raises(NoteFrozen):
        report.save()
    with pytest.raises(NoteFrozen):
        Aim.objects.filter(plan__report=report).update(text="x")
    with pytest.raises(NoteFrozen):
        ExceptionReport.objects.filter(meeting=december).delete()
    # The red categories kept apart for the history of reds freeze with the comparison.
    reds = FrozenReds.objects.get(meeting=december)
    reds.slugs = []
    with pytest.raises(NoteFrozen):
        reds.save()
    with pytest.raises(NoteFrozen):
        reds.delete()
    with pytest.raises(NoteFrozen):
        FrozenReds.objects.filter(meeting=december).update(slugs=[])
    with pytest.raises(NoteFrozen):
        FrozenReds.objects.filter(meeting=december).delete()
    with pytest.raises(NoteFrozen):
        FrozenReds.objects.bulk_create([FrozenReds(comparison=frozen, meeting=december)])
    with pytest.raises(NoteFrozen):
        exception_reports.frozen_reds_record(FrozenComparison.objects.get(meeting=december))
    assert OTHER_SEXUAL in FrozenReds.objects.get(meeting=december).slugs


def test_the_pdf_note_carries_the_reports_plans_and_numbered_aims(staff, december):
    from io import BytesIO

    import pypdf

    from meetings.pdf import render_note_pdf
    from meetings.selectors.exception_reports import note_performance
    from meetings.selectors.note import meeting_note

    report = _freeze(staff, december).proposed[0]
    exception_reports.exception_report_update(
        user=staff,
        report=report,
        concern="Red in September and December.",
        explanation="National cases increased reporting.",
    )
    exception_reports.action_plan_add(
        user=staff,
        report=report,
        name="Operation Vanquish",
        aims=["Reduce vulnerability", "Pursue offenders", "Prevent victimisation"],
    )
    pdf = render_note_pdf(
        note=meeting_note(meeting=december),
        signature=None,
        draft=True,
        **note_performance(meeting=december),
    )
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(BytesIO(pdf)).pages)
    text = " ".join(text.split()).lower()  # headings are set in capitals
    for expected in (
        "Performance against the computed peer group",
        "Other sexual offences",
        "Operation Vanquish",
        "1. Reduce vulnerability",
        "2. Pursue offenders",
        "3. Prevent victimisation",
        "National cases increased reporting.",
    ):
        assert expected.lower() in text


def test_a_revision_carries_the_comparison_reports_plans_and_aims(
    staff, commissioner, chief_executive, december
):
    report = _freeze(staff, december).proposed[0]
    exception_reports.exception_report_accept(user=staff, report=report)
    exception_reports.action_plan_add(
        user=staff, report=report, name="Operation Vanquish", aims=["One", "Two"]
    )
    note_reconciled(december, staff=staff, commissioner=commissioner)
    sign_off.note_submit(user=staff, meeting=december, warnings_confirmed=True)
    note_signed(user=chief_executive, meeting=december)
    revision = sign_off.note_revise(user=staff, meeting=december)
    assert FrozenComparison.objects.get(meeting=revision).data == (
        FrozenComparison.objects.get(meeting=december).data
    )
    copied = revision.exception_reports.get(category_slug=report.category_slug)
    assert copied.status == ExceptionReport.Status.ACCEPTED
    plan = copied.action_plans.get()
    assert list(plan.aims.values_list("position", "text")) == [(1, "One"), (2, "Two")]
    assert revision.exception_reports.count() == december.exception_reports.count()
    assert FrozenReds.objects.get(meeting=revision).slugs == (
        FrozenComparison.objects.get(meeting=december).red_slugs
    )


def test_a_signed_note_keeps_its_red_history_as_it_stood(
    staff, commissioner, chief_executive, national
):
    september = _meeting(dt.date(2013, 9, 23))
    _freeze(staff, september, "2013-06")
    december = _meeting(dt.date(2013, 12, 23))
    AttendanceFactory(meeting=december)
    AgendaItemFactory(meeting=december)
    _freeze(staff, december, "2013-10")
    exception_reports.exception_report_accept(
        user=staff, report=december.exception_reports.get(category_slug=OTHER_SEXUAL)
    )
    note_reconciled(december, staff=staff, commissioner=commissioner)
    sign_off.note_submit(user=staff, meeting=december, warnings_confirmed=True)
    note_signed(user=chief_executive, meeting=december)
    report = december.exception_reports.get(category_slug=OTHER_SEXUAL)
    assert report.red_history == "Red at the September 2013 meeting and still red at this meeting"
    september.delete()  # the earlier meeting goes; the signed record does not change
    from meetings.selectors.exception_reports import note_performance

    histories = [
        r["history"]
        for r in note_performance(meeting=december, with_chart=False)["exception_reports"]
        if r["category"] == "Other sexual offences"
    ]
    assert histories == ["Red at the September 2013 meeting and still red at this meeting"]


def test_categories_of_concern_in_any_script_are_kept_apart(staff):
    meeting = MeetingFactory()
    first = exception_reports.exception_report_add(
        user=staff, meeting=meeting, category_slug="force-трасса", category_name="Трасса"
    )
    second = exception_reports.exception_report_add(
        user=staff, meeting=meeting, category_slug="force-ffordd", category_name="Ffordd"
    )
    assert first.category_slug != second.category_slug


def test_only_what_was_deleted_with_a_plan_comes_back_with_it(staff):
    aim = AimFactory(text="Deleted on purpose earlier")
    plan = aim.plan
    kept = AimFactory(plan=plan, text="Deleted with the plan")
    import datetime as dt

    from meetings.models import Aim as AimModel

    exception_reports.aim_delete(user=staff, aim=aim)
    AimModel.history.filter(history_type="-").update(
        history_date=dt.datetime(2013, 1, 1, tzinfo=dt.UTC)
    )
    report, plan_id = plan.report, plan.pk
    exception_reports.action_plan_delete(user=staff, plan=plan)
    exception_reports.action_plan_restore(user=staff, report=report, plan_id=plan_id)
    assert list(AimModel.objects.filter(plan_id=plan_id).values_list("text", flat=True)) == [
        kept.text
    ]


def test_every_change_to_an_aim_is_recorded_in_the_audit_trail(staff):
    from meetings.models import AuditEvent

    first = AimFactory(text="One", position=1)
    plan = first.plan
    meeting = plan.report.meeting
    second = exception_reports.aim_add(user=staff, plan=plan, text="Two")
    exception_reports.aim_update(user=staff, aim=second, text="Two, reworded")
    exception_reports.aim_move(user=staff, aim=second, step=-1)
    exception_reports.aim_move(user=staff, aim=second, step=-1)  # already first: nothing moves
    second_id = second.pk
    exception_reports.aim_delete(user=staff, aim=second)
    exception_reports.aim_restore(user=staff, plan=plan, aim_id=second_id)
    events = AuditEvent.objects.filter(meeting=meeting).order_by("created_at", "id")
    assert [(event.verb, event.actor) for event in events] == [
        ("aim.add", staff),
        ("aim.update", staff),
        ("aim.move", staff),
        ("aim.delete", staff),
        ("aim.restore", staff),
    ]
    history_users = set(Aim.history.filter(id=second_id).values_list("history_user", flat=True))
    assert history_users == {staff.pk}


def test_red_history_belongs_to_the_body_not_the_title(staff, national):
    from meetings.selectors.exception_reports import red_spells
    from tests.factories import BodyFactory

    board = BodyFactory(name="Executive Board")
    # Same title, another body: not part of the history. Another title, same body: part of it.
    impostor = MeetingFactory(
        body=board,
        title="Strategic Scrutiny Meeting",
        start=dt.datetime(2013, 6, 24, 14, tzinfo=LONDON),
    )
    _freeze(staff, impostor, "2013-06")
    renamed = MeetingFactory(
        title="Scrutiny meeting (renamed)", start=dt.datetime(2013, 9, 23, 14, tzinfo=LONDON)
    )
    _freeze(staff, renamed, "2013-06")
    december = _meeting(dt.date(2013, 12, 23))
    _freeze(staff, december, "2013-10")
    report = december.exception_reports.get(category_slug=OTHER_SEXUAL)
    assert [m.pk for m in red_spells([report])[report.pk].earlier_red] == [renamed.pk]
    board_later = MeetingFactory(body=board, start=dt.datetime(2014, 1, 14, 14, tzinfo=LONDON))
    _freeze(staff, board_later, "2013-10")
    board_report = board_later.exception_reports.get(category_slug=OTHER_SEXUAL)
    assert [m.pk for m in red_spells([board_report])[board_report.pk].earlier_red] == [impostor.pk]


def test_a_report_asked_to_return_comes_back_only_to_its_own_body(staff, commissioner):
    from meetings.selectors.exception_reports import returning_reports
    from tests.factories import BodyFactory, ExceptionReportFactory

    september = _meeting(dt.date(2013, 9, 23))
    report = ExceptionReportFactory(meeting=september)
    exception_reports.conclusion_record(
        user=commissioner,
        report=report,
        conclusion="not_assured",
        comments="Return.",
        return_requested=True,
    )
    other_body = MeetingFactory(
        body=BodyFactory(name="Executive Board"), start=dt.datetime(2013, 12, 1, tzinfo=LONDON)
    )
    assert list(returning_reports(meeting=other_body)) == []
    assert list(returning_reports(meeting=_meeting(dt.date(2013, 12, 23)))) == [report]


def test_force_recorded_fraud_is_never_proposed(staff, national):
    meeting = _meeting(dt.date(2013, 4, 22))
    _freeze(staff, meeting, "2013-03")
    slugs = set(meeting.exception_reports.values_list("category_slug", flat=True))
    assert not {slug for slug in slugs if "fraud" in slug}


def test_the_note_page_and_json_say_computed_peer_group(staff, staff_client, december):
    _freeze(staff, december)
    page = staff_client.get(december.get_absolute_url()).content.decode()
    assert "Performance against the computed peer group" in page
    assert "Chosen by the portal, not published" in page
    from meetings.selectors.exception_reports import note_performance

    data = note_performance(meeting=december, with_chart=False)["comparison"]
    assert data["group"] == "Computed peer group"
    assert data["heading"] == "Performance against the computed peer group"
    assert "most similar" not in " ".join(data["notes"]).lower()


def test_the_red_categories_follow_each_freeze_and_refresh_at_once(staff, december):
    _freeze(staff, december)
    frozen = FrozenComparison.objects.get(meeting=december)
    reds = FrozenReds.objects.get(meeting=december)
    assert reds.comparison_id == frozen.pk
    assert OTHER_SEXUAL in reds.slugs
    assert reds.slugs == frozen.red_slugs
    CrimeCount.objects.filter(force__code="E23000003", category__slug=OTHER_SEXUAL).update(count=1)
    _freeze(staff, december)
    assert OTHER_SEXUAL not in FrozenReds.objects.get(meeting=december).slugs
    assert FrozenReds.objects.get(meeting=december).slugs == (
        FrozenComparison.objects.get(meeting=december).red_slugs
    )


def test_the_history_of_reds_reads_one_small_table_whatever_the_history(staff, national):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from meetings.selectors.exception_reports import red_spells

    def spells_of(meeting):
        report = meeting.exception_reports.select_related("meeting").get(category_slug=OTHER_SEXUAL)
        with CaptureQueriesContext(connection) as queries:
            spell = red_spells([report])[report.pk]
        return spell, [query["sql"] for query in queries.captured_queries]

    september = _meeting(dt.date(2013, 9, 23))
    _freeze(staff, september, "2013-06")
    june = _meeting(dt.date(2013, 6, 24))
    _freeze(staff, june, "2013-03")
    december = _meeting(dt.date(2013, 12, 23))
    _freeze(staff, december, "2013-10")
    spell, sql = spells_of(december)
    assert [m.pk for m in spell.earlier_red] == [june.pk, september.pk]
    assert len(sql) == 1
    assert "meetings_frozenreds" in sql[0]
    assert "meetings_frozencomparison" not in sql[0]  # never the comparisons and their JSON
    # A refresh of an earlier draft shows at once: September no longer red.
    CrimeCount.objects.filter(force__code="E23000003", category__slug=OTHER_SEXUAL).update(count=1)
    _freeze(staff, september, "2013-06")
    spell, sql = spells_of(december)
    assert [m.pk for m in spell.earlier_red] == [june.pk]
    assert len(sql) == 1

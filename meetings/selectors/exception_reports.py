"""Reading exception reports: the meeting's frozen comparison, how long each category has been
red across the meetings of the body, the reports open for review, and the note's performance
section (plain data for the web page and the PDF), each in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from django.core.cache import cache
from django.db import models
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from performance.comparison import Comparison, ComparisonRow, ForceRef
from performance.periods import Period
from performance.table import comparison_table
from scrutiny import cache as keys

from ..models import ActionPlan, Aim, ExceptionReport, FrozenComparison, FrozenReds, Meeting
from ..models.exception_reports import COMPARISON_CACHE_SECONDS


def frozen_comparison(*, meeting: Meeting) -> FrozenComparison | None:
    """The comparison frozen into ``meeting``, if any (its ``.comparison`` is the data).

    Read once per meeting object: a page asks for it from several places."""
    if not hasattr(meeting, "_frozen_comparison"):
        meeting._frozen_comparison = (
            FrozenComparison.objects.filter(meeting=meeting).defer("data").first()
        )
    return meeting._frozen_comparison


def frozen_comparisons(*, meeting_ids: Iterable[int]) -> dict[int, FrozenComparison]:
    """The frozen comparisons of several meetings, by meeting id, in one query."""
    return {
        frozen.meeting_id: frozen
        for frozen in FrozenComparison.objects.filter(meeting_id__in=set(meeting_ids)).defer("data")
    }


def returning_reports(*, meeting: Meeting) -> QuerySet[ExceptionReport]:
    """Reports at earlier meetings of this body that asked to come back, or were deferred to
    this meeting, and have not returned yet."""
    return (
        ExceptionReport.objects.filter(
            Q(return_requested=True) | Q(deferred_to=meeting),
            meeting__body_id=meeting.body_id,
            meeting__start__lt=meeting.start,
            returns__isnull=True,
        )
        .exclude(meeting=meeting)
        .select_related("meeting")
        .order_by("meeting__start")
    )


class EarlierMeeting(NamedTuple):
    """An earlier meeting of the body, as the red spells need it: not a model instance (a
    body has one per meeting, about 200 in the bench, and building a model row is costly)."""

    pk: int
    body_id: int
    start: dt.datetime


@dataclass(frozen=True)
class RedSpell:
    """Where a category stood at the earlier meetings of the series."""

    earlier_red: list[EarlierMeeting]
    is_red_now: bool

    @property
    def sentence(self) -> str:
        """ "Red at the September 2013 meeting and still red in December 2013"."""
        if not self.earlier_red:
            return ""
        months = [f"{timezone.localtime(m.start):%B %Y}" for m in self.earlier_red]
        earlier = " and ".join([", ".join(months[:-1]), months[-1]] if len(months) > 1 else months)
        plural = "meetings" if len(months) > 1 else "meeting"
        return f"Red at the {earlier} {plural}" + (
            " and still red at this meeting" if self.is_red_now else "; not red at this meeting"
        )


def _all_but(path: str, model: type[models.Model], *kept: str) -> list[str]:
    """Every column of ``model`` reached by ``path`` but its key and ``kept``: to defer."""
    return [
        f"{path}__{field.name}"
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name not in kept
    ]


def reports_with_plans(queryset: QuerySet[ExceptionReport]) -> QuerySet[ExceptionReport]:
    """``queryset`` with what a report is shown with: its meeting (read afresh, as it stands,
    without its note's search text, never shown), its item, who concluded, the meetings it
    returns from and is deferred to (their titles and dates), and its plans and their aims."""
    # The report returned from and the meeting deferred to are shown by their meeting's title
    # and date only: their other columns (the report's texts and figures, the meetings' style
    # and PDF details) cost Django more to compile into the query and convert than the rest.
    shown_by_title = ("title", "start")
    return (
        queryset.select_related(
            "item", "concluded_by", "meeting", "returns_from__meeting", "deferred_to"
        )
        .defer(
            "meeting__search_text",
            *_all_but("returns_from", ExceptionReport, "meeting"),
            *_all_but("returns_from__meeting", Meeting, *shown_by_title),
            *_all_but("deferred_to", Meeting, *shown_by_title),
        )
        .prefetch_related(
            Prefetch(
                "action_plans",
                queryset=ActionPlan.objects.order_by("position", "id").prefetch_related(
                    Prefetch("aims", queryset=Aim.objects.order_by("position", "id"))
                ),
            )
        )
    )


def meeting_reports(*, meeting: Meeting) -> list[ExceptionReport]:
    """The meeting's exception reports in order, with their plans (one read a page: the note's
    performance section and its readiness share it)."""
    return list(reports_with_plans(meeting.exception_reports.order_by("position", "id")))


def red_spells(reports: Sequence[ExceptionReport]) -> dict[int, RedSpell]:
    """For each report, the earlier meetings of its body where its category was red.

    A meeting held once counts once, however many revisions its note has had.
    """
    if not reports:
        return {}
    bodies = {report.meeting.body_id for report in reports}
    latest = max(report.meeting.start for report in reports)
    # The small rows of red categories, never the comparisons and their JSON; as tuples.
    earlier = (
        FrozenReds.objects.filter(meeting__body_id__in=bodies, meeting__start__lt=latest)
        .order_by("meeting__start", "meeting__revision_number")
        .values_list("slugs", "meeting_id", "meeting__body_id", "meeting__start")
    )
    by_body: dict[int, dict] = defaultdict(dict)
    for slugs, meeting_id, body_id, start in earlier:  # the latest revision of each wins
        by_body[body_id][start] = (frozenset(slugs), EarlierMeeting(meeting_id, body_id, start))
    spells = {}
    for report in reports:
        reds = [
            meeting
            for start, (slugs, meeting) in by_body[report.meeting.body_id].items()
            if start < report.meeting.start and report.category_slug in slugs
        ]
        spells[report.pk] = RedSpell(earlier_red=reds, is_red_now=report.is_red)
    return spells


def red_history(report: ExceptionReport, spells: dict[int, RedSpell]) -> str:
    """The sentence of how long a category has been red: as recorded when the note was signed,
    or as the earlier meetings now stand for a note still being written."""
    if report.meeting.is_frozen:
        return report.red_history
    spell = spells.get(report.pk)
    return spell.sentence if spell else ""


def report_charts(reports: Sequence[ExceptionReport]) -> dict[int, CategoryChart | None]:
    """The chart of each report's category in its meeting's frozen comparison, by report id;
    each frozen comparison is read once, however many reports it serves, and only for a chart
    not yet in the cache."""
    frozens = frozen_comparisons(meeting_ids=(report.meeting_id for report in reports))
    return {
        report.pk: category_chart(
            frozen=frozens[report.meeting_id],
            slug=report.category_slug,
            chart_id=f"review-{report.pk}",
        )
        if report.meeting_id in frozens
        else None
        for report in reports
    }


def reports_for_review() -> QuerySet[ExceptionReport]:
    """Exception reports still open to the Commissioner: accepted, in notes not yet signed."""
    return reports_with_plans(
        ExceptionReport.objects.filter(
            status=ExceptionReport.Status.ACCEPTED,
            meeting__status__in=[Meeting.Status.DRAFT, Meeting.Status.SUBMITTED],
        ).order_by("meeting__start", "position", "id")
    )


def _figure(value: float | None, places: int = 2) -> str | None:
    return None if value is None else f"{value:,.{places}f}"


@dataclass(frozen=True)
class CategoryChart:
    """A frozen comparison's chart of one category (an SVG document), with its text
    alternative, and the row, period and force it shows (what the review prints beside it)."""

    svg: str
    alt: str
    row: ComparisonRow
    period: Period
    force: ForceRef


def category_chart(
    *,
    frozen: FrozenComparison,
    slug: str,
    chart_id: str,
    comparison: Comparison | None = None,
    for_print: bool = False,
) -> CategoryChart | None:
    """The chart of category ``slug`` in a frozen comparison, or None without complete figures.

    A frozen comparison never changes (a refresh bumps its version), and drawing is most of a
    page's cost, so each chart is drawn once and kept in the cache, with its row, under the
    frozen comparison's id and version: a page of charts reads those, not the whole
    comparison (``comparison``, or ``frozen.comparison`` read only when a chart is missing).
    """
    from performance import charts

    variant = "print" if for_print else "screen"
    cache_key = keys.key(
        "category-chart",
        frozen.pk,
        frozen.version,
        frozen.frozen_at.timestamp(),
        slug,
        chart_id,
        variant,
    )
    if (cached := cache.get(cache_key)) is not None:
        return cached or None
    comparison = comparison or frozen.comparison
    row = comparison.row(slug)
    if row is None or not row.is_complete:
        chart = None
    else:
        bars = charts.comparison_chart_rows(row, force_code=comparison.force.code)
        chart = CategoryChart(
            svg=charts.comparison_chart_svg(
                bars,
                title=f"{row.category_name}: {comparison.force.name} and its group, "
                f"{comparison.period.label}",
                chart_id=chart_id,
                group_rate=row.group_rate,
                red_from=row.red_from_rate,
                for_print=for_print,
            ),
            alt=charts.comparison_chart_text(
                bars, group_rate=row.group_rate, red_from=row.red_from_rate
            ),
            row=row,
            period=comparison.period,
            force=comparison.force,
        )
    cache.set(cache_key, chart or (), timeout=COMPARISON_CACHE_SECONDS)
    return chart


def _period_sentence(frozen: FrozenComparison, comparison: Comparison) -> str:
    """Which 12 months the figures are, and why when they are not the months asked for."""
    used = comparison.period
    asked = Period.parse(frozen.requested_period)
    if asked == used:
        return f"Figures for the {used.label}."
    month = f"{asked.end:%B %Y}"
    where = "latest" if used.end < asked.end else "nearest"
    before = "before" if used.end < asked.end else "after"
    return (
        f"Figures for the {used.label}, the {where} complete quarter {before} {month}, the "
        "period the meeting asked for: the Home Office figures are quarterly."
    )


def _sources_sentences(frozen: FrozenComparison, comparison: Comparison) -> list[str]:
    population = (
        f"Population: mid-{comparison.population_year} estimates, "
        f"{comparison.population_source or 'ONS'}"
        + (f" ({comparison.population_vintage})" if comparison.population_vintage else "")
        + "."
    )
    releases = "; ".join(
        f"{entry['source']}, {entry['release']}" for entry in frozen.releases or ()
    )
    return [population] + ([f"Crime figures: {releases}."] if releases else [])


def _report_number(reports: Sequence[ExceptionReport]) -> dict[str, int]:
    """Each reported category's number in the note: its report's place, from 1."""
    return {report.category_slug: n for n, report in enumerate(reports, start=1)}


def _row_account(row, number: int | None, dismissed: dict[str, str]) -> str:
    """What the note says about a row it reports on, dismissed or left red (or "")."""
    if number is not None:
        if row.is_red:
            return f"See exception report {number}."
        return f"See exception report {number} (raised as a category of concern)."
    if row.is_red:
        reason = dismissed.get(row.category_slug)
        if reason:
            return f"Not reported: {reason}"
        return "Not yet reported or dismissed."
    return ""


def _comparison_section(
    *,
    frozen: FrozenComparison,
    comparison: Comparison,
    reports: Sequence[ExceptionReport],
    dismissed: dict[str, str],
    with_chart: bool,
) -> dict:
    numbers = _report_number(reports)
    rows = [row for row in comparison.rows if row.is_complete]
    group = comparison.group
    heading = (
        "Performance against the computed peer group"
        if group is not None and group.is_computed
        else "Performance against most similar forces"
    )
    section = {
        "heading": heading,
        "force": comparison.force.name,
        "group": group.heading if group else "Most similar group",
        "group_explanation": group.explanation if group else "",
        # The caption ("title"), rows and footnotes as every performance table prints them.
        **comparison_table(
            comparison,
            rows=rows,
            accounts={
                row.category_slug: _row_account(row, numbers.get(row.category_slug), dismissed)
                for row in rows
            },
        ),
        "notes": [
            _period_sentence(frozen, comparison),
            *_sources_sentences(frozen, comparison),
        ]
        + (
            [
                f"{group.heading}: "
                + ", ".join(member.name for member in group.members)
                + f". {group.explanation}"
            ]
            if group
            else []
        ),
        "charts": [],
    }
    if with_chart:
        # A chart for each category the note reports on and each red one, in the table's order.
        charted = [row for row in rows if row.is_red or row.category_slug in numbers]
        for row in charted:
            chart = category_chart(
                frozen=frozen,
                slug=row.category_slug,
                chart_id=f"note-{row.category_slug}",
                comparison=comparison,
                for_print=True,
            )
            if chart is None:
                continue
            number = numbers.get(row.category_slug)
            section["charts"].append(
                {
                    "category": row.category_name,
                    "svg": chart.svg,
                    "alt": chart.alt,
                    "caption": (
                        f"{row.category_name} per 1,000 population: {comparison.force.name} "
                        f"against its {(group.heading if group else 'group').lower()}"
                        + (
                            "; the force is in the worst 10% nationally (solid red)."
                            if row.is_red
                            else "; forces in the worst 10% nationally are solid red."
                        )
                        + (f" See exception report {number}." if number else "")
                    ),
                }
            )
    return section


def note_performance(
    *,
    meeting: Meeting,
    with_chart: bool = True,
    reports: list[ExceptionReport] | None = None,
) -> dict:
    """The frozen comparison and the exception reports as the note's plain data (PDF and web).

    One set of figures: a report's figures are those of the frozen comparison's row. The table
    accounts for every red row (its report, or the reason it was not reported) and for every
    reported category that is not red (a category of concern). ``reports``: the meeting's
    reports as ``meeting_reports`` reads them, when the page has them already.
    """
    frozen = frozen_comparison(meeting=meeting)
    comparison = frozen.comparison if frozen else None
    every = reports if reports is not None else meeting_reports(meeting=meeting)
    reports = [r for r in every if r.status == ExceptionReport.Status.ACCEPTED]
    dismissed = {
        r.category_slug: r.dismissal_reason
        for r in every
        if r.status == ExceptionReport.Status.DISMISSED
    }
    comparison_data = (
        _comparison_section(
            frozen=frozen,
            comparison=comparison,
            reports=reports,
            dismissed=dismissed,
            with_chart=with_chart,
        )
        if comparison is not None
        else None
    )
    spells = red_spells(reports)
    report_data = []
    for number, report in enumerate(reports, start=1):
        if report.item is not None and report.item.is_restricted:
            # Discussed in closed session: the note shows that it was considered, nothing more.
            report_data.append(
                {
                    "number": number,
                    "category": report.category_name,
                    "concern": f"Considered in closed session ({report.item.exemption}).",
                }
            )
            continue
        row = comparison.row(report.category_slug) if comparison else None
        report_data.append(
            {
                "number": number,
                "category": report.category_name,
                "raised": _why_raised(report, row),
                "history": red_history(report, spells),
                "figures": _report_figures(row, report.figures or {}),
                "concern": report.concern,
                "explanation": report.explanation,
                "action_plans": [
                    {
                        "name": plan.name,
                        "description": plan.summary,
                        "aims": [aim.text for aim in plan.aims.all()],
                    }
                    for plan in report.action_plans.all()
                ],
                "outcome": report.get_conclusion_display() if report.conclusion else report.outcome,
                "comments": report.conclusion_comments if report.conclusion else "",
                "deferred_to": str(report.deferred_to) if report.deferred_to_id else "",
            }
        )
    return {"comparison": comparison_data, "exception_reports": report_data}


def _why_raised(report: ExceptionReport, row) -> str:
    """Why a report is in the note when its category is not red (or "")."""
    if row is not None and row.is_red:
        return ""
    returning = (
        f", returning from the {report.returns_from.meeting}" if report.returns_from_id else ""
    )
    if row is None:
        return (
            f"Raised as a category of concern{returning}: it is not in the comparison (the "
            "force's own category or figures)."
        )
    return f"Raised as a category of concern{returning}: not in the worst 10% nationally."


def _report_figures(row, stored: dict) -> list[dict]:
    """The report's figures: the frozen comparison's row when the category is in it."""
    if row is not None:
        figures = {
            "count": row.count,
            "rate": row.rate,
            "group_rate": row.group_rate,
            "national_rank": row.national_rank,
            "national_size": row.national_size,
        }
    else:
        figures = stored
    return [
        {"label": label, "value": value}
        for label, value in (
            ("Crimes", _figure(figures.get("count"), 0)),
            ("Rate per 1,000", _figure(figures.get("rate"))),
            ("Group rate per 1,000", _figure(figures.get("group_rate"))),
            (
                "Rank nationally",
                f"{figures['national_rank']} of {figures.get('national_size')}"
                if figures.get("national_rank")
                else None,
            ),
        )
        if value is not None
    ]

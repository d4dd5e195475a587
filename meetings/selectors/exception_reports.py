"""Reading exception reports: the meeting's frozen comparison, how long each category has been
red across the meetings of the series, the reports open for review, and the note's performance
section (plain data for the web page and the PDF), each in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from performance.comparison import Comparison, ComparisonRow

from ..models import ActionPlan, Aim, ExceptionReport, FrozenComparison, Meeting


def frozen_comparison(*, meeting: Meeting) -> FrozenComparison | None:
    """The comparison frozen into ``meeting``, if any (its ``.comparison`` is the data).

    Read once per meeting object: a page asks for it from several places."""
    if not hasattr(meeting, "_frozen_comparison"):
        meeting._frozen_comparison = FrozenComparison.objects.filter(meeting=meeting).first()
    return meeting._frozen_comparison


def frozen_comparisons(*, meeting_ids: Iterable[int]) -> dict[int, FrozenComparison]:
    """The frozen comparisons of several meetings, by meeting id, in one query."""
    return {
        frozen.meeting_id: frozen
        for frozen in FrozenComparison.objects.filter(meeting_id__in=set(meeting_ids))
    }


def returning_reports(*, meeting: Meeting) -> QuerySet[ExceptionReport]:
    """Reports at earlier meetings of this series that asked to come back, or were deferred to
    this meeting, and have not returned yet."""
    return (
        ExceptionReport.objects.filter(
            Q(return_requested=True) | Q(deferred_to=meeting),
            meeting__title=meeting.title,
            meeting__start__lt=meeting.start,
            returns__isnull=True,
        )
        .exclude(meeting=meeting)
        .select_related("meeting")
        .order_by("meeting__start")
    )


@dataclass(frozen=True)
class RedSpell:
    """Where a category stood at the earlier meetings of the series."""

    earlier_red: list[Meeting]
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


def reports_with_plans(queryset: QuerySet[ExceptionReport]) -> QuerySet[ExceptionReport]:
    return queryset.select_related(
        "meeting", "item", "concluded_by", "returns_from__meeting", "deferred_to"
    ).prefetch_related(
        Prefetch(
            "action_plans",
            queryset=ActionPlan.objects.order_by("position", "id").prefetch_related(
                Prefetch("aims", queryset=Aim.objects.order_by("position", "id"))
            ),
        )
    )


def red_spells(reports: Sequence[ExceptionReport]) -> dict[int, RedSpell]:
    """For each report, the earlier meetings of its series where its category was red.

    A meeting held once counts once, however many revisions its note has had.
    """
    if not reports:
        return {}
    titles = {report.meeting.title for report in reports}
    latest = max(report.meeting.start for report in reports)
    earlier = (
        FrozenComparison.objects.filter(meeting__title__in=titles, meeting__start__lt=latest)
        .select_related("meeting")
        .only("red_slugs", "meeting__title", "meeting__start", "meeting__status")
        .order_by("meeting__start", "meeting__revision_number")
    )
    by_title: dict[str, dict] = defaultdict(dict)
    for frozen in earlier:  # the latest revision of each meeting wins
        by_title[frozen.meeting.title][frozen.meeting.start] = frozen
    spells = {}
    for report in reports:
        reds = [
            frozen.meeting
            for start, frozen in by_title[report.meeting.title].items()
            if start < report.meeting.start and report.category_slug in frozen.red_slugs
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
    each frozen comparison is read once, however many reports it serves."""
    frozens = frozen_comparisons(meeting_ids=(report.meeting_id for report in reports))
    comparisons = {meeting_id: frozen.comparison for meeting_id, frozen in frozens.items()}
    return {
        report.pk: category_chart(
            frozen=frozens[report.meeting_id],
            slug=report.category_slug,
            chart_id=f"review-{report.pk}",
            comparison=comparisons[report.meeting_id],
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


HEADLINE_CATEGORY = "total-recorded-crime-excluding-fraud"


def _figure(value: float | None, places: int = 2) -> str | None:
    return None if value is None else f"{value:,.{places}f}"


def _change(row) -> str | None:
    if row.change_percent is None:
        return None
    return f"{row.change_percent:+.1f}%"


@dataclass(frozen=True)
class CategoryChart:
    """A frozen comparison's chart of one category (an SVG document), with its text alternative."""

    svg: str
    alt: str
    row: ComparisonRow
    comparison: Comparison

    @property
    def period(self):
        return self.comparison.period

    @property
    def force(self):
        return self.comparison.force


def category_chart(
    *,
    frozen: FrozenComparison,
    slug: str,
    chart_id: str,
    comparison: Comparison | None = None,
) -> CategoryChart | None:
    """The chart of category ``slug`` in a frozen comparison, or None without complete figures.

    A frozen comparison never changes (a refresh bumps its version), and drawing is most of a
    page's cost, so each chart is drawn once and kept in the cache under the frozen
    comparison's id and version.
    """
    from performance import charts

    comparison = comparison or frozen.comparison
    row = comparison.row(slug)
    if row is None or not row.is_complete:
        return None
    bars = charts.comparison_chart_rows(row, force_code=comparison.force.code)

    def draw() -> str:
        return charts.comparison_chart_svg(
            bars,
            title=f"{row.category_name}: {comparison.force.name} and its group, "
            f"{comparison.period.label}",
            chart_id=chart_id,
            group_rate=row.group_rate,
            red_from=row.red_from_rate,
        )

    key = f"comparison-chart:{frozen.pk}:{frozen.version}:{slug}:{chart_id}"
    return CategoryChart(
        svg=cache.get_or_set(key, draw, timeout=None),
        alt=charts.comparison_chart_text(
            bars, group_rate=row.group_rate, red_from=row.red_from_rate
        ),
        row=row,
        comparison=comparison,
    )


def note_performance(*, meeting: Meeting, with_chart: bool = True) -> dict:
    """The frozen comparison and the exception reports as the note's plain data (PDF and web)."""

    frozen = frozen_comparison(meeting=meeting)
    comparison = frozen.comparison if frozen else None
    comparison_data = None
    if comparison is not None:
        rows = [row for row in comparison.rows if row.is_complete]
        comparison_data = {
            "title": f"Crimes per 1,000 population, {comparison.period.label}",
            "force": comparison.force.name,
            "group": comparison.group.label if comparison.group else "Most similar group",
            "rows": [
                {
                    "category": row.category_name,
                    "force_rate": _figure(row.rate),
                    "group_rate": _figure(row.group_rate),
                    "group_rank": f"{row.rank_in_group} of {row.group_size}"
                    if row.rank_in_group
                    else None,
                    "national_rank": f"{row.national_rank} of {row.national_size}"
                    if row.national_rank
                    else None,
                    "change": _change(row),
                    "is_red": row.is_red,
                }
                for row in rows
            ],
            "notes": [
                comparison.rule.red_description,
                f"Population: mid-{comparison.population_year} estimates "
                f"({comparison.population_source}).",
            ]
            + (
                [
                    f"{comparison.group.label}: "
                    + ", ".join(member.name for member in comparison.group.members)
                    + f" ({comparison.group.source})."
                ]
                if comparison.group
                else []
            ),
        }
        chart = (
            category_chart(
                frozen=frozen,
                slug=HEADLINE_CATEGORY,
                chart_id="note-headline",
                comparison=comparison,
            )
            if with_chart
            else None
        )
        if chart is not None:
            comparison_data.update(
                chart_svg=chart.svg,
                chart_alt=chart.alt,
                chart_caption=(
                    f"{chart.row.category_name} per 1,000 population: {comparison.force.name} "
                    "against its group; forces in the worst 10% nationally are hatched and marked."
                ),
            )
    reports = list(
        reports_with_plans(
            meeting.exception_reports.filter(status=ExceptionReport.Status.ACCEPTED).order_by(
                "position", "id"
            )
        )
    )
    spells = red_spells(reports)
    report_data = []
    for report in reports:
        if report.item is not None and report.item.is_restricted:
            # Discussed in closed session: the note shows that it was considered, nothing more.
            report_data.append(
                {
                    "category": report.category_name,
                    "concern": f"Considered in closed session ({report.item.exemption}).",
                }
            )
            continue
        figures = report.figures or {}
        report_data.append(
            {
                "category": report.category_name,
                "history": red_history(report, spells),
                "figures": [
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
                ],
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
            }
        )
    return {"comparison": comparison_data, "exception_reports": report_data}

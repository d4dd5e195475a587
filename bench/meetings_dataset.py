"""Meetings for the page and PDF benchmarks, made with bulk inserts in a few seconds.

A series of scrutiny meetings every four weeks up to a few weeks ahead: the past ones signed
and published with their stored PDF, the latest two still a draft and submitted, the coming
ones a draft agenda. Each has 10–20 attendees, 6–12 items with a narrative (sentences of the
reference note, in Markdown) and decisions, a frozen comparison (the real one for the year
before it), exception reports on its red categories with action plans and aims, and actions
owned by one or two people. The text is random but seeded: every run builds the same data.

Rows go in with ``bulk_create``, bypassing the services (and so the audit trail and history
rows they write), which is what makes 200 meetings take seconds rather than minutes.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from bench import environment

LONDON = ZoneInfo("Europe/London")
SERIES_TITLE = "Strategic Scrutiny Meeting"

ITEM_TITLES = [
    "Constabulary Performance",
    "Frontline Policing",
    "Protecting Vulnerable People",
    "Tackling Crime and Re-offending",
    "Strategic Policing Requirement",
    "Resources and Value for Money",
    "Road Safety",
    "Domestic Abuse",
    "Child Sexual Exploitation",
    "Rural Crime",
    "Anti-social Behaviour",
    "Victims' Services",
    "Custody and Detention",
    "Complaints and Professional Standards",
    "Workforce and Wellbeing",
    "Estates and Technology",
    "Community Safety Partnerships",
    "Youth Justice",
]
ROLES = [
    "Police and Crime Commissioner",
    "Deputy Police and Crime Commissioner",
    "Assistant Police and Crime Commissioner",
    "Chief Executive, Office of Police and Crime Commissioner",
    "Chief Constable, Lancashire Constabulary",
    "Deputy Chief Constable, Lancashire Constabulary",
    "Superintendent, Lancashire Constabulary",
    "Chief Inspector, Lancashire Constabulary",
    "Head of Corporate Development, Lancashire Constabulary",
    "Policy and Performance Officer, Office of Police and Crime Commissioner",
    "Chief Finance Officer, Office of Police and Crime Commissioner",
    "Administrative Assistant, Office of Police and Crime Commissioner",
]
FIRST_NAMES = ["Clive", "Ibby", "Bruce", "Amanda", "Miranda", "Steve", "Paul", "Larry", "Bev"]
FIRST_NAMES += ["Andy", "Sarah", "Chris", "Helen", "Martin", "Ruth", "Tim", "Julie", "Ian"]
SURNAMES = ["Grunshaw", "Master", "Jassi", "Webster", "Carruthers-Watt", "Finnigan", "Wilson"]
SURNAMES += ["Weir", "Wood", "Southworth", "Rhodes", "Ashton", "Bradley", "Cooper", "Hughes"]
OPERATIONS = ["Vanquish", "Julius", "Nightjar", "Defender", "Sentinel", "Harbour", "Keystone"]
RESOLUTIONS = [
    "RESOLVED: That the report be noted.",
    "RESOLVED: That the Chief Constable report back to the next meeting on progress.",
    "RESOLVED: That the Commissioner's Working Group examine the figures in detail.",
    "RESOLVED: That the action plan be endorsed and its aims monitored quarterly.",
]


def _sentences() -> list[str]:
    from meetings.demo import NARRATIVE

    text = " ".join(line.strip() for line in NARRATIVE.splitlines() if line.strip())
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) >= 6]


@dataclass(frozen=True)
class Shape:
    """How much one meeting holds."""

    people: int
    items: int
    decisions: int  # per item
    reports: int
    plans: int  # per accepted report
    aims: int  # per plan
    actions: int
    paragraphs: int = 4  # per item narrative


SMALL = Shape(people=1, items=1, decisions=1, reports=1, plans=1, aims=1, actions=1)
LARGE = Shape(people=20, items=12, decisions=3, reports=5, plans=2, aims=4, actions=6)
# About 60 pages of A4 once rendered (the benchmark prints the exact count).
LONG_NOTE = Shape(
    people=20, items=49, decisions=3, reports=5, plans=2, aims=4, actions=6, paragraphs=12
)


@dataclass
class MeetingsDataset:
    count: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    small_draft: int | None = None
    large_draft: int | None = None
    small_published: int | None = None
    large_published: int | None = None


class MeetingsBuilder:
    """Builds meetings in bulk; the comparisons they freeze are computed once per year."""

    def __init__(self, *, seed: int = 2013) -> None:
        from meetings.models import Person

        self.random = random.Random(seed)
        self.sentences = _sentences()
        self.people = list(Person.objects.all())
        names = {person.name for person in self.people}
        wanted = [f"{first} {last}" for last in SURNAMES for first in FIRST_NAMES[:4]]
        Person.objects.bulk_create(
            Person(name=name, usual_role=self.random.choice(ROLES))
            for name in wanted
            if name not in names
        )
        self.people = list(Person.objects.all())
        self.comparisons: dict[int, dict] = {}
        from meetings.models import Action

        self.next_action = (
            Action.objects.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        self.dataset = MeetingsDataset()

    # Text ---------------------------------------------------------------------------------

    def paragraph(self, sentences: int = 3) -> str:
        return " ".join(self.random.sample(self.sentences, sentences))

    def narrative(self, paragraphs: int) -> str:
        parts = []
        for index in range(paragraphs):
            if index == 2:
                parts.append("### " + self.random.choice(ITEM_TITLES))
            if index == 3:
                parts.append(
                    "\n".join(f"{n}. {self.random.choice(self.sentences)}" for n in range(1, 4))
                )
            else:
                parts.append(self.paragraph(self.random.randint(2, 4)))
        return "\n\n".join(parts)

    def item_titles(self, count: int) -> list[str]:
        titles = self.random.sample(ITEM_TITLES, len(ITEM_TITLES))
        return [
            titles[i % len(titles)] + (f" ({i // len(titles) + 1})" if i >= len(titles) else "")
            for i in range(count)
        ]

    # Comparisons --------------------------------------------------------------------------

    def comparison_for(self, start: dt.datetime) -> dict | None:
        """The home force's frozen comparison for the year ending the March before ``start``
        (within the data), computed once per year."""
        from performance.periods import Period
        from performance.selectors.comparison import comparison_build
        from performance.selectors.reference import home_force

        year = start.year if start.month > 3 else start.year - 1
        year = max(2009, min(year, 2023))
        if year not in self.comparisons:
            force = home_force()
            comparison = comparison_build(force=force, period=Period.parse(f"{year}-03"))
            self.comparisons[year] = {
                "period": comparison.period.key,
                "force_code": force.code,
                "data": comparison.to_dict(),
                "red": [(row.category_slug, row.category_name) for row in comparison.red_rows],
                "rows": {row.category_slug: row for row in comparison.rows if row.is_complete},
            }
        return self.comparisons[year]

    # Meetings -----------------------------------------------------------------------------

    def build_series(self, *, count: int = 200, upcoming: int = 5) -> MeetingsDataset:
        """``count`` meetings every four weeks, the last ``upcoming`` of them still to come."""
        from meetings.models import Meeting

        now = dt.datetime.now(LONDON).replace(hour=14, minute=0, second=0, microsecond=0)
        starts = [now + dt.timedelta(weeks=4 * (i - (count - upcoming)) + 1) for i in range(count)]
        past = [s for s in starts if s < now]
        specs = []
        for start in starts:
            if start > now:
                status, shape = Meeting.Status.DRAFT, self.random_shape(agenda_only=True)
            elif start == past[-1]:
                status, shape = Meeting.Status.DRAFT, LARGE
            elif start == past[-2]:
                status, shape = Meeting.Status.SUBMITTED, self.random_shape()
            elif start == past[-3]:
                status, shape = Meeting.Status.PUBLISHED, LARGE
            else:
                status, shape = Meeting.Status.PUBLISHED, self.random_shape()
            specs.append((start, status, shape))
        meetings = self.build(specs)
        self.dataset.large_draft = meetings[starts.index(past[-1])].pk
        self.dataset.large_published = meetings[starts.index(past[-3])].pk
        return self.dataset

    def build_older(self, *, count: int) -> MeetingsDataset:
        """``count`` more published meetings, weekly, before every meeting built so far, for
        the growth figures: as many attendees, items and actions as the others, but no
        exception reports (so no frozen comparison: 1,800 more of those would hold 600 MB of
        JSON). The pages' newest entries stay the same."""
        from dataclasses import replace

        from meetings.models import Meeting

        first = Meeting.objects.order_by("start").values_list("start", flat=True).first()
        specs = [
            (
                first - dt.timedelta(weeks=n + 1),
                Meeting.Status.PUBLISHED,
                replace(self.random_shape(), reports=0),
            )
            for n in range(count)
        ]
        self.build(specs)
        return self.dataset

    def build_small(self) -> MeetingsDataset:
        """A one-attendee, one-item meeting, as a draft and published, for query counts."""
        from meetings.models import Meeting

        start = dt.datetime(2014, 2, 3, 10, 0, tzinfo=LONDON)
        draft, published = self.build(
            [
                (start, Meeting.Status.DRAFT, SMALL),
                (start + dt.timedelta(days=1), Meeting.Status.PUBLISHED, SMALL),
            ]
        )
        self.dataset.small_draft, self.dataset.small_published = draft.pk, published.pk
        return self.dataset

    def random_shape(self, *, agenda_only: bool = False) -> Shape:
        r = self.random
        if agenda_only:
            return Shape(
                people=r.randint(10, 20),
                items=r.randint(6, 12),
                decisions=0,
                reports=0,
                plans=0,
                aims=0,
                actions=0,
                paragraphs=0,
            )
        return Shape(
            people=r.randint(10, 20),
            items=r.randint(6, 12),
            decisions=r.randint(0, 2),
            reports=r.randint(1, 5),
            plans=r.randint(0, 2),
            aims=r.randint(1, 4),
            actions=r.randint(1, 6),
            paragraphs=r.randint(2, 6),
        )

    def build(self, specs: list[tuple[dt.datetime, str, Shape]]) -> list:
        """Meetings of the given start, status and shape, with everything they hold."""
        from django.db import transaction

        from meetings.models import Body, Meeting

        with transaction.atomic():
            body = Body.objects.filter(name__iexact=SERIES_TITLE).first()
            body = body or Body.objects.create(name=SERIES_TITLE)
            meetings = Meeting.objects.bulk_create(
                Meeting(
                    body=body,
                    title=SERIES_TITLE,
                    start=start,
                    end=start + dt.timedelta(hours=2),
                    venue="Cabinet Room B, County Hall, Preston",
                )
                for start, _, _ in specs
            )
            statuses = [status for _, status, _ in specs]
            self._fill(meetings, [shape for _, _, shape in specs], statuses)
            self._set_statuses(meetings, statuses)
        environment.analyze()
        self.dataset.count += len(meetings)
        return meetings

    def _count(self, name: str, rows: list) -> list:
        self.dataset.rows[name] = self.dataset.rows.get(name, 0) + len(rows)
        return rows

    def _fill(self, meetings: list, shapes: list[Shape], statuses: list[str]) -> None:
        from meetings.models import (
            FROZEN_STATUSES,
            Action,
            ActionPlan,
            AgendaItem,
            Aim,
            Attendance,
            Decision,
            ExceptionReport,
            FrozenComparison,
            FrozenReds,
        )
        from meetings.selectors.exception_reports import red_spells
        from meetings.services.exception_reports import _row_figures  # the shape the services store

        r = self.random
        attendances, items, comparisons, reports, actions = [], [], [], [], []
        for meeting, shape, status in zip(meetings, shapes, statuses, strict=True):
            signed = status in FROZEN_STATUSES  # signing keeps the names as printed
            people = r.sample(self.people, shape.people)
            for position, person in enumerate(people, start=1):
                kind = (
                    Attendance.Kind.PRESENT
                    if position <= max(1, shape.people * 2 // 3)
                    else r.choice([Attendance.Kind.IN_ATTENDANCE, Attendance.Kind.APOLOGIES])
                )
                attendances.append(
                    Attendance(
                        meeting=meeting,
                        person=person,
                        kind=kind,
                        role=person.usual_role,
                        is_chair=position == 1,
                        is_note_taker=position == 2 and kind != Attendance.Kind.APOLOGIES,
                        position=position,
                        signed_name=person.name if signed else "",
                    )
                )
            for position, title in enumerate(self.item_titles(shape.items), start=1):
                restricted = shape.paragraphs > 0 and r.random() < 0.1
                items.append(
                    AgendaItem(
                        meeting=meeting,
                        position=position,
                        title=title,
                        narrative=self.narrative(shape.paragraphs),
                        assurance_statement=self.paragraph(2)
                        if shape.paragraphs and r.random() < 0.3
                        else "",
                        is_restricted=restricted,
                        exemption="s.40 personal information" if restricted else "",
                    )
                )
            if shape.reports:
                frozen = self.comparison_for(meeting.start)
                comparisons.append(
                    FrozenComparison(
                        meeting=meeting,
                        requested_period=frozen["period"],
                        period=frozen["period"],
                        force_code=frozen["force_code"],
                        data=frozen["data"],
                        red_slugs=[slug for slug, _ in frozen["red"]],
                    )
                )
                others = [
                    (slug, row.category_name)
                    for slug, row in frozen["rows"].items()
                    if (slug, row.category_name) not in frozen["red"]
                ]
                chosen = (frozen["red"] + r.sample(others, len(others)))[: shape.reports]
                for position, (slug, name) in enumerate(chosen, start=1):
                    row = frozen["rows"].get(slug)
                    dismissed = shape is not LARGE and shape is not SMALL and r.random() < 0.15
                    reports.append(
                        ExceptionReport(
                            meeting=meeting,
                            category_slug=slug,
                            category_name=name,
                            status=ExceptionReport.Status.DISMISSED
                            if dismissed
                            else ExceptionReport.Status.ACCEPTED,
                            dismissal_reason=self.paragraph(1) if dismissed else "",
                            is_red=bool(row and row.is_red),
                            figures=_row_figures(row),
                            concern=self.paragraph(2),
                            explanation=self.paragraph(3),
                            position=position,
                        )
                    )
            for _ in range(shape.actions):
                actions.append(
                    Action(
                        body_id=meeting.body_id,
                        number=self.next_action,
                        raised_at=meeting,
                        description=self.paragraph(1),
                        due=(meeting.start + dt.timedelta(weeks=8)).date(),
                        status=r.choice(list(Action.Status.values)),
                        closed_on=(meeting.start + dt.timedelta(weeks=6)).date(),
                    )
                )
                self.next_action += 1
        for action in actions:
            if action.status != Action.Status.CLOSED:
                action.closed_on = None
        Attendance.objects.bulk_create(self._count("attendances", attendances))
        AgendaItem.objects.bulk_create(self._count("items", items))
        FrozenComparison.objects.bulk_create(self._count("frozen comparisons", comparisons))
        FrozenReds.objects.bulk_create(  # as the services write them with each comparison
            FrozenReds(comparison=frozen, meeting_id=frozen.meeting_id, slugs=frozen.red_slugs)
            for frozen in comparisons
        )
        shape_of = {meeting.pk: shape for meeting, shape in zip(meetings, shapes, strict=True)}
        by_meeting: dict[int, list] = {}
        for item in items:
            by_meeting.setdefault(item.meeting_id, []).append(item)
        decisions = [
            Decision(item=item, position=position, text=r.choice(RESOLUTIONS))
            for item in items
            if not item.is_restricted
            for position in range(1, shape_of[item.meeting_id].decisions + 1)
        ]
        Decision.objects.bulk_create(self._count("decisions", decisions))
        for report in reports:
            report.item = r.choice(by_meeting[report.meeting_id])
        ExceptionReport.objects.bulk_create(self._count("exception reports", reports))
        # Signing keeps each report's "red since" sentence as it stood; so do signed notes here.
        frozen_ids = {
            meeting.pk
            for meeting, status in zip(meetings, statuses, strict=True)
            if status in FROZEN_STATUSES
        }
        signed_reports = [report for report in reports if report.meeting_id in frozen_ids]
        spells = red_spells(signed_reports)
        for report in signed_reports:
            spell = spells.get(report.pk)
            report.red_history = spell.sentence if spell else ""
        ExceptionReport.objects.bulk_update(signed_reports, ["red_history"], batch_size=500)
        plans = [
            ActionPlan(
                report=report,
                name=f"Operation {r.choice(OPERATIONS)}",
                owner="Lancashire Constabulary",
                summary=self.paragraph(2),
                position=position,
            )
            for report in reports
            if report.status == ExceptionReport.Status.ACCEPTED
            for position in range(1, shape_of[report.meeting_id].plans + 1)
        ]
        ActionPlan.objects.bulk_create(self._count("action plans", plans))
        aims = [
            Aim(plan=plan, position=position, text=self.paragraph(1))
            for plan in plans
            for position in range(1, shape_of[plan.report.meeting_id].aims + 1)
        ]
        Aim.objects.bulk_create(self._count("aims", aims))
        for action in actions:
            action.item = r.choice(by_meeting[action.raised_at_id])
        Action.objects.bulk_create(self._count("actions", actions))
        owners = [
            Action.owners.through(action_id=action.pk, person_id=person.pk, position=position)
            for action in actions
            for position, person in enumerate(r.sample(self.people, r.randint(1, 2)), start=1)
        ]
        Action.owners.through.objects.bulk_create(self._count("action owners", owners))

    def _set_statuses(self, meetings: list, statuses: list[str]) -> None:
        """Sign and publish: the published notes share the stored PDF of the reference note."""
        from meetings.models import Meeting
        from meetings.selectors.note import note_search_text

        reference = Meeting.objects.exclude(pdf="").order_by("id").first()
        for meeting, status in zip(meetings, statuses, strict=True):
            if status == Meeting.Status.PUBLISHED:  # what publishing writes, while still a draft
                text = note_search_text(meeting)
                Meeting.objects.filter(pk=meeting.pk).update(search_text=text)
        for status in (Meeting.Status.SUBMITTED, Meeting.Status.PUBLISHED):
            ids = [m.pk for m, s in zip(meetings, statuses, strict=True) if s == status]
            if not ids:
                continue
            fields: dict = {"status": status}
            if status == Meeting.Status.PUBLISHED:
                fields.update(
                    signatory_name="Miranda Carruthers-Watt",
                    signatory_title="Chief Executive",
                    signed_at=dt.datetime(2024, 1, 5, 12, 0, tzinfo=LONDON),
                    published_at=dt.datetime(2024, 1, 6, 9, 0, tzinfo=LONDON),
                    pdf=reference.pdf.name if reference else "",
                    pdf_sha256=reference.pdf_sha256 if reference else "",
                )
            Meeting.objects.filter(pk__in=ids).update(**fields)

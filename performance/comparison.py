"""The result of a comparison, as plain frozen data that survives a round trip through JSON.

A meeting freezes the comparison it considered: ``Comparison.to_dict()`` gives JSON-ready
data (counts, populations, the group, the rule) and ``Comparison.from_dict()`` reads it back,
so data revised later never changes a signed note.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import Any, NamedTuple

from .periods import Period
from .significance import Significance

SCHEMA_VERSION = 1


class RowStatus:
    COMPLETE = "complete"
    INCOMPLETE = "incomplete"


@dataclass(frozen=True)
class ForceRef:
    code: str
    name: str


@dataclass(frozen=True)
class PeerGroupInfo:
    """The group a force was compared with, and where the group came from."""

    members: tuple[ForceRef, ...]
    source: str
    valid_from: dt.date
    is_computed: bool
    method: str = ""
    applies_before_valid_from: bool = False

    @property
    def label(self) -> str:
        if self.is_computed:
            return "Computed peer group (not a Home Office most similar group)"
        return "Most similar group"

    @property
    def heading(self) -> str:
        """What to call the group in a heading: the official words only for an imported group."""
        return "Computed peer group" if self.is_computed else "Most similar group"

    @property
    def explanation(self) -> str:
        """One sentence on where the group came from, for pages, PDF, CSV and JSON alike."""
        valid_from = f"{self.valid_from.day} {self.valid_from:%B %Y}"
        if not self.is_computed:
            return f"As published by {self.source}, valid from {valid_from}."
        before = self.valid_from - dt.timedelta(days=1)
        return (
            f"Chosen by the portal, not published: the {len(self.members)} forces nearest by "
            "crime profile (rates per 1,000 for each offence subgroup, standardised across "
            f"forces) over the 12 months ending {before:%B %Y}, valid from {valid_from}."
        )


@dataclass(frozen=True)
class ComparisonRule:
    """The rules a comparison applied; frozen with it so a signed note says how it was made."""

    red_threshold: float
    red_direction: str  # "higher": a higher rate is worse; "lower": a lower rate is worse
    red_excluded_forces: tuple[str, ...]
    group_includes_force: bool
    red_excluded_force_names: tuple[str, ...] = ()
    confidence_level: float = 0.95
    significance_method: str = (
        "Byar's approximation to the exact 95% Poisson interval for the force's count; "
        "significant when the group's rate lies outside the interval"
    )
    population_rule: str = (
        "mid-year population of the year in which the period ends, or the latest earlier "
        "year available"
    )

    @property
    def red_description(self) -> str:
        share = f"{self.red_threshold:.0%}"
        worse = "highest" if self.red_direction == "higher" else "lowest"
        text = f"Red: in the worst {share} of forces nationally ({worse} rates)"
        excluded = self.red_excluded_force_names or self.red_excluded_forces
        if excluded:
            text += ", not ranking " + ", ".join(excluded)
        return text + "."


class ForceFigure(NamedTuple):
    """One force's figures for one category (a named tuple: a comparison holds thousands)."""

    code: str
    name: str
    count: int | None
    population: int | None
    rate: float | None
    national_rank: int | None
    is_red: bool
    in_group: bool
    is_excluded: bool


@dataclass(frozen=True)
class ComparisonRow:
    """The force against its group and all forces, for one category."""

    category_slug: str
    category_name: str
    category_kind: str
    parent_slug: str
    source: str
    source_slug: str
    status: str
    status_note: str
    count: int | None = None
    population: int | None = None
    rate: float | None = None
    ci_lower: float | None = None
    ci_upper: float | None = None
    previous_count: int | None = None
    previous_rate: float | None = None
    change: int | None = None
    change_percent: float | None = None
    group_count: int | None = None
    group_population: int | None = None
    group_rate: float | None = None
    group_note: str = ""
    rank_in_group: int | None = None
    group_size: int | None = None
    national_rank: int | None = None
    national_size: int | None = None
    national_note: str = ""
    red_cutoff_rank: int | None = None
    red_from_rate: float | None = None  # the rate of the last force inside the worst group
    is_red: bool = False
    significance: str | None = None
    forces: tuple[ForceFigure, ...] = ()
    # Like for like: False when the 12 months, or the change on the previous 12 months, span
    # a change in what the category counts; ``definition_change`` says what changed (it is
    # also set when the previous figure was recomputed on the current definition, which
    # ``previous_basis`` then says).
    like_for_like: bool = True
    definition_change: str = ""
    previous_basis: str = ""
    # Figures forces do not record alike (force-recorded fraud): never ranked nor red.
    is_comparable: bool = True
    comparability_note: str = ""

    @property
    def is_complete(self) -> bool:
        return self.status == RowStatus.COMPLETE

    @property
    def significance_label(self) -> str:
        return Significance.LABELS.get(self.significance or "", "")

    @property
    def note(self) -> str:
        """The one sentence a reader needs beside the row's figures, or ""."""
        if not self.is_comparable:
            return self.comparability_note
        return self.like_for_like_label

    @property
    def like_for_like_label(self) -> str:
        """ "" when like for like and nothing was recomputed; otherwise words for a reader."""
        if not self.like_for_like:
            return "Not like for like: " + self.definition_change
        if self.previous_basis:
            return f"Previous 12 months {self.previous_basis}: {self.definition_change}"
        return ""


@dataclass(frozen=True)
class Comparison:
    """A force against its most similar group and all forces, every category, one period."""

    force: ForceRef
    period: Period
    population_year: int | None
    population_year_note: str
    population_source: str
    population_vintage: str
    group: PeerGroupInfo | None
    rule: ComparisonRule
    rows: tuple[ComparisonRow, ...]
    nearest_complete_period: Period | None = None
    generated_at: str = field(default_factory=lambda: dt.datetime.now(dt.UTC).isoformat())

    @property
    def is_complete(self) -> bool:
        """Every category's figures cover the whole period for the force."""
        return bool(self.rows) and all(row.is_complete for row in self.rows)

    @property
    def has_complete_rows(self) -> bool:
        return any(row.is_complete for row in self.rows)

    @property
    def red_rows(self) -> tuple[ComparisonRow, ...]:
        """The red categories (never one not comparable between forces)."""
        return tuple(row for row in self.rows if row.is_red and row.is_comparable)

    @property
    def notes(self) -> tuple[str, ...]:
        """Each distinct row note (like for like, comparability), once, in row order."""
        return tuple(dict.fromkeys(row.note for row in self.rows if row.note))

    @property
    def rows_with_notes(self) -> tuple[tuple[ComparisonRow, int | None], ...]:
        """Each row with the number (from 1) of its note in ``notes``, for footnotes."""
        numbers = {note: n for n, note in enumerate(self.notes, start=1)}
        return tuple((row, numbers.get(row.note)) for row in self.rows)

    def row(self, slug: str) -> ComparisonRow | None:
        return next((row for row in self.rows if row.category_slug == slug), None)

    # Serialisation ------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data: only str, int, float, bool, None, lists and dicts."""
        return {
            "schema": SCHEMA_VERSION,
            "force": _plain(self.force),
            "period": _period_dict(self.period),
            "population_year": self.population_year,
            "population_year_note": self.population_year_note,
            "population_source": self.population_source,
            "population_vintage": self.population_vintage,
            "group": None
            if self.group is None
            else {
                **_plain(self.group),
                "members": [_plain(member) for member in self.group.members],
                "valid_from": self.group.valid_from.isoformat(),
                "label": self.group.label,
                "heading": self.group.heading,
                "explanation": self.group.explanation,
            },
            "rule": {
                **_plain(self.rule),
                "red_excluded_forces": list(self.rule.red_excluded_forces),
            },
            "rows": [
                {**_plain(row), "forces": [figure._asdict() for figure in row.forces]}
                for row in self.rows
            ],
            "nearest_complete_period": None
            if self.nearest_complete_period is None
            else _period_dict(self.nearest_complete_period),
            "generated_at": self.generated_at,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Comparison:
        if data.get("schema") != SCHEMA_VERSION:
            raise ValueError(f"unknown comparison schema {data.get('schema')!r}")
        group = data["group"]
        nearest = data["nearest_complete_period"]
        return cls(
            force=ForceRef(**data["force"]),
            period=Period.parse(data["period"]["end"]),
            population_year=data["population_year"],
            population_year_note=data["population_year_note"],
            population_source=data["population_source"],
            population_vintage=data["population_vintage"],
            group=None
            if group is None
            else PeerGroupInfo(
                **{
                    **_known(PeerGroupInfo, group),
                    "members": tuple(ForceRef(**member) for member in group["members"]),
                    "valid_from": dt.date.fromisoformat(group["valid_from"]),
                }
            ),
            rule=ComparisonRule(
                **{
                    **_known(ComparisonRule, data["rule"]),
                    "red_excluded_forces": tuple(data["rule"]["red_excluded_forces"]),
                    "red_excluded_force_names": tuple(
                        data["rule"].get("red_excluded_force_names", ())
                    ),
                }
            ),
            rows=tuple(
                ComparisonRow(
                    **{
                        **_known(ComparisonRow, row),
                        "forces": tuple(ForceFigure(**figure) for figure in row["forces"]),
                    }
                )
                for row in data["rows"]
            ),
            nearest_complete_period=None if nearest is None else Period.parse(nearest["end"]),
            generated_at=data["generated_at"],
        )


def _plain(obj: Any) -> dict[str, Any]:
    """A dataclass's own fields (not nested ones, which callers convert)."""
    return {f.name: getattr(obj, f.name) for f in fields(obj)}


def _known(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    return {key: value for key, value in data.items() if key in names}


def _period_dict(period: Period) -> dict[str, str]:
    return {
        "end": period.key,
        "start_date": period.start.isoformat(),
        "end_date": period.end.isoformat(),
        "label": period.label,
    }

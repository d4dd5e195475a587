"""Mid-year population by police force area.

Two layouts are read: one row per force and year (``pfa_code,pfa_name,year,population``, as
shipped in ``performance/data``), or one row per force with a column per year ("Mid-2011",
"Mid-2012" …, as ONS tables lay them out). A force is given by ONS code or name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from ..lookups import ForceLookup
from ..models import Population, Release
from .base import (
    ImportFile,
    ImportRejected,
    Problems,
    expand,
    files_sha256,
    import_turn,
    integer_range,
    max_length,
    option_problems,
    parse_count,
    parse_stored_count,
    read_csv,
    rows_iter,
)
from .sources import data_source, data_source_held, release_create

SOURCE = "ons-population"
FORCE_KEYS = ("pfa_code", "code", "area_code", "pfa_name", "force", "name")
_YEAR_COLUMN = re.compile(r"^(?:mid_)?(\d{4})$")
POPULATION_RANGE = integer_range(Population, "population")
VINTAGE_LENGTH = max_length(Population, "vintage")

__all__ = [
    "ImportRejected",
    "PopulationPlan",
    "population_import",
    "population_plan",
    "population_read",
]


@dataclass
class PopulationPlan:
    figures: dict[tuple[int, int], int]  # (force id, year) → population
    vintage: str
    files: list[ImportFile]
    to_add: list[tuple[int, int]]
    to_change: list[tuple[int, int, int]]  # (row id, old, new population) incl. a new vintage
    unchanged: int

    @property
    def has_changes(self) -> bool:
        return bool(self.to_add or self.to_change)

    @property
    def summary(self) -> dict:
        years = [year for _, year in self.figures]
        return {
            "figures": len(self.figures),
            "added": len(self.to_add),
            "changed": len(self.to_change),
            "changed_figures": sum(1 for _, old, new in self.to_change if old != new),
            "unchanged": self.unchanged,
            "forces": len({force for force, _ in self.figures}),
            "first_year": min(years),
            "last_year": max(years),
            "vintage": self.vintage,
        }

    def describe(self) -> str:
        s = self.summary
        return (
            f"{s['figures']} populations for {s['forces']} force(s), mid-{s['first_year']} to "
            f"mid-{s['last_year']} ({s['vintage']}): {s['added']} new, {s['changed']} replaced "
            f"({s['changed_figures']} with a different figure), {s['unchanged']} unchanged."
        )


def population_read(files: Sequence[ImportFile]) -> dict[tuple[int, int], int]:
    """The population of each (force id, year) the files give; ImportRejected if any is bad."""
    problems = Problems()
    forces = ForceLookup()
    figures: dict[tuple[int, int], int] = {}
    seen: dict[tuple[int, int], int] = {}

    def add(row, force_id: int, year: int, key: str) -> None:
        try:
            population = parse_stored_count(row[key], POPULATION_RANGE)
            if population <= 0:
                raise ValueError("a population must be more than 0")
        except ValueError as error:
            row.problem(key, str(error))
            return
        if (force_id, year) in seen:
            row.problem("", f"{year} is already given on line {seen[force_id, year]}", "")
            return
        seen[force_id, year] = row.line
        figures[force_id, year] = population

    for file in expand(files, problems):
        table = read_csv(file, problems)
        force_key = next((key for key in FORCE_KEYS if table.has(key)), None)
        year_columns = [key for key in table.columns if _YEAR_COLUMN.match(key)]
        long_layout = table.has("year", "population")
        if force_key is None or not (long_layout or year_columns):
            problems.add(
                line=1,
                column="",
                file=file.name,
                value=",".join(table.header),
                reason="not a population table: it needs a force code or name column and either "
                "year and population columns or a column per year (Mid-2011, …)",
            )
            continue
        keys = (force_key, "year", "population") if long_layout else (force_key, *year_columns)
        for row in rows_iter(table, keys, problems):
            force = forces.find(row[force_key]) if row[force_key] else None
            if force is None:
                row.problem(force_key, "unknown force" if row[force_key] else "missing force")
                continue
            if long_layout:
                try:
                    year = parse_count(row["year"])
                    if not 1900 <= year <= 2200:
                        raise ValueError("not a year")
                except ValueError as error:
                    row.problem("year", str(error))
                    continue
                add(row, force.pk, year, "population")
            else:
                for key in year_columns:
                    if row[key]:
                        add(row, force.pk, int(_YEAR_COLUMN.match(key).group(1)), key)
    if not problems and not figures:
        problems.add(line=None, column="", reason="the file holds no populations")
    problems.raise_if_any()
    return figures


def population_plan(
    *,
    files: Sequence[ImportFile],
    vintage: str,
    figures: dict[tuple[int, int], int] | None = None,
) -> PopulationPlan:
    """Compare the files' populations (``figures``, when already read) with those held (reads
    only)."""
    option_problems(vintage=(vintage, VINTAGE_LENGTH))
    if figures is None:
        figures = population_read(files)
    source = data_source_held(SOURCE)
    rows = Population.objects.filter(force_id__in={force for force, _ in figures}).values_list(
        "id", "force_id", "year", "population", "vintage", "source_id"
    )
    held = {(row[1], row[2]): (row[0], row[3], row[4], row[5]) for row in rows}
    to_add, to_change, unchanged = [], [], 0
    for key, population in figures.items():
        if key not in held:
            to_add.append(key)
            continue
        row_id, old, old_vintage, source_id = held[key]
        if (old, old_vintage, source_id) == (population, vintage, source.pk):
            unchanged += 1
        else:
            to_change.append((row_id, old, population))
    return PopulationPlan(figures, vintage, list(files), to_add, to_change, unchanged)


def population_apply(
    *, plan: PopulationPlan, user: AbstractBaseUser | None = None
) -> tuple[Release | None, str]:
    if not plan.has_changes:
        return None, plan.describe()
    return _population_write(plan, files_sha256(plan.files), user)


@transaction.atomic
def _population_write(
    plan: PopulationPlan, sha256: str, user: AbstractBaseUser | None
) -> tuple[Release, str]:
    source = data_source(SOURCE)
    release = release_create(
        source=source,
        label=plan.vintage,
        files=plan.files,
        sha256=sha256,
        user=user,
        summary=plan.summary,
    )
    changed_ids = [row_id for row_id, _, _ in plan.to_change]
    keys = plan.to_add + list(
        Population.objects.filter(pk__in=changed_ids).values_list("force_id", "year")
    )
    Population.objects.filter(pk__in=changed_ids).delete()
    Population.objects.bulk_create(
        Population(
            force_id=force_id,
            year=year,
            population=plan.figures[force_id, year],
            source=source,
            vintage=plan.vintage,
            release=release,
        )
        for force_id, year in keys
    )
    return release, plan.describe()


def population_import(
    *,
    files: Sequence[ImportFile],
    vintage: str,
    user: AbstractBaseUser | None = None,
    dry_run: bool = False,
) -> tuple[Release | None, str]:
    """Import populations; a file with any bad row imports nothing (ImportRejected)."""
    if not vintage.strip():
        raise ValueError("say which edition of the estimates this is (the vintage)")
    option_problems(vintage=(vintage.strip(), VINTAGE_LENGTH))
    figures = population_read(files)
    with import_turn():
        plan = population_plan(files=files, vintage=vintage.strip(), figures=figures)
        if dry_run:
            return None, plan.describe()
        return population_apply(plan=plan, user=user)

"""Crime counts from the Home Office PRC tables, police.uk files and a force's monthly extract.

Every format is read into the same shape: a count per (force, category, first month, last
month). ``crime_files_parse`` reads the files as streams (no transaction: a file of millions
of rows never holds up anyone else), ``crime_counts_plan`` compares the counts with the
figures held (reads only) and ``crime_counts_apply`` writes the changes in one short
transaction, recording a ``Release``. ``crime_counts_import`` does all three, taking its turn
with other imports for the last two.

Rules:
- a file with any bad row imports nothing; every problem is listed with line and column;
- unknown forces, offence codes and categories are problems, never skipped silently;
- within the forces, periods and categories a release covers, its figures replace the
  source's: changed figures are updated, figures it no longer has are removed, the rest
  is left alone, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.utils.text import slugify

from ..definitions import financial_year_of
from ..lookups import (
    AmbiguousName,
    CategoryLookup,
    ForceLookup,
    OffenceCodeLookup,
    normalise_offence_code,
)
from ..models import (
    Category,
    CrimeCount,
    DataSource,
    Force,
    OffenceCodeCount,
    OffenceDefinition,
    Release,
)
from ..periods import (
    financial_quarter_months,
    month_end,
    month_label,
    month_start,
    parse_financial_year,
)
from .base import (
    CsvTable,
    ImportFile,
    ImportRejected,
    Problems,
    Row,
    cell,
    expand,
    figures_limit,
    files_sha256,
    import_turn,
    integer_range,
    max_length,
    option_problems,
    parse_count,
    parse_stored_count,
    read_csv,
    rows_iter,
    too_many_figures,
)
from .sources import FORMAT_SOURCES, data_source, data_source_held, release_create

FORMATS = tuple(FORMAT_SOURCES)
# Formats whose file gives every category of the source for each force and period it covers
# (a category it leaves out had no crimes). A force's extract may give only some categories.
COMPLETE_RELEASE_FORMATS = ("prc", "policeuk")

PRC_SUBGROUP_COLUMNS = (
    "financial_year",
    "financial_quarter",
    "offence_group",
    "offence_subgroup",
    "number_of_offences",
)
PRC_LONG_COLUMNS = (*PRC_SUBGROUP_COLUMNS, "force_name", "offence_code", "offence_description")
POLICE_UK_COLUMNS = ("month", "falls_within", "crime_type")
MONTHLY_COLUMNS = ("force", "month", "category", "count")
IGNORED_POLICE_UK_FILES = re.compile(r"(outcomes|stop-and-search)\.csv$", re.IGNORECASE)
# The (month, force, crime type) triples a police.uk file's rows name, each checked once: a
# real year names 7,224; a hostile file naming millions is checked row by row past this many.
POLICE_UK_TRIPLES_REMEMBERED = 100_000

# A category not yet known, planned to be created as force-defined: (name, defined-by force).
CategoryRef = int | str
Key = tuple[int, CategoryRef, int, int]  # (force id, category id or new name, first, last month)
CodeKey = tuple[int, int, str, int, int]  # (force id, subgroup id, offence code, first, last month)
DefinitionKey = tuple[int, int, str]  # (financial year, subgroup id, offence code)
CATEGORY_NAME_LENGTH = max_length(Category, "name")
COUNT_RANGE = integer_range(CrimeCount, "count")
RELEASE_LABEL_LENGTH = max_length(Release, "label")


@dataclass
class ParsedCrime:
    """What the files say, resolved to forces and categories, before comparing with the data."""

    format: str
    files: list[ImportFile]
    counts: dict[Key, int] = field(default_factory=dict)
    new_categories: dict[str, int] = field(default_factory=dict)  # name → defining force id
    new_category_names: dict[str, str] = field(default_factory=dict, repr=False)  # folded → name
    ignored_files: list[str] = field(default_factory=list)
    rows_read: int = 0
    # From the Home Office long format only: the figures by offence code, and which codes
    # each subgroup held in each financial year (with the code's description).
    code_counts: dict[CodeKey, int] = field(default_factory=dict)
    definitions: dict[DefinitionKey, str] = field(default_factory=dict)

    @property
    def file_name(self) -> str:
        return ", ".join(file.name for file in self.files)


def _month(text: str) -> int:
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError("not a month written YYYY-MM, e.g. 2013-10")
    return int(match.group(1)) * 12 + int(match.group(2)) - 1


class _Lookups:
    """The lookups an import needs, built once per import whatever the number of files."""

    def __init__(self) -> None:
        self.forces = ForceLookup()
        self.categories = CategoryLookup()
        self._codes: OffenceCodeLookup | None = None

    @property
    def codes(self) -> OffenceCodeLookup:
        if self._codes is None:
            self._codes = OffenceCodeLookup()
        return self._codes

    def force(self, row: Row, key: str) -> Force | None:
        if not row[key]:
            row.problem(key, "missing force")
            return None
        force = self.forces.find(row[key])
        if force is None:
            row.problem(key, "unknown force")
        return force

    def category(self, row: Row, key: str, kinds: tuple[str, ...], what: str) -> Category | None:
        if not row[key]:
            row.problem(key, f"missing {what}")
            return None
        try:
            category = self.categories.find(row[key], kinds=kinds)
        except AmbiguousName as error:
            row.problem(key, str(error))
            return None
        if category is None:
            row.problem(key, f"unknown {what}")
        return category


def _missing_columns(table: CsvTable, keys, problems: Problems, what: str) -> bool:
    missing = [key for key in keys if key not in table.columns]
    if missing:
        problems.add(
            line=1,
            column="",
            file=table.file,
            value=",".join(table.header),
            reason=f"not {what}: missing column(s) " + ", ".join(missing),
        )
    return bool(missing)


def _quarter(row: Row) -> tuple[int, int] | None:
    """The first and last month of the row's financial year and quarter."""
    try:
        year = parse_financial_year(row["financial_year"])
    except ValueError as error:
        row.problem("financial_year", str(error))
        year = None
    try:
        quarter = parse_count(row["financial_quarter"])
        if year is not None:
            return financial_quarter_months(year, quarter)
    except ValueError as error:
        row.problem("financial_quarter", str(error))
    return None


def _parse_prc(table: CsvTable, parsed: ParsedCrime, problems: Problems, lookups: _Lookups) -> None:
    """Either Home Office layout: the long table by offence code, or totals by subgroup."""
    long_format = table.has("offence_code")
    required = PRC_LONG_COLUMNS if long_format else PRC_SUBGROUP_COLUMNS
    force_key = "pfa_code" if table.has("pfa_code") else "force_name"
    keys = (*required, force_key)
    if _missing_columns(table, keys, problems, "a Home Office police recorded crime table"):
        return
    seen: dict[tuple, int] = {}
    counts = parsed.counts
    limit = figures_limit()
    quarters: dict[tuple[str, str], tuple[int, int]] = {}
    for row in rows_iter(table, keys, problems):
        parsed.rows_read += 1
        months = quarters.get((row["financial_year"], row["financial_quarter"]))
        if months is None:
            months = _quarter(row)
            if months is not None:
                quarters[row["financial_year"], row["financial_quarter"]] = months
        force = lookups.force(row, force_key)
        subgroup = lookups.category(
            row, "offence_subgroup", (Category.Kind.SUBGROUP,), "offence subgroup"
        )
        if long_format:
            if not row["offence_code"]:
                row.problem("offence_code", "missing offence code")
            elif row["offence_code"] not in lookups.codes:
                row.problem("offence_code", "unknown offence code")
        try:
            count = parse_stored_count(row["number_of_offences"], COUNT_RANGE)
        except ValueError as error:
            row.problem("number_of_offences", str(error))
        if not row.ok:
            continue
        identity = (force.pk, months, subgroup.pk)
        if long_format:
            identity += (row["offence_code"], row["offence_description"].casefold())
        if identity in seen:
            row.problem("", f"the same figure is already given on line {seen[identity]}", "")
            continue
        seen[identity] = row.line
        if len(seen) > limit or len(counts) >= limit or len(parsed.code_counts) >= limit:
            raise too_many_figures(problems, file=table.file, line=row.line)
        key = (force.pk, subgroup.pk, months[0], months[1])
        counts[key] = counts.get(key, 0) + count
        if long_format:
            code = normalise_offence_code(row["offence_code"])
            code_key = (force.pk, subgroup.pk, code, months[0], months[1])
            parsed.code_counts[code_key] = parsed.code_counts.get(code_key, 0) + count
            definition = (financial_year_of(months[0]), subgroup.pk, code)
            description = row["offence_description"][:300]
            held = parsed.definitions.get(definition)
            if held is None or len(description) < len(held):
                parsed.definitions[definition] = description


def _parse_police_uk(
    table: CsvTable, parsed: ParsedCrime, problems: Problems, lookups: _Lookups
) -> None:
    """Street-level crimes, one row each, counted by force area, month and crime type.

    The rows of a year for every force run to millions but name a few thousand (month, force,
    crime type) triples: each triple is checked once, and every row naming it is counted, or
    reported with the triple's problems.
    """
    force_key = "falls_within" if table.has("falls_within") else "reported_by"
    keys = ("month", force_key, "crime_type")
    if not table.has(*keys) and IGNORED_POLICE_UK_FILES.search(table.file):
        parsed.ignored_files.append(table.file)
        return
    if _missing_columns(table, keys, problems, "a police.uk street-level crime file"):
        return
    positions = [table.columns[key] for key in keys]
    width = max(positions) + 1
    month_at, force_at, type_at = positions
    checked: dict[tuple[str, str, str], Key | list[tuple[str, str, str]]] = {}
    tally: dict[Key, int] = {}
    room = figures_limit() - len(parsed.counts)
    rows = 0
    for line, cells in table.rows:
        rows += 1
        if len(cells) >= width:
            triple = (cells[month_at], cells[force_at], cells[type_at])
        else:
            triple = (cell(cells, month_at), cell(cells, force_at), cell(cells, type_at))
        found = checked.get(triple)
        if found is None:
            found = _police_uk_key(triple, keys, lookups)
            if len(checked) < POLICE_UK_TRIPLES_REMEMBERED:
                checked[triple] = found
        if type(found) is tuple:
            count = tally.get(found)
            if count is None and len(tally) >= room and found not in parsed.counts:
                raise too_many_figures(problems, file=table.file, line=line)
            tally[found] = (count or 0) + 1
        else:
            for key, reason, value in found:
                problems.add(
                    line=line, column=table.name(key), reason=reason, value=value, file=table.file
                )
    parsed.rows_read += rows
    counts = parsed.counts
    for key, count in tally.items():
        counts[key] = counts.get(key, 0) + count


def _police_uk_key(
    triple: tuple[str, str, str], keys: tuple[str, str, str], lookups: _Lookups
) -> Key | list[tuple[str, str, str]]:
    """The count a (month, force, crime type) adds to, or its problems (column, reason, value)."""
    month_text, force_name, crime_type_name = (value.strip() for value in triple)
    month_key, force_key, type_key = keys
    problems: list[tuple[str, str, str]] = []
    try:
        month = _month(month_text)
    except ValueError as error:
        problems.append((month_key, str(error), month_text))
    force = lookups.forces.find(force_name) if force_name else None
    if force is None:
        problems.append((force_key, "unknown force" if force_name else "missing force", force_name))
    crime_type = None
    if not crime_type_name:
        problems.append((type_key, "missing police.uk crime type", ""))
    else:
        try:
            crime_type = lookups.categories.find(crime_type_name, kinds=(Category.Kind.POLICE_UK,))
        except AmbiguousName as error:
            problems.append((type_key, str(error), crime_type_name))
        else:
            if crime_type is None:
                problems.append((type_key, "unknown police.uk crime type", crime_type_name))
    if problems:
        return [(key, reason, value[:100]) for key, reason, value in problems]
    return (force.pk, crime_type.pk, month, month)


# New force-defined categories one import may create (a force's extract adds a few).
MAX_NEW_CATEGORIES = 1000
MONTHLY_KINDS = (Category.Kind.FORCE_DEFINED, Category.Kind.SUBGROUP, Category.Kind.POLICE_UK)
DERIVED_KINDS = (Category.Kind.GROUP, Category.Kind.COMBINATION)


def _monthly_category(
    row: Row, lookups: _Lookups, parsed: ParsedCrime, create_categories: bool
) -> CategoryRef | None:
    name = row["category"]
    if not name:
        row.problem("category", "missing category")
        return None
    categories = lookups.categories
    by_slug = categories.by_slug.get(name)
    try:
        category = by_slug or categories.find(name, kinds=MONTHLY_KINDS)
        derived = None if by_slug else categories.find(name, kinds=DERIVED_KINDS)
    except AmbiguousName as error:
        row.problem("category", str(error))
        return None
    if category is not None and derived is not None:
        row.problem(
            "category",
            f"names both {category.get_kind_display().lower()} {category.slug!r} and "
            f"{derived.get_kind_display().lower()} {derived.slug!r}: write the slug instead",
        )
        return None
    if derived is not None or (category is not None and category.is_derived):
        row.problem("category", "is a total of other categories; give the figures of its parts")
        return None
    if category is not None:
        return category.pk
    if not create_categories:
        row.problem(
            "category",
            "unknown category (add it as a force-defined category, or ask for new categories "
            "to be created)",
        )
        return None
    name = " ".join(name.split())
    if len(name) > CATEGORY_NAME_LENGTH:
        row.problem("category", f"longer than {CATEGORY_NAME_LENGTH} characters ({len(name)})")
        return None
    names = parsed.new_category_names
    folded = name.casefold()
    if folded not in names and len(names) >= MAX_NEW_CATEGORIES:
        row.problem("category", f"more than {MAX_NEW_CATEGORIES:,} new categories in one file")
        return None
    return names.setdefault(folded, name)  # the first spelling names the new category


def _parse_monthly(
    table: CsvTable,
    parsed: ParsedCrime,
    problems: Problems,
    lookups: _Lookups,
    *,
    create_categories: bool,
) -> None:
    """The portal's own format for a force's extract: force, month, category, count."""
    if _missing_columns(table, MONTHLY_COLUMNS, problems, "a force monthly extract"):
        return
    seen: dict[tuple, int] = {}
    counts = parsed.counts
    limit = figures_limit()
    for row in rows_iter(table, MONTHLY_COLUMNS, problems):
        parsed.rows_read += 1
        force = lookups.force(row, "force")
        try:
            month = _month(row["month"])
        except ValueError as error:
            row.problem("month", str(error))
        category_ref = _monthly_category(row, lookups, parsed, create_categories)
        try:
            count = parse_stored_count(row["count"], COUNT_RANGE)
        except ValueError as error:
            row.problem("count", str(error))
        if not row.ok:
            continue
        identity = (force.pk, category_ref, month)
        if identity in seen:
            row.problem("", f"the same figure is already given on line {seen[identity]}", "")
            continue
        seen[identity] = row.line
        if len(counts) >= limit:
            raise too_many_figures(problems, file=table.file, line=row.line)
        if isinstance(category_ref, str):
            parsed.new_categories.setdefault(category_ref, force.pk)
        counts[(force.pk, category_ref, month, month)] = count


def crime_files_parse(
    *, format: str, files: Sequence[ImportFile], create_categories: bool = False
) -> ParsedCrime:
    """Read ``files`` in ``format``; raises ImportRejected listing every problem found."""
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; expected one of {', '.join(FORMATS)}")
    parsed = ParsedCrime(format=format, files=list(files))
    problems = Problems()
    lookups = _Lookups()
    plain = 0
    for file in expand(files, problems):
        plain += 1
        table = read_csv(file, problems)
        if format == "prc":
            _parse_prc(table, parsed, problems, lookups)
        elif format == "policeuk":
            _parse_police_uk(table, parsed, problems, lookups)
        else:
            _parse_monthly(table, parsed, problems, lookups, create_categories=create_categories)
    if not plain:
        problems.add(line=None, column="", reason="no CSV file to import")
    low, high = COUNT_RANGE
    beyond = next((n for n in parsed.counts.values() if not low <= n <= high), None)
    if beyond is not None:
        problems.add(
            line=None,
            column="",
            reason=f"the rows for one force, category and period add up to {beyond:,}, "
            f"out of range: a figure must be from {low:,} to {high:,}",
        )
    if not problems and not parsed.counts:
        problems.add(line=None, column="", reason="the file holds no figures")
    problems.raise_if_any()
    return parsed


@dataclass(frozen=True)
class CrimeChange:
    """One figure the import adds, changes or removes, for the preview."""

    force: str
    category: str
    period: str
    old: int | None
    new: int | None


@dataclass
class CrimeImportPlan:
    """What applying a parsed file would change, computed without writing anything."""

    parsed: ParsedCrime
    source: DataSource
    to_add: list[Key]
    to_change: list[tuple[int, Key, int, int]]  # (row id, key, old, new)
    to_remove: list[tuple[int, Key, int]]  # (row id, key, old)
    unchanged: int
    forces: dict[int, Force]
    categories: dict[int, Category]
    # Figures by offence code (Home Office long format), replaced like the others.
    code_to_add: list[CodeKey] = field(default_factory=list)
    code_to_change: list[tuple[int, CodeKey, int, int]] = field(default_factory=list)
    code_to_remove: list[tuple[int, CodeKey, int]] = field(default_factory=list)
    definitions_to_add: list[DefinitionKey] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(
            self.to_add
            or self.to_change
            or self.to_remove
            or self.parsed.new_categories
            or self.code_to_add
            or self.code_to_change
            or self.code_to_remove
            or self.definitions_to_add
        )

    @property
    def summary(self) -> dict:
        months = [key[2] for key in self.parsed.counts] + [key[3] for key in self.parsed.counts]
        return {
            "format": self.parsed.format,
            "source": self.source.name,
            "rows_read": self.parsed.rows_read,
            "figures": len(self.parsed.counts),
            "added": len(self.to_add),
            "changed": len(self.to_change),
            "removed": len(self.to_remove),
            "unchanged": self.unchanged,
            "new_categories": sorted(self.parsed.new_categories),
            "forces": len({key[0] for key in self.parsed.counts}),
            "first_month": month_label(min(months)) if months else "",
            "last_month": month_label(max(months)) if months else "",
            "ignored_files": self.parsed.ignored_files,
            "code_figures": len(self.parsed.code_counts),
            "code_added": len(self.code_to_add),
            "code_changed": len(self.code_to_change),
            "code_removed": len(self.code_to_remove),
            "definitions_added": len(self.definitions_to_add),
        }

    def describe(self) -> str:
        summary = self.summary
        text = (
            f"{summary['figures']:,} figures for {summary['forces']} force(s), "
            f"{summary['first_month']} to {summary['last_month']}: "
            f"{summary['added']:,} new, {summary['changed']:,} changed, "
            f"{summary['removed']:,} removed, {summary['unchanged']:,} unchanged"
        )
        if summary["new_categories"]:
            text += "; new categories: " + ", ".join(summary["new_categories"])
        if summary["code_figures"]:
            text += (
                f"; {summary['code_figures']:,} figures by offence code: "
                f"{summary['code_added']:,} new, {summary['code_changed']:,} changed, "
                f"{summary['code_removed']:,} removed; "
                f"{summary['definitions_added']:,} offence definitions (code, subgroup, "
                "financial year) added"
            )
        return text + "."

    def _change(self, key: Key, old: int | None, new: int | None) -> CrimeChange:
        force_id, category_ref, first, last = key
        category = self.categories.get(category_ref) if isinstance(category_ref, int) else None
        period = (
            month_label(first) if first == last else f"{month_label(first)} to {month_label(last)}"
        )
        return CrimeChange(
            force=self.forces[force_id].name,
            category=category.name if category else str(category_ref),
            period=period,
            old=old,
            new=new,
        )

    def examples(self, limit: int = 50) -> list[CrimeChange]:
        """Changed and removed figures first (they revise what is held), then new ones."""
        changes = [self._change(key, old, new) for _, key, old, new in self.to_change[:limit]]
        changes += [
            self._change(key, old, None) for _, key, old in self.to_remove[: limit - len(changes)]
        ]
        changes += [
            self._change(key, None, self.parsed.counts[key])
            for key in self.to_add[: max(0, limit - len(changes))]
        ]
        return changes


def crime_counts_plan(*, parsed: ParsedCrime) -> CrimeImportPlan:
    """Compare the parsed figures with those held for the same source (reads only)."""
    source = data_source_held(FORMAT_SOURCES[parsed.format])
    counts = parsed.counts
    force_ids = {key[0] for key in counts}
    category_ids = {key[1] for key in counts if isinstance(key[1], int)}
    covered = {(key[0], key[2], key[3]) for key in counts}
    first = min(key[2] for key in counts)
    last = max(key[3] for key in counts)
    held = CrimeCount.objects.filter(
        source_id=source.pk,
        force_id__in=force_ids,
        period_start__gte=month_start(first),
        period_end__lte=month_end(last),
    )
    if parsed.format not in COMPLETE_RELEASE_FORMATS:
        held = held.filter(category_id__in=category_ids)
    if source.pk is None:
        held = held.none()
    held = held.order_by().values_list(
        "id", "force_id", "category_id", "period_start", "period_end", "count"
    )
    index_of: dict[dt.date, int] = {}

    def index(day: dt.date) -> int:
        if day not in index_of:
            index_of[day] = day.year * 12 + day.month - 1
        return index_of[day]

    to_change: list[tuple[int, Key, int, int]] = []
    to_remove: list[tuple[int, Key, int]] = []
    seen: set[Key] = set()
    unchanged = 0
    for row_id, force_id, category_id, start, end, old in held.iterator(chunk_size=5000):
        key = (force_id, category_id, index(start), index(end))
        new = counts.get(key)
        if new is None:
            if (force_id, key[2], key[3]) in covered:
                to_remove.append((row_id, key, old))
            continue
        seen.add(key)
        if new == old:
            unchanged += 1
        else:
            to_change.append((row_id, key, old, new))
    to_add = [key for key in counts if key not in seen]
    plan = CrimeImportPlan(
        parsed=parsed,
        source=source,
        to_add=to_add,
        to_change=to_change,
        to_remove=to_remove,
        unchanged=unchanged,
        forces={force.pk: force for force in Force.objects.filter(pk__in=force_ids)},
        categories={
            category.pk: category for category in Category.objects.filter(pk__in=category_ids)
        },
    )
    if parsed.code_counts:
        _plan_code_counts(plan, index)
    return plan


def _plan_code_counts(plan: CrimeImportPlan, index) -> None:
    """The figures by offence code and the definitions the file adds (reads only).

    Within the forces and periods the file covers its code-level figures replace the source's;
    definitions are only ever added (each file tells which codes a subgroup held in a year).
    """
    parsed = plan.parsed
    counts = parsed.code_counts
    covered = {(key[0], key[3], key[4]) for key in counts}
    held = OffenceCodeCount.objects.filter(
        source_id=plan.source.pk,
        force_id__in={key[0] for key in counts},
        period_start__gte=month_start(min(key[3] for key in counts)),
        period_end__lte=month_end(max(key[4] for key in counts)),
    )
    if plan.source.pk is None:  # the source's first import: nothing is held
        held = held.none()
    held = held.values_list(
        "id", "force_id", "subgroup_id", "code", "period_start", "period_end", "count"
    )
    seen: set[CodeKey] = set()
    for row_id, force_id, subgroup_id, code, start, end, old in held.iterator(chunk_size=5000):
        key = (force_id, subgroup_id, code, index(start), index(end))
        new = counts.get(key)
        if new is None:
            if (force_id, key[3], key[4]) in covered:
                plan.code_to_remove.append((row_id, key, old))
            continue
        seen.add(key)
        if new != old:
            plan.code_to_change.append((row_id, key, old, new))
    plan.code_to_add = [key for key in counts if key not in seen]
    years = {key[0] for key in parsed.definitions}
    known = set(
        OffenceDefinition.objects.filter(financial_year__in=years).values_list(
            "financial_year", "subgroup_id", "code"
        )
    )
    plan.definitions_to_add = sorted(key for key in parsed.definitions if key not in known)


INSERT_COLUMNS = (
    "force",
    "category",
    "source",
    "release",
    "period_start",
    "period_end",
    "months",
    "count",
)


def insert_counts(rows: Iterable[tuple], *, batch: int = 10_000) -> None:
    """Insert crime count rows given as tuples in INSERT_COLUMNS order, ``batch`` at a time.

    One statement executed with many parameter sets: on SQLite ``bulk_create`` compiles a
    separate INSERT for every 124 rows (999 parameters / 8 columns), five times slower for a
    national file. Values are plain integers and database-ready dates.
    """
    meta = CrimeCount._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in INSERT_COLUMNS)
    placeholders = ", ".join(["%s"] * len(INSERT_COLUMNS))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders})"
    rows = iter(rows)
    with connection.cursor() as cursor:
        while chunk := list(itertools.islice(rows, batch)):
            cursor.executemany(sql, chunk)


def _unique_slug(name: str, taken: set[str]) -> str:
    base = slugify(name)[:150] or "category"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


@dataclass(frozen=True)
class CrimeImportResult:
    release: Release | None
    summary: dict
    description: str

    @property
    def changed_anything(self) -> bool:
        return self.release is not None


def _chunks(items: list, size: int = 900):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def crime_counts_apply(
    *, plan: CrimeImportPlan, release_label: str = "", user: AbstractBaseUser | None = None
) -> CrimeImportResult:
    """Apply ``plan``: nothing is written when it changes nothing.

    Everything is worked out first (the files' digest, the rows to write); the transaction
    then only writes, in batches, so that other people's saves wait for it briefly, never
    long enough to fail.
    """
    description = plan.describe()
    if not plan.has_changes:
        return CrimeImportResult(release=None, summary=plan.summary, description=description)
    parsed = plan.parsed
    sha256 = files_sha256(parsed.files)
    stale = [row_id for row_id, *_ in plan.to_change] + [row_id for row_id, *_ in plan.to_remove]
    keys = plan.to_add + [key for _, key, _, _ in plan.to_change]
    adapt = connection.ops.adapt_datefield_value
    starts = {first: adapt(month_start(first)) for first in {key[2] for key in keys}}
    ends = {last: adapt(month_end(last)) for last in {key[3] for key in keys}}
    counts = parsed.counts
    with transaction.atomic():
        source = data_source(plan.source.slug)
        release = release_create(
            source=source,
            label=release_label or parsed.file_name,
            files=parsed.files,
            sha256=sha256,
            user=user,
            summary=plan.summary,
        )
        category_ids = _create_categories(parsed.new_categories)
        for chunk in _chunks(stale):
            CrimeCount.objects.filter(pk__in=chunk).delete()
        source_id, release_id = source.pk, release.pk
        insert_counts(
            (
                force_id,
                category_ids.get(category_ref, category_ref),
                source_id,
                release_id,
                starts[first],
                ends[last],
                last - first + 1,
                counts[force_id, category_ref, first, last],
            )
            for force_id, category_ref, first, last in keys
        )
        _apply_code_counts(plan, release, source)
    return CrimeImportResult(release=release, summary=plan.summary, description=description)


def _create_categories(new_categories: dict[str, int]) -> dict[CategoryRef, int]:
    """Create the force-defined categories a file names; their ids by name."""
    category_ids: dict[CategoryRef, int] = {}
    if not new_categories:
        return category_ids
    taken = set(Category.objects.values_list("slug", flat=True))
    top = max(Category.objects.values_list("position", flat=True), default=0)
    for offset, (name, force_id) in enumerate(sorted(new_categories.items()), start=1):
        category = Category.objects.create(
            kind=Category.Kind.FORCE_DEFINED,
            name=name,
            slug=_unique_slug(name, taken),
            defined_by_id=force_id,
            position=top + offset,
        )
        category_ids[name] = category.pk
    return category_ids


def _apply_code_counts(plan: CrimeImportPlan, release: Release, source: DataSource) -> None:
    stale = [row_id for row_id, *_ in plan.code_to_change] + [
        row_id for row_id, *_ in plan.code_to_remove
    ]
    for chunk in _chunks(stale):
        OffenceCodeCount.objects.filter(pk__in=chunk).delete()
    counts = plan.parsed.code_counts
    keys = plan.code_to_add + [key for _, key, _, _ in plan.code_to_change]
    OffenceCodeCount.objects.bulk_create(
        (
            OffenceCodeCount(
                force_id=force_id,
                subgroup_id=subgroup_id,
                code=code,
                source=source,
                release=release,
                period_start=month_start(first),
                period_end=month_end(last),
                count=counts[force_id, subgroup_id, code, first, last],
            )
            for force_id, subgroup_id, code, first, last in keys
        ),
        batch_size=900,
    )
    offence_definitions_record(
        definitions={key: plan.parsed.definitions[key] for key in plan.definitions_to_add},
        release=release,
    )


def offence_definitions_record(
    *, definitions: dict[DefinitionKey, str], release: Release | None = None
) -> int:
    """Add the (financial year, subgroup, code) definitions not yet held; returns how many."""
    if not definitions:
        return 0
    known = set(
        OffenceDefinition.objects.filter(
            financial_year__in={key[0] for key in definitions}
        ).values_list("financial_year", "subgroup_id", "code")
    )
    new = [
        OffenceDefinition(
            financial_year=year,
            subgroup_id=subgroup_id,
            code=code,
            description=description,
            release=release,
        )
        for (year, subgroup_id, code), description in sorted(definitions.items())
        if (year, subgroup_id, code) not in known
    ]
    OffenceDefinition.objects.bulk_create(new, batch_size=900)
    return len(new)


def crime_counts_import(
    *,
    format: str,
    files: Sequence[ImportFile],
    release_label: str = "",
    user: AbstractBaseUser | None = None,
    create_categories: bool = False,
    dry_run: bool = False,
) -> CrimeImportResult:
    """Read, check and apply crime figures; on any bad row raise ImportRejected, import nothing.

    The files are read outside any transaction and before this import's turn; the plan and
    the writes take the turn.
    """
    option_problems(release_label=(release_label, RELEASE_LABEL_LENGTH))
    parsed = crime_files_parse(format=format, files=files, create_categories=create_categories)
    with import_turn():
        plan = crime_counts_plan(parsed=parsed)
        if dry_run:
            return CrimeImportResult(
                release=None, summary=plan.summary, description=plan.describe()
            )
        return crime_counts_apply(plan=plan, release_label=release_label, user=user)


__all__ = [
    "FORMATS",
    "CrimeImportPlan",
    "CrimeImportResult",
    "ImportRejected",
    "ParsedCrime",
    "crime_counts_apply",
    "crime_counts_import",
    "crime_counts_plan",
    "crime_files_parse",
    "offence_definitions_record",
]

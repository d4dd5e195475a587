"""The comparison as CSV and as a plain-text table, for downloads and the ``compare`` command."""

from __future__ import annotations

import csv
import io

from .comparison import Comparison, ComparisonRow

# A spreadsheet treats a cell starting with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

COLUMNS = [
    ("Category", lambda row: row.category_name),
    ("Kind", lambda row: row.category_kind),
    ("Status", lambda row: row.status),
    ("Note", lambda row: row.status_note or row.group_note or row.national_note),
    ("Count", lambda row: row.count),
    ("Population", lambda row: row.population),
    ("Rate per 1,000", lambda row: _round(row.rate)),
    ("95% interval lower", lambda row: _round(row.ci_lower)),
    ("95% interval upper", lambda row: _round(row.ci_upper)),
    ("Group count", lambda row: row.group_count),
    ("Group population", lambda row: row.group_population),
    ("Group rate per 1,000", lambda row: _round(row.group_rate)),
    ("Compared with group", lambda row: row.significance_label),
    ("Rank in group", lambda row: row.rank_in_group),
    ("Group size", lambda row: row.group_size),
    ("National rank", lambda row: row.national_rank),
    ("Forces ranked", lambda row: row.national_size),
    ("Worst 10% (red)", lambda row: "yes" if row.is_red else "no"),
    ("Previous 12 months count", lambda row: row.previous_count),
    ("Change", lambda row: row.change),
    ("Change %", lambda row: _round(row.change_percent, 1)),
    ("Source", lambda row: row.source),
    ("Like for like", lambda row: "yes" if row.like_for_like else "no"),
    ("Definition change", lambda row: row.definition_change),
    ("Previous 12 months basis", lambda row: row.previous_basis or "as recorded"),
    ("Comparable between forces", lambda row: "yes" if row.is_comparable else "no"),
    ("Not comparable because", lambda row: row.comparability_note),
]


def _round(value: float | None, places: int = 3) -> float | None:
    return None if value is None else round(value, places)


def csv_safe(value: object) -> object:
    """Text that a spreadsheet would run as a formula, prefixed with ' so it stays text.

    Numbers are left alone (a negative count is a number, not a formula).
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return "" if value is None else value


def comparison_csv(comparison: Comparison) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_safe(f"{comparison.force.name}, {comparison.period.label}")])
    group = comparison.group
    writer.writerow(
        [
            csv_safe(
                f"Group: {group.heading}: "
                + ", ".join(member.name for member in group.members)
                + f". {group.explanation}"
                if group
                else "Group: none"
            )
        ]
    )
    writer.writerow(
        [
            csv_safe(
                f"Population: {comparison.population_year_note}; {comparison.population_source}, "
                f"{comparison.population_vintage}"
            )
        ]
    )
    writer.writerow([csv_safe(comparison.rule.red_description)])
    writer.writerow([name for name, _ in COLUMNS])
    for row in comparison.rows:
        writer.writerow([csv_safe(value(row)) for _, value in COLUMNS])
    return buffer.getvalue()


def _cell(value: object) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def _rank(rank: int | None, size: int | None) -> str:
    return f"{rank} of {size}" if rank is not None and size else "–"


def _table_row(row: ComparisonRow, marks: dict[str, str]) -> list[str]:
    if not row.is_complete:
        return [row.category_name, "incomplete", "", "", "", "", "", "", row.status_note]
    note = row.note
    mark = ""
    if note:
        mark = marks.setdefault(
            note, "*" * (len(marks) + 1) if len(marks) < 3 else f"[{len(marks) + 1}]"
        )
    return [
        row.category_name + mark,
        _cell(row.count),
        _cell(row.rate),
        _cell(row.group_rate),
        _rank(row.rank_in_group, row.group_size),
        _rank(row.national_rank, row.national_size),
        "RED" if row.is_red else "",
        (f"{row.change:+,}" if row.change is not None else "–")
        + ("" if row.like_for_like else " (not like for like)"),
        row.significance_label
        or row.group_note
        or ("not ranked" if not row.is_comparable else row.national_note),
    ]


def comparison_table(comparison: Comparison) -> str:
    """A fixed-width table for a terminal."""
    header = [
        "Category",
        "Count",
        "Rate/1,000",
        "Group rate",
        "In group",
        "Nationally",
        "Worst 10%",
        "Change",
        "Against group",
    ]
    marks: dict[str, str] = {}  # note → its mark, numbered in order of first use
    rows = [header] + [_table_row(row, marks) for row in comparison.rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        f"{comparison.force.name}: {comparison.period.label}",
        f"Population: {comparison.population_year_note} ({comparison.population_vintage})",
    ]
    if comparison.group:
        lines.append(
            f"{comparison.group.heading}: "
            + ", ".join(member.name for member in comparison.group.members)
            + "."
        )
        lines.append(comparison.group.explanation)
        lines.append(
            "Group rate "
            + ("includes" if comparison.rule.group_includes_force else "excludes")
            + f" {comparison.force.name}."
        )
    lines.append(comparison.rule.red_description)
    if comparison.nearest_complete_period and not comparison.has_complete_rows:
        lines.append(
            f"The data do not cover all of the {comparison.period.label}; the nearest complete "
            f"period is the {comparison.nearest_complete_period.label}."
        )
    lines.append("")
    for row in rows:
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    if marks:
        lines.append("")
        lines += [f"{mark} {note}" for note, mark in marks.items()]
    return "\n".join(line.rstrip() for line in lines) + "\n"

"""The performance table: a comparison's rows in the words and figures every page prints.

The meeting's performance tab, the note (web and PDF) and the dashboard all show the same
table (``templates/performance/_comparison_table.html``) from the plain data made here, so
they cannot drift apart in columns, wording or formatting: counts with thousands separators
("93,628"), rates to two places, "3 of 8" ranks, a signed change with its percentage. The
data are JSON-ready (the note's snapshot and its public JSON carry them as they are).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .comparison import Comparison, ComparisonRow
from .templatetags.performance_format import count, rank, rate, signed, signed_percent


def _given(value, formatted: str) -> str | None:
    """The formatted figure, or None when there is none (the template prints "–")."""
    return None if value is None else formatted


def _change(row: ComparisonRow) -> str | None:
    if row.change is None:
        return None
    return f"{signed(row.change)} ({signed_percent(row.change_percent)})"


def _change_note(row: ComparisonRow) -> str:
    if not row.like_for_like:
        return "not like for like"
    if row.change is None:
        return "no complete previous period"
    return row.previous_basis


def table_row(
    row: ComparisonRow, *, note: int | None = None, account: str | None = None
) -> dict[str, Any]:
    """One category's cells, formatted. Keys absent or None print as "–"."""
    data: dict[str, Any] = {
        "category": row.category_name,
        "slug": row.category_slug,
        "kind": row.category_kind,
        "is_red": row.is_red,
        "note": note,
    }
    if account is not None:
        data["account"] = account
    if not row.is_complete:
        data["incomplete"] = row.status_note or "not computed from partial data."
        return data
    data.update(
        count=_given(row.count, count(row.count)),
        force_rate=_given(row.rate, rate(row.rate)),
        group_rate=_given(row.group_rate, rate(row.group_rate)),
        change=_change(row),
        change_note=_change_note(row),
    )
    if row.is_comparable:
        data.update(
            against=row.significance_label or row.group_note or None,
            group_rank=_given(row.rank_in_group, rank(row.rank_in_group, row.group_size)),
            national_rank=_given(row.national_rank, rank(row.national_rank, row.national_size)),
        )
    else:
        data["not_comparable"] = True
    return data


def comparison_table(
    comparison: Comparison,
    *,
    rows: Iterable[ComparisonRow] | None = None,
    accounts: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The table of ``rows`` (every row of the comparison unless given), with its footnotes
    numbered in row order; ``accounts`` (category slug → what the note says about it) adds
    the note's "In this note" column."""
    chosen = list(comparison.rows if rows is None else rows)
    footnotes = list(dict.fromkeys(row.note for row in chosen if row.note))
    numbers = {note: n for n, note in enumerate(footnotes, start=1)}
    rule, group = comparison.rule, comparison.group
    first = "highest" if rule.red_direction == "higher" else "lowest"
    return {
        "title": (
            f"Crimes per 1,000 population, {comparison.period.label}: {comparison.force.name} "
            f"against its {group.heading.lower() if group else 'group'} and all forces; rank 1 "
            f"is the {first} rate. {rule.red_description}"
        ),
        "red_heading": f"Worst {rule.red_threshold:.0%}",
        "has_accounts": accounts is not None,
        "rows": [
            table_row(
                row,
                note=numbers.get(row.note),
                account=None if accounts is None else accounts.get(row.category_slug, ""),
            )
            for row in chosen
        ],
        "footnotes": footnotes,
    }

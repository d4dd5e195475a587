"""The real shipped files read with the csv module only, to compute expected figures by hand,
and small helpers for building test files."""

from __future__ import annotations

import csv
import gzip
import html
import re
from collections import defaultdict
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

import performance

DATA = Path(performance.__file__).parent / "data"
QUARTERLY = DATA / "prc_pfa_quarterly_by_subgroup_2012-13_to_2023-24q1.csv.gz"
LANCASHIRE_DETAILED = DATA / "prc_pfa_detailed_lancashire_2012-13_to_2023-24q1.csv.gz"
POPULATIONS = DATA / "pfa_population_mid_year.csv"
LANCASHIRE = "E23000003"
CITY_OF_LONDON = "E23000034"


def raw_quarterly() -> list[dict[str, str]]:
    with gzip.open(QUARTERLY, "rt", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def raw_populations() -> dict[tuple[str, int], int]:
    with POPULATIONS.open(encoding="utf-8") as file:
        return {
            (row["pfa_code"], int(row["year"])): int(row["population"])
            for row in csv.DictReader(file)
        }


def quarters_ending(year: int, month: int) -> list[tuple[str, str]]:
    """The four (financial year, quarter) pairs of the 12 months ending ``month`` of ``year``,
    written out by hand: quarter 1 is April–June, 4 is January–March."""
    assert month in (3, 6, 9, 12)
    pairs = []
    for back in range(4):
        m, y = month - 3 * back, year
        while m <= 0:
            m, y = m + 12, y - 1
        quarter = {6: 1, 9: 2, 12: 3, 3: 4}[m]
        start = y if quarter != 4 else y - 1
        pairs.append((f"{start}/{str(start + 1)[2:]}", str(quarter)))
    return pairs


def raw_totals(
    rows: list[dict[str, str]], quarters: list[tuple[str, str]], subgroups=None, groups=None
) -> dict[str, int]:
    """Per force code, the sum of ``number_of_offences`` over the quarters and categories."""
    wanted = set(quarters)
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        if (row["financial_year"], row["financial_quarter"]) not in wanted:
            continue
        if subgroups is not None and row["offence_subgroup"] not in subgroups:
            continue
        if groups is not None and row["offence_group"] not in groups:
            continue
        totals[row["pfa_code"]] += int(row["number_of_offences"])
    return dict(totals)


def lines(*rows: str) -> bytes:
    return ("\n".join(rows) + "\n").encode()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def text_of(response) -> str:
    """A page's text without tags, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def raw_detailed() -> list[dict[str, str]]:
    """The Lancashire long-format table (one row per offence code and quarter)."""
    with gzip.open(LANCASHIRE_DETAILED, "rt", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def raw_code_totals(
    rows: list[dict[str, str]], quarters: list[tuple[str, str]], *, subgroup: str, codes: set
) -> int:
    """The long table's offences for ``codes`` counted under ``subgroup`` in ``quarters``."""
    wanted = set(quarters)
    return sum(
        int(row["Number of Offences"])
        for row in rows
        if (row["Financial Year"], row["Financial Quarter"]) in wanted
        and row["Offence Subgroup"] == subgroup
        and row["Offence Code"] in codes
    )

"""Importing Home Office police recorded crime tables: both layouts, bad rows, releases."""

import datetime as dt
import gzip

import pytest

from performance.importers import ImportFile, ImportRejected
from performance.importers.crime import crime_counts_import
from performance.models import Category, CrimeCount, Release

from .raw import LANCASHIRE, LANCASHIRE_DETAILED, QUARTERLY, lines, raw_quarterly

LONG_HEADER = (
    "Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,"
    "Offence Subgroup,Offence Code,Number of Offences"
)
SUBGROUP_HEADER = (
    "financial_year,financial_quarter,pfa_code,offence_group,offence_subgroup,number_of_offences"
)


def _import(content: bytes, name: str = "prc.csv", release: str = ""):
    return crime_counts_import(
        format="prc", files=[ImportFile(name, content)], release_label=release
    )


def _held(force: str = LANCASHIRE) -> dict[tuple[dt.date, str], int]:
    return {
        (start, name): count
        for start, name, count in CrimeCount.objects.filter(force__code=force).values_list(
            "period_start", "category__name", "count"
        )
    }


def _crime_releases() -> int:
    return Release.objects.filter(source__slug="home-office-prc").count()


def _financial(day: dt.date) -> tuple[str, str]:
    """(financial year, quarter) of a quarter's first day, worked out by hand."""
    start = day.year if day.month >= 4 else day.year - 1
    quarter = {4: "1", 7: "2", 10: "3", 1: "4"}[day.month]
    return f"{start}/{str(start + 1)[2:]}", quarter


def test_the_long_lancashire_table_adds_up_to_the_quarterly_subgroup_totals(reference):
    result = _import(LANCASHIRE_DETAILED.read_bytes(), name=LANCASHIRE_DETAILED.name)
    expected = {
        (row["financial_year"], row["financial_quarter"], row["offence_subgroup"]): int(
            row["number_of_offences"]
        )
        for row in raw_quarterly()
        if row["pfa_code"] == LANCASHIRE
    }
    held = {(*_financial(start), name): count for (start, name), count in _held().items()}
    assert held == expected
    assert result.summary["forces"] == 1
    assert result.summary["first_month"] == "April 2012"
    assert result.summary["last_month"] == "June 2023"


def test_the_quarterly_file_then_the_long_table_of_the_same_release_changes_no_figure(reference):
    first = _import(QUARTERLY.read_bytes(), name=QUARTERLY.name)
    assert first.summary["added"] == 48203
    second = _import(LANCASHIRE_DETAILED.read_bytes(), name=LANCASHIRE_DETAILED.name)
    assert second.summary["changed"] == 0
    assert second.summary["added"] == 0
    assert second.summary["removed"] == 0
    # What it adds is the detail by offence code, which the quarterly file does not have.
    assert second.summary["code_added"] == second.summary["code_figures"] > 0
    third = _import(LANCASHIRE_DETAILED.read_bytes(), name=LANCASHIRE_DETAILED.name)
    assert not third.changed_anything
    assert _crime_releases() == 2


def test_the_long_table_keeps_the_figures_by_offence_code(reference):
    from performance.models import OffenceCodeCount

    from .raw import quarters_ending, raw_code_totals, raw_detailed

    _import(LANCASHIRE_DETAILED.read_bytes(), name=LANCASHIRE_DETAILED.name)
    held = OffenceCodeCount.objects.filter(
        code="8L", subgroup__name="Violence without injury"
    ).values_list("count", flat=True)
    expected = raw_code_totals(
        raw_detailed(), quarters_ending(2013, 3), subgroup="Violence without injury", codes={"8L"}
    )
    assert sum(held) == expected


def test_a_revised_long_table_replaces_the_figures_by_offence_code(reference):
    from performance.models import OffenceCodeCount

    header = (
        "Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,"
        "Offence Subgroup,Offence Code,Number of Offences"
    )
    row = (
        "2012/13,1,Lancashire,Harassment,Violence against the person,Violence without injury,8L,{}"
    )
    _import(lines(header, row.format(10)), name="a.csv")
    revised = _import(lines(header, row.format(12)), name="b.csv")
    assert revised.summary["code_changed"] == 1
    assert list(OffenceCodeCount.objects.values_list("count", flat=True)) == [12]


def test_importing_the_same_file_twice_changes_nothing(reference):
    content = lines(
        SUBGROUP_HEADER,
        "2013/14,1,E23000003,Robbery,Robbery of personal property,100",
        "2013/14,1,E23000003,Robbery,Robbery of business property,20",
    )
    first = _import(content)
    before = list(CrimeCount.objects.values_list("id", "count", "release_id").order_by("id"))
    second = _import(content)
    assert first.changed_anything
    assert not second.changed_anything
    assert second.summary["unchanged"] == 2
    after = list(CrimeCount.objects.values_list("id", "count", "release_id").order_by("id"))
    assert after == before
    assert _crime_releases() == 1


def test_a_newer_release_replaces_the_figures_and_says_how_many_changed(reference):
    _import(
        lines(
            SUBGROUP_HEADER,
            "2013/14,1,E23000003,Robbery,Robbery of personal property,100",
            "2013/14,1,E23000003,Robbery,Robbery of business property,20",
            "2013/14,1,E23000003,Theft offences,Shoplifting,300",
        ),
        release="July 2023",
    )
    result = _import(
        lines(
            SUBGROUP_HEADER,
            "2013/14,1,E23000003,Robbery,Robbery of personal property,104",
            "2013/14,1,E23000003,Robbery,Robbery of business property,20",
            "2013/14,2,E23000003,Robbery,Robbery of business property,25",
        ),
        release="October 2023",
    )
    summary = result.summary
    assert (summary["changed"], summary["unchanged"], summary["added"]) == (1, 1, 1)
    # Shoplifting is not in the newer release for the same force and quarter: it had none.
    assert summary["removed"] == 1
    held = _held()
    april = dt.date(2013, 4, 1)
    assert held[april, "Robbery of personal property"] == 104
    assert (april, "Shoplifting") not in held
    revised = CrimeCount.objects.get(category__name="Robbery of personal property")
    kept = CrimeCount.objects.get(category__name="Robbery of business property", period_start=april)
    assert revised.release.label == "October 2023"
    assert kept.release.label == "July 2023"


def test_a_file_with_bad_rows_imports_nothing_and_lists_every_bad_row(reference):
    content = lines(
        LONG_HEADER,
        "2012/13,1,Lancashire,Murder,Violence against the person,Homicide,1,2",
        "2012/14,1,Lancashire,Murder,Violence against the person,Homicide,1,2",
        "2012/13,5,Lancashire,Murder,Violence against the person,Homicide,1,2",
        "2012/13,1,Atlantis,Murder,Violence against the person,Homicide,1,2",
        "2012/13,1,Lancashire,Made up,Violence against the person,Homicide,ZZ9,2",
        "2012/13,1,Lancashire,Murder,Violence against the person,Made-up subgroup,1,2",
        "2012/13,2,Lancashire,Murder,Violence against the person,Homicide,1,many",
        "2012/13,3,Lancashire,Murder,Violence against the person,Homicide,1,2.5",
        "2012/13,4,Lancashire,Murder,Violence against the person,Homicide,1,",
    )
    with pytest.raises(ImportRejected) as rejected:
        _import(content)
    found = {(p.line, p.column, p.reason, p.value) for p in rejected.value.problems}
    assert found == {
        (3, "Financial Year", "the second year must follow the first, like 2012/13", "2012/14"),
        (4, "Financial Quarter", "the quarter must be 1, 2, 3 or 4", "5"),
        (5, "Force Name", "unknown force", "Atlantis"),
        (6, "Offence Code", "unknown offence code", "ZZ9"),
        (7, "Offence Subgroup", "unknown offence subgroup", "Made-up subgroup"),
        (8, "Number of Offences", "not a whole number", "many"),
        (9, "Number of Offences", "not a whole number", "2.5"),
        (10, "Number of Offences", "missing number", ""),
    }
    assert CrimeCount.objects.count() == 0
    assert _crime_releases() == 0


def test_leading_spaces_minus_zero_and_negative_counts_are_read(reference):
    _import(
        lines(
            LONG_HEADER,
            "2012/13, 1, Lancashire,Murder,Violence against the person,Homicide, 1, 7",
            "2012/13,1,Lancashire,Manslaughter,Violence against the person,Homicide,4.1,-00",
            "2012/13,1,Lancashire,Arson endangering life,Criminal damage and arson,Arson,56A,-3",
            '2012/13,1,Lancashire,Robbery,Robbery,Robbery of business property,34A,"1,234"',
        )
    )
    held = _held()
    april = dt.date(2012, 4, 1)
    assert held[april, "Homicide"] == 7
    assert held[april, "Arson"] == -3
    assert held[april, "Robbery of business property"] == 1234


def test_codes_mangled_by_spreadsheets_are_read_as_the_short_code(reference):
    _import(
        lines(
            LONG_HEADER,
            "2012/13,1,Lancashire,Aggravated vehicle taking,Theft offences,"
            "Theft of a motor vehicle,37.200000000000003,5",
        )
    )
    assert _held()[dt.date(2012, 4, 1), "Theft of a motor vehicle"] == 5


def test_a_renamed_subgroup_is_read_through_its_alias(reference):
    _import(lines(SUBGROUP_HEADER, "2024/25,1,E23000003,Theft offences,Residential burglary,900"))
    domestic = Category.objects.get(kind=Category.Kind.SUBGROUP, name="Domestic burglary")
    assert CrimeCount.objects.get().category == domestic


def test_forces_are_found_by_any_name_sources_use(reference):
    _import(
        lines(
            LONG_HEADER,
            "2012/13,1,Devon and Cornwall,Murder,Violence against the person,Homicide,1,1",
            "2012/13,1,Devon & Cornwall,Manslaughter,Violence against the person,Homicide,4.1,1",
        )
    )
    assert _held("E23000035")[dt.date(2012, 4, 1), "Homicide"] == 2


def test_the_same_figure_given_twice_is_a_problem(reference):
    with pytest.raises(ImportRejected) as rejected:
        _import(
            lines(
                SUBGROUP_HEADER,
                "2013/14,1,E23000003,Robbery,Robbery of personal property,100",
                "2013/14,1,E23000003,Robbery,Robbery of personal property,100",
            )
        )
    [problem] = rejected.value.problems
    assert problem.line == 3
    assert "already given on line 2" in problem.reason


def test_a_file_of_another_kind_is_one_clear_problem(reference):
    with pytest.raises(ImportRejected) as rejected:
        _import(lines("force,month,category,count", "Lancashire,2013-10,Arson,3"))
    [problem] = rejected.value.problems
    assert problem.line == 1
    assert "not a Home Office police recorded crime table" in problem.reason


def test_a_gzipped_file_is_read(reference):
    content = gzip.compress(
        lines(SUBGROUP_HEADER, "2013/14,1,E23000003,Robbery,Robbery of personal property,100")
    )
    result = _import(content, name="prc.csv.gz")
    assert result.summary["added"] == 1


def test_an_empty_file_is_refused(reference):
    with pytest.raises(ImportRejected):
        _import(b"")
    with pytest.raises(ImportRejected):
        _import(lines(SUBGROUP_HEADER))

"""Importing a force's own monthly extract (force, month, category, count)."""

import datetime as dt

import pytest

from performance.importers import ImportFile, ImportRejected
from performance.importers.crime import crime_counts_import
from performance.models import Category, CrimeCount, Force
from performance.periods import Period
from performance.selectors.comparison import comparison_build

from .raw import lines

HEADER = "force,month,category,count"


def _import(content: bytes, **options):
    return crime_counts_import(
        format="monthly", files=[ImportFile("extract.csv", content)], **options
    )


def test_monthly_figures_are_stored_per_month(reference):
    _import(lines(HEADER, "Lancashire,2013-10,Domestic burglary,402", "E23000003,2013-11,Arson,41"))
    held = set(CrimeCount.objects.values_list("period_start", "period_end", "months", "count"))
    assert held == {
        (dt.date(2013, 10, 1), dt.date(2013, 10, 31), 1, 402),
        (dt.date(2013, 11, 1), dt.date(2013, 11, 30), 1, 41),
    }


def test_a_force_defined_category_is_created_only_when_asked(reference):
    content = lines(HEADER, "Lancashire,2013-10,Non-domestic serious violent crime,12")
    with pytest.raises(ImportRejected) as rejected:
        _import(content)
    [problem] = rejected.value.problems
    assert (problem.line, problem.column) == (2, "category")
    assert problem.reason.startswith("unknown category")
    result = _import(content, create_categories=True)
    category = Category.objects.get(name="Non-domestic serious violent crime")
    assert category.kind == Category.Kind.FORCE_DEFINED
    assert category.defined_by.code == "E23000003"
    assert result.summary["new_categories"] == ["Non-domestic serious violent crime"]


def test_a_total_of_other_categories_cannot_be_supplied(reference):
    with pytest.raises(ImportRejected) as rejected:
        _import(lines(HEADER, "Lancashire,2013-10,Theft offences,12"), create_categories=True)
    assert "total of other categories" in rejected.value.problems[0].reason


def test_a_name_shared_by_a_total_and_a_crime_type_must_be_written_as_a_slug(reference):
    # "Vehicle crime" is a named combination and a police.uk crime type.
    with pytest.raises(ImportRejected) as rejected:
        _import(lines(HEADER, "Lancashire,2013-10,Vehicle crime,12"))
    assert "write the slug instead" in rejected.value.problems[0].reason
    _import(lines(HEADER, "Lancashire,2013-10,vehicle-crime-police-uk,12"))
    assert CrimeCount.objects.get().category.kind == Category.Kind.POLICE_UK


def test_every_bad_row_is_listed(reference):
    with pytest.raises(ImportRejected) as rejected:
        _import(
            lines(
                HEADER,
                "Lancashire,2013-13,Arson,1",
                "Nowhere,2013-10,Arson,1",
                "Lancashire,2013-10,Arson,one",
                "Lancashire,2013-10,,1",
            )
        )
    assert [(p.line, p.column) for p in rejected.value.problems] == [
        (2, "month"),
        (3, "force"),
        (4, "count"),
        (5, "category"),
    ]
    assert CrimeCount.objects.count() == 0


def test_monthly_data_let_a_period_end_in_october(reference):
    months = [f"{2012 + (m // 12)}-{m % 12 + 1:02d}" for m in range(10, 22)]  # Nov 2012–Oct 2013
    _import(
        lines(HEADER, *(f"Lancashire,{month},Serious violence (force),10" for month in months)),
        create_categories=True,
    )
    lancashire = Force.objects.get(code="E23000003")
    comparison = comparison_build(force=lancashire, period=Period.parse("2013-10"))
    row = comparison.row(Category.objects.get(name="Serious violence (force)").slug)
    assert row.is_complete
    assert row.count == 120
    assert row.rate == pytest.approx(120 / row.population * 1000)
    # Only one force supplies it: no national ranking and no red.
    assert row.national_rank is None and not row.is_red
    assert "1 of 42" in row.national_note

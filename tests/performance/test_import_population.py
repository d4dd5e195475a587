"""Importing mid-year populations: both layouts, bad rows, new vintages."""

import pytest

from performance.importers import ImportFile, ImportRejected
from performance.importers.population import population_import
from performance.models import Force, Population

from .raw import POPULATIONS, lines, raw_populations


@pytest.fixture
def forces(db):
    from performance.importers.reference import forces_load

    forces_load()


def _import(content: bytes, vintage: str = "test vintage"):
    return population_import(files=[ImportFile("population.csv", content)], vintage=vintage)


def test_the_shipped_file_gives_every_force_and_year(forces):
    population_import(files=[ImportFile.from_path(POPULATIONS)], vintage="MYE23")
    held = {
        (code, year): population
        for code, year, population in Population.objects.values_list(
            "force__code", "year", "population"
        )
    }
    assert held == raw_populations()
    assert len(held) == 43 * 13


def test_a_table_with_a_column_per_year_is_read(forces):
    _import(lines("Code,Name,Mid-2022,Mid-2023", "E23000003,Lancashire,1555000,1570000"))
    assert dict(
        Population.objects.filter(force__code="E23000003").values_list("year", "population")
    ) == {2022: 1555000, 2023: 1570000}


def test_bad_rows_are_listed_and_nothing_is_imported(forces):
    with pytest.raises(ImportRejected) as rejected:
        _import(
            lines(
                "pfa_code,pfa_name,year,population",
                "E23000003,Lancashire,2013,1000",
                "E99999999,Nowhere,2013,1000",
                "E23000003,Lancashire,twenty,1000",
                "E23000003,Lancashire,2014,0",
                "E23000003,Lancashire,2013,1001",
            )
        )
    assert [(p.line, p.column) for p in rejected.value.problems] == [
        (3, "pfa_code"),
        (4, "year"),
        (5, "population"),
        (6, ""),
    ]
    assert Population.objects.count() == 0


def test_the_same_file_again_changes_nothing_and_a_new_vintage_replaces(forces):
    content = lines("pfa_code,year,population", "E23000003,2013,1000", "E23000003,2014,1100")
    first_release, _ = _import(content, vintage="first")
    again, description = _import(content, vintage="first")
    assert first_release is not None and again is None
    assert "2 unchanged" in description
    release, description = _import(
        lines("pfa_code,year,population", "E23000003,2013,1000", "E23000003,2014,1150"),
        vintage="second",
    )
    assert release is not None
    assert "2 replaced (1 with a different figure)" in description
    lancashire = Force.objects.get(code="E23000003")
    held = Population.objects.get(force=lancashire, year=2014)
    assert (held.population, held.vintage) == (1150, "second")

"""What an import stores fits its column on every database: a value too long or a number too
large is a problem of its row, the same on SQLite (which would store it) as on PostgreSQL
(which would fail half-way)."""

import pytest

from performance.importers import ImportFile, ImportRejected
from performance.importers.crime import crime_counts_import
from performance.importers.peer_groups import peer_groups_import
from performance.importers.population import population_import
from performance.models import Category, CrimeCount, PeerGroup, Population, Release

from .raw import lines

LONG_NAME = "Knife crime " + "x" * 139  # 151 characters


def _monthly(*rows: str, **options):
    return crime_counts_import(
        format="monthly",
        files=[ImportFile("extract.csv", lines("force,month,category,count", *rows))],
        create_categories=True,
        **options,
    )


def test_a_new_category_name_longer_than_its_column_is_a_problem_of_its_row(reference):
    with pytest.raises(ImportRejected) as rejected:
        _monthly(
            "Lancashire,2013-10,Knife crime,3",
            f"Lancashire,2013-10,{LONG_NAME},4",
            f"Lancashire,2013-11,{LONG_NAME},5",
        )
    found = [(p.line, p.column, p.reason) for p in rejected.value.problems]
    assert found == [
        (3, "category", "longer than 150 characters (151)"),
        (4, "category", "longer than 150 characters (151)"),
    ]
    assert not Category.objects.filter(name__startswith="Knife crime").exists()


def test_a_name_of_exactly_150_characters_is_accepted(reference):
    _monthly(f"Lancashire,2013-10,{LONG_NAME[:150]},4")
    assert Category.objects.get(kind="force_defined").name == LONG_NAME[:150]


@pytest.mark.parametrize("count", ["2147483648", "-2147483649", "9" * 40])
def test_a_count_too_large_for_its_column_is_a_problem_of_its_row(reference, count):
    with pytest.raises(ImportRejected) as rejected:
        _monthly(f"Lancashire,2013-10,Arson,{count}")
    [problem] = rejected.value.problems
    assert (problem.line, problem.column) == (2, "count")
    assert "-2,147,483,648 to 2,147,483,647" in problem.reason
    assert not CrimeCount.objects.exists()


def test_the_largest_count_a_column_holds_is_accepted(reference):
    _monthly("Lancashire,2013-10,Arson,2147483647")
    assert CrimeCount.objects.get().count == 2147483647


def test_a_release_label_longer_than_its_column_is_refused(reference):
    with pytest.raises(ImportRejected) as rejected:
        _monthly("Lancashire,2013-10,Arson,1", release_label="r" * 201)
    [problem] = rejected.value.problems
    assert "release" in problem.reason and "200 characters" in problem.reason
    assert not Release.objects.filter(source__slug="force-extract").exists()


def test_a_long_file_name_is_shortened_to_label_the_release(reference):
    name = "extract-" + "n" * 300 + ".csv"
    crime_counts_import(
        format="monthly",
        files=[ImportFile(name, lines("force,month,category,count", "Lancashire,2013-10,Arson,1"))],
    )
    release = Release.objects.get(source__slug="force-extract")
    assert release.label == name[:200]
    assert release.file_name == name


def test_a_vintage_longer_than_its_column_is_refused(reference):
    content = lines("pfa_code,year,population", "E23000003,2030,1500000")
    with pytest.raises(ImportRejected) as rejected:
        population_import(files=[ImportFile("population.csv", content)], vintage="v" * 201)
    assert "200 characters" in rejected.value.problems[0].reason
    assert not Population.objects.filter(year=2030).exists()


def test_a_population_too_large_for_its_column_is_a_problem_of_its_row(reference):
    content = lines("pfa_code,year,population", "E23000003,2030,2147483648")
    with pytest.raises(ImportRejected) as rejected:
        population_import(files=[ImportFile("population.csv", content)], vintage="MYE30")
    [problem] = rejected.value.problems
    assert (problem.line, problem.column) == (2, "population")


@pytest.fixture
def forces(db):
    from performance.importers.reference import forces_load

    forces_load()


def test_a_group_source_longer_than_its_column_is_a_problem_of_its_row(forces):
    content = lines(
        "force,valid_from,source,position,similar_force",
        f"Lancashire,2019-04-01,{'s' * 301},1,Merseyside",
    )
    with pytest.raises(ImportRejected) as rejected:
        peer_groups_import(files=[ImportFile("msg.csv", content)])
    [problem] = rejected.value.problems
    assert (problem.line, problem.column, problem.reason) == (
        2,
        "source",
        "longer than 300 characters (301)",
    )
    assert not PeerGroup.objects.exists()

"""Loading the shipped reference data: forces, classification, categories."""

import pytest
from django.core.management import call_command

from performance import services
from performance.lookups import ForceLookup
from performance.models import Category, CategoryAlias, Force, OffenceCode

from .raw import DATA


@pytest.fixture
def loaded(db):
    return services.reference_data_load(with_crime=False, with_peer_groups=False)


def test_the_43_forces_are_loaded_with_their_codes(loaded):
    assert Force.objects.count() == 43
    assert Force.objects.get(code="E23000003").name == "Lancashire"
    assert Force.objects.get(code="E23000034").name == "London, City of"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Lancashire", "E23000003"),
        ("Lancashire Constabulary", "E23000003"),
        ("lancashire", "E23000003"),
        ("E23000003", "E23000003"),
        ("Devon and Cornwall", "E23000035"),
        ("Devon & Cornwall Police", "E23000035"),
        ("Dyfed Powys Police", "W15000004"),
    ],
)
def test_a_force_is_found_by_the_names_sources_use(loaded, name, code):
    assert ForceLookup().find(name).code == code


def test_groups_subgroups_and_codes_come_from_the_classification(loaded):
    burglary = Category.objects.get(kind=Category.Kind.SUBGROUP, name="Domestic burglary")
    assert burglary.group.name == "Theft offences"
    assert OffenceCode.objects.filter(subgroup=burglary, code="28E").exists()
    # A code written 37.200000000000003 by a spreadsheet is stored as 37.2, once.
    assert OffenceCode.objects.filter(code="37.2").count() == 1
    assert not OffenceCode.objects.filter(code__contains="0000000").exists()


def test_renames_between_releases_are_aliases(loaded):
    alias = CategoryAlias.objects.get(name="Residential burglary")
    assert alias.category.name == "Domestic burglary"


def test_named_combinations_are_data(loaded):
    vehicle = Category.objects.get(kind=Category.Kind.COMBINATION, name="Vehicle crime")
    assert sorted(vehicle.components.values_list("name", flat=True)) == [
        "Theft from a vehicle",
        "Theft of a motor vehicle",
        "Vehicle interference",
    ]
    total = Category.objects.get(slug="total-recorded-crime-excluding-fraud")
    assert not total.components.filter(group__name="Fraud offences").exists()
    assert (
        total.components.count()
        == Category.objects.filter(kind=Category.Kind.SUBGROUP)
        .exclude(group__name="Fraud offences")
        .count()
    )


def test_the_14_police_uk_crime_types_are_loaded(loaded):
    types = Category.objects.filter(kind=Category.Kind.POLICE_UK)
    assert types.count() == 14
    assert types.get(name="Violence and sexual offences").police_uk_slug == "violent-crime"


def test_a_subgroup_that_repeats_its_only_group_is_left_out_of_comparisons(loaded):
    subgroup = Category.objects.get(kind=Category.Kind.SUBGROUP, name="Public order offences")
    assert not subgroup.is_compared
    assert Category.objects.get(kind=Category.Kind.SUBGROUP, name="Arson").is_compared


def test_loading_again_adds_nothing_and_keeps_an_administrators_edits(loaded):
    counts = (Force.objects.count(), Category.objects.count(), OffenceCode.objects.count())
    vehicle = Category.objects.get(kind=Category.Kind.COMBINATION, name="Vehicle crime")
    vehicle.name = "Vehicle crime (all)"
    vehicle.save()
    vehicle.components.remove(vehicle.components.get(name="Vehicle interference"))
    Force.objects.filter(code="E23000003").update(police_uk_id="lancs")
    services.reference_data_load(with_crime=False, with_peer_groups=False)
    assert (Force.objects.count(), Category.objects.count(), OffenceCode.objects.count()) == counts
    assert Force.objects.get(code="E23000003").police_uk_id == "lancs"
    vehicle.refresh_from_db()
    assert vehicle.name == "Vehicle crime (all)"
    assert vehicle.components.count() == 2


def test_the_shipped_data_files_are_attributed():
    sources = (DATA / "SOURCES.md").read_text()
    for path in DATA.iterdir():
        if path.name != "SOURCES.md":
            assert f"`{path.name}`" in sources, path.name
    assert "Open Government Licence" in sources


def test_the_command_reports_what_it_loaded(db, capsys):
    call_command("load_reference_data", "--without-crime")
    out = capsys.readouterr().out
    assert "Forces: 43 added" in out
    call_command("load_reference_data", "--without-crime")
    assert "Forces: 0 added, 43 already present" in capsys.readouterr().out

"""The comparison against figures computed by hand from the real Home Office and ONS files."""

import json
import math

import pytest

from performance.comparison import Comparison, RowStatus
from performance.importers import ImportFile
from performance.importers.peer_groups import peer_groups_import
from performance.models import Population
from performance.periods import Period
from performance.selectors.comparison import comparison_build

from .raw import (
    CITY_OF_LONDON,
    LANCASHIRE,
    quarters_ending,
    raw_populations,
    raw_quarterly,
    raw_totals,
)

FRAUD = "Fraud offences"
GROUP = ["E23000004", "E23000005", "E23000010", "E23000011", "E23000014", "E23000007"]
Z = 1.959963984540054


@pytest.fixture(scope="module")
def raw():
    return raw_quarterly()


@pytest.fixture(scope="module")
def populations():
    return raw_populations()


@pytest.fixture
def official_group(lancashire):
    """An official group for Lancashire, as an OPCC would import it (members chosen here)."""
    rows = ["force,valid_from,source,position,similar_force"] + [
        f"{LANCASHIRE},2013-01-01,Test iQuanta list,{position},{code}"
        for position, code in enumerate(GROUP, start=1)
    ]
    peer_groups_import(files=[ImportFile("msg.csv", ("\n".join(rows) + "\n").encode())])
    return GROUP


def _rates(totals, populations, year):
    return {code: count / populations[code, year] * 1000 for code, count in totals.items()}


def test_count_and_rate_per_1000_match_the_raw_files(lancashire, raw, populations):
    totals = raw_totals(raw, quarters_ending(2013, 9), subgroups={"Violence with injury"})
    comparison = comparison_build(force=lancashire, period=Period.parse("2013-09"))
    row = comparison.row("violence-with-injury")
    assert row.count == totals[LANCASHIRE]
    assert row.population == populations[LANCASHIRE, 2013]
    assert row.rate == pytest.approx(totals[LANCASHIRE] / populations[LANCASHIRE, 2013] * 1000)
    assert comparison.population_year == 2013


def test_total_recorded_crime_excluding_fraud_adds_up_every_other_group(
    lancashire, raw, populations
):
    groups = {row["offence_group"] for row in raw} - {FRAUD}
    totals = raw_totals(raw, quarters_ending(2013, 9), groups=groups)
    row = comparison_build(force=lancashire, period=Period.parse("2013-09")).row(
        "total-recorded-crime-excluding-fraud"
    )
    assert row.count == totals[LANCASHIRE]
    assert row.rate == pytest.approx(totals[LANCASHIRE] / populations[LANCASHIRE, 2013] * 1000)


def test_vehicle_crime_is_the_sum_of_its_three_subgroups(lancashire, raw):
    parts = {"Theft from a vehicle", "Theft of a motor vehicle", "Vehicle interference"}
    totals = raw_totals(raw, quarters_ending(2016, 3), subgroups=parts)
    row = comparison_build(force=lancashire, period=Period.parse("2016-03")).row("vehicle-crime")
    assert row.count == totals[LANCASHIRE]


def test_national_rank_and_red_follow_the_worst_10_percent_of_the_other_42_forces(
    lancashire, raw, populations
):
    totals = raw_totals(raw, quarters_ending(2013, 9), subgroups={"Violence with injury"})
    rates = _rates(totals, populations, 2013)
    del rates[CITY_OF_LONDON]
    ordered = sorted(rates, key=rates.get, reverse=True)
    red_count = math.floor(0.10 * 42)  # 4 of the 42 ranked forces
    row = comparison_build(force=lancashire, period=Period.parse("2013-09")).row(
        "violence-with-injury"
    )
    assert row.national_rank == ordered.index(LANCASHIRE) + 1
    assert row.national_size == 42
    assert row.red_cutoff_rank == red_count
    assert row.is_red == (LANCASHIRE in ordered[:red_count])
    assert {f.code for f in row.forces if f.is_red} == set(ordered[:red_count])
    city = next(f for f in row.forces if f.code == CITY_OF_LONDON)
    assert city.is_excluded and city.national_rank is None and not city.is_red


def test_a_force_outside_the_worst_10_percent_is_not_red(lancashire, raw, populations):
    totals = raw_totals(raw, quarters_ending(2013, 9), subgroups={"Possession of drugs"})
    rates = _rates(totals, populations, 2013)
    del rates[CITY_OF_LONDON]
    rank = sorted(rates, key=rates.get, reverse=True).index(LANCASHIRE) + 1
    row = comparison_build(force=lancashire, period=Period.parse("2013-09")).row(
        "possession-of-drugs"
    )
    assert rank > 4
    assert row.national_rank == rank
    assert not row.is_red


def test_red_rule_settings_change_threshold_direction_and_exclusions(
    lancashire, raw, populations, settings
):
    settings.PERFORMANCE_RED_THRESHOLD = 0.25
    settings.PERFORMANCE_RED_DIRECTION = "lower"
    settings.PERFORMANCE_RED_EXCLUDED_FORCES = []
    totals = raw_totals(raw, quarters_ending(2013, 9), subgroups={"Possession of drugs"})
    rates = _rates(totals, populations, 2013)
    lowest = sorted(rates, key=rates.get)
    cutoff = math.floor(0.25 * 43)
    row = comparison_build(force=lancashire, period=Period.parse("2013-09")).row(
        "possession-of-drugs"
    )
    assert row.national_size == 43
    assert row.red_cutoff_rank == cutoff
    assert {f.code for f in row.forces if f.is_red} == set(lowest[:cutoff])


def test_group_rate_is_population_weighted_and_excludes_the_force(
    lancashire, official_group, raw, populations
):
    totals = raw_totals(raw, quarters_ending(2013, 9), subgroups={"Domestic burglary"})
    expected = sum(totals[c] for c in GROUP) / sum(populations[c, 2013] for c in GROUP) * 1000
    comparison = comparison_build(force=lancashire, period=Period.parse("2013-09"))
    row = comparison.row("domestic-burglary")
    assert not comparison.group.is_computed
    assert [m.code for m in comparison.group.members] == GROUP
    assert row.group_count == sum(totals[c] for c in GROUP)
    assert row.group_rate == pytest.approx(expected)
    assert comparison.rule.group_includes_force is False


def test_group_rate_can_include_the_force(lancashire, official_group, raw, populations, settings):
    settings.PERFORMANCE_GROUP_INCLUDES_FORCE = True
    members = [*GROUP, LANCASHIRE]
    totals = raw_totals(raw, quarters_ending(2013, 9), subgroups={"Domestic burglary"})
    expected = sum(totals[c] for c in members) / sum(populations[c, 2013] for c in members)
    row = comparison_build(force=lancashire, period=Period.parse("2013-09")).row(
        "domestic-burglary"
    )
    assert row.group_rate == pytest.approx(expected * 1000)


def test_rank_in_group_counts_the_force_and_its_group(lancashire, official_group, raw, populations):
    totals = raw_totals(raw, quarters_ending(2013, 9), subgroups={"Criminal damage"})
    rates = _rates(totals, populations, 2013)
    ranked = sorted([*GROUP, LANCASHIRE], key=rates.get, reverse=True)
    row = comparison_build(force=lancashire, period=Period.parse("2013-09")).row("criminal-damage")
    assert (row.rank_in_group, row.group_size) == (ranked.index(LANCASHIRE) + 1, 7)


def test_significance_uses_byars_interval_around_the_force_rate(
    lancashire, official_group, raw, populations
):
    totals = raw_totals(raw, quarters_ending(2013, 9), subgroups={"Rape offences"})
    observed, population = totals[LANCASHIRE], populations[LANCASHIRE, 2013]
    group = sum(totals[c] for c in GROUP) / sum(populations[c, 2013] for c in GROUP) * 1000
    lower = observed * (1 - 1 / (9 * observed) - Z / (3 * math.sqrt(observed))) ** 3
    upper = (observed + 1) * (1 - 1 / (9 * (observed + 1)) + Z / (3 * math.sqrt(observed + 1))) ** 3
    lower, upper = lower / population * 1000, upper / population * 1000
    expected = "higher" if group < lower else "lower" if group > upper else "not_significant"
    row = comparison_build(force=lancashire, period=Period.parse("2013-09")).row("rape-offences")
    assert (row.ci_lower, row.ci_upper) == (pytest.approx(lower), pytest.approx(upper))
    assert row.significance == expected


def test_change_on_the_previous_12_months(lancashire, raw):
    now = raw_totals(raw, quarters_ending(2014, 9), subgroups={"Shoplifting"})[LANCASHIRE]
    before = raw_totals(raw, quarters_ending(2013, 9), subgroups={"Shoplifting"})[LANCASHIRE]
    row = comparison_build(force=lancashire, period=Period.parse("2014-09")).row("shoplifting")
    assert (row.previous_count, row.change) == (before, now - before)
    assert row.change_percent == pytest.approx((now - before) / before * 100)


def test_no_change_is_computed_when_the_previous_12_months_are_not_covered(lancashire):
    row = comparison_build(force=lancashire, period=Period.parse("2013-09")).row("shoplifting")
    assert row.is_complete
    assert row.previous_count is None and row.change is None


def test_october_2013_is_incomplete_with_quarterly_data_and_points_to_september(lancashire):
    comparison = comparison_build(force=lancashire, period=Period.parse("2013-10"))
    assert comparison.rows
    assert all(row.status == RowStatus.INCOMPLETE for row in comparison.rows)
    assert all(row.count is None and row.rate is None for row in comparison.rows)
    assert comparison.nearest_complete_period == Period.parse("2013-09")
    assert comparison.nearest_complete_period.label == "12 months ending September 2013"


def test_a_category_not_recorded_for_the_whole_period_is_incomplete(lancashire):
    # "Stalking and harassment" was first recorded as a subgroup in 2013/14.
    row = comparison_build(force=lancashire, period=Period.parse("2013-09")).row(
        "stalking-and-harassment"
    )
    assert row.status == RowStatus.INCOMPLETE
    assert "whole period" in row.status_note
    later = comparison_build(force=lancashire, period=Period.parse("2014-03")).row(
        "stalking-and-harassment"
    )
    assert later.is_complete


def test_population_falls_back_to_the_latest_earlier_year_and_says_so(lancashire, raw, populations):
    Population.objects.filter(year=2013).delete()
    comparison = comparison_build(force=lancashire, period=Period.parse("2013-09"))
    totals = raw_totals(raw, quarters_ending(2013, 9), subgroups={"Arson"})
    assert comparison.population_year == 2012
    assert "latest available" in comparison.population_year_note
    row = comparison.row("arson")
    assert row.rate == pytest.approx(totals[LANCASHIRE] / populations[LANCASHIRE, 2012] * 1000)


def test_the_comparison_survives_a_round_trip_through_json(lancashire, official_group):
    comparison = comparison_build(force=lancashire, period=Period.parse("2013-09"))
    data = json.loads(json.dumps(comparison.to_dict()))
    again = Comparison.from_dict(data)
    assert again == comparison
    assert data["rule"]["red_threshold"] == 0.10
    assert data["rule"]["red_excluded_forces"] == [CITY_OF_LONDON]
    assert data["population_year"] == 2013
    assert [m["code"] for m in data["group"]["members"]] == GROUP
    assert data["group"]["source"] == "Test iQuanta list"
    assert data["period"]["end"] == "2013-09"


def test_the_computed_group_is_used_and_labelled_when_none_is_entered(lancashire):
    comparison = comparison_build(force=lancashire, period=Period.parse("2013-09"))
    assert comparison.group.is_computed
    assert "Computed" in comparison.group.label
    assert "not a Home Office" in comparison.group.label
    assert len(comparison.group.members) == 7

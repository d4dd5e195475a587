"""A change, a trend point or a rank across a change of offence definition is marked, and the
previous 12 months are recomputed on the current definition where code-level figures exist.

Harassment (8L, 8M) was counted under "Violence without injury" in 2012/13 and under
"Stalking and harassment" from 2013/14. Expected figures come from the raw files."""

import io
import json

import pytest
from django.core.management import call_command

from performance.comparison import Comparison
from performance.models import Force, OffenceDefinition
from performance.periods import Period
from performance.selectors.comparison import comparison_build

from .raw import (
    LANCASHIRE,
    quarters_ending,
    raw_code_totals,
    raw_detailed,
    raw_quarterly,
    raw_totals,
)

VWI = "Violence without injury"
HARASSMENT = {"8L", "8M"}
MIXED_ENDS = ["2013-06", "2013-09", "2013-12"]
RECOMPUTED_ENDS = ["2014-03", "2014-06", "2014-09", "2014-12"]


@pytest.fixture(scope="module")
def raw():
    return raw_quarterly()


@pytest.fixture(scope="module")
def detailed():
    return raw_detailed()


def _vwi(period: str, force: Force):
    return comparison_build(force=force, period=Period.parse(period)).row("violence-without-injury")


def test_the_definitions_of_each_year_are_kept_from_the_long_table(lancashire):
    def held(code, year):
        return set(
            OffenceDefinition.objects.filter(code=code, financial_year=year).values_list(
                "subgroup__name", flat=True
            )
        )

    assert held("8L", 2012) == {VWI}
    assert held("8L", 2013) == {"Stalking and harassment"}
    assert held("8M", 2022) == {"Stalking and harassment"}


def test_loading_the_reference_data_again_adds_no_definition(lancashire):
    from performance import services

    before = OffenceDefinition.objects.count()
    services.reference_data_load()
    assert OffenceDefinition.objects.count() == before


def test_reference_data_without_crime_still_has_the_definitions(reference):
    assert OffenceDefinition.objects.filter(code="8L", financial_year=2012).exists()


def test_violence_without_injury_to_march_2014_is_compared_on_the_2013_14_definition(
    lancashire, raw, detailed
):
    current = raw_totals(raw, quarters_ending(2014, 3), subgroups={VWI})[LANCASHIRE]
    recorded = raw_totals(raw, quarters_ending(2013, 3), subgroups={VWI})[LANCASHIRE]
    moved = raw_code_totals(detailed, quarters_ending(2013, 3), subgroup=VWI, codes=HARASSMENT)
    row = _vwi("2014-03", lancashire)
    assert current - recorded < 0 < current - (recorded - moved)  # as recorded it fell
    assert row.previous_count == recorded - moved
    assert row.change == current - (recorded - moved)
    assert row.like_for_like
    assert row.previous_basis == "recomputed on the 2013/14 definition"
    assert "Harassment (8L)" in row.definition_change
    assert "(8M) moved from Violence without injury to Stalking and harassment" in (
        row.definition_change
    )
    assert row.definition_change.endswith("from April 2013.")


def test_stalking_and_harassment_gets_a_previous_year_on_its_own_definition(lancashire, detailed):
    moved = raw_code_totals(detailed, quarters_ending(2013, 3), subgroup=VWI, codes=HARASSMENT)
    row = comparison_build(force=lancashire, period=Period.parse("2014-03")).row(
        "stalking-and-harassment"
    )
    assert row.previous_count == moved
    assert row.like_for_like


def test_every_period_ending_june_2013_to_december_2014_is_marked_or_recomputed(lancashire):
    for end in MIXED_ENDS:
        row = _vwi(end, lancashire)
        assert not row.like_for_like, end
        assert row.definition_change.startswith("The 12 months mix two definitions."), end
    for end in RECOMPUTED_ENDS:
        row = _vwi(end, lancashire)
        assert row.like_for_like and row.previous_basis, end
    for end in ("2013-03", "2015-03"):
        row = _vwi(end, lancashire)
        assert row.like_for_like and not row.definition_change and not row.previous_basis


def test_a_force_without_code_level_figures_is_marked_not_like_for_like(lancashire, raw):
    cumbria = Force.objects.get(name="Cumbria")
    row = _vwi("2014-03", cumbria)
    recorded = raw_totals(raw, quarters_ending(2013, 3), subgroups={VWI})[cumbria.code]
    assert row.previous_count == recorded  # as recorded: nothing to recompute it from
    assert not row.like_for_like
    assert not row.previous_basis
    assert row.definition_change.startswith(
        "The change on the previous 12 months spans a change of definition."
    )


def test_a_move_inside_a_group_leaves_the_group_like_for_like(lancashire):
    comparison = comparison_build(force=lancashire, period=Period.parse("2013-09"))
    for slug in ("violence-against-the-person-group", "total-recorded-crime-excluding-fraud"):
        row = comparison.row(slug)
        assert row.like_for_like and not row.definition_change, slug


def test_the_flags_survive_a_round_trip_and_old_frozen_data_still_loads(lancashire):
    comparison = comparison_build(force=lancashire, period=Period.parse("2014-03"))
    data = json.loads(json.dumps(comparison.to_dict()))
    again = Comparison.from_dict(data)
    assert again.row("violence-without-injury") == comparison.row("violence-without-injury")
    for row in data["rows"]:  # as frozen before these fields existed (schema 1)
        for key in ("like_for_like", "definition_change", "previous_basis"):
            row.pop(key)
        row.pop("is_comparable")
        row.pop("comparability_note")
    old = Comparison.from_dict(data).row("violence-without-injury")
    assert old.like_for_like and old.definition_change == "" and old.is_comparable


def _compare(*options: str) -> str:
    out = io.StringIO()
    call_command("compare", "--force", "Lancashire", "--period", "2014-03", *options, stdout=out)
    return out.getvalue()


def test_compare_json_carries_like_for_like_per_category(lancashire):
    rows = {row["category_slug"]: row for row in json.loads(_compare("--format", "json"))["rows"]}
    assert rows["violence-without-injury"]["like_for_like"] is True
    assert rows["violence-without-injury"]["change"] == 874
    assert "Harassment (8L)" in rows["violence-without-injury"]["definition_change"]
    assert rows["robbery-of-personal-property"]["definition_change"] == ""


def test_compare_table_and_csv_show_it(lancashire):
    table = _compare("--format", "table")
    assert "recomputed on the 2013/14 definition" in table
    assert "Harassment (8L)" in table
    text = _compare("--format", "csv")
    assert "Like for like" in text.splitlines()[4]
    assert "recomputed on the 2013/14 definition" in text


def test_the_dashboard_marks_the_rows_across_a_change(lancashire, viewer_client):
    from django.urls import reverse

    from .raw import text_of

    page = text_of(
        viewer_client.get(
            reverse("performance:dashboard"), {"force": LANCASHIRE, "month": 9, "year": 2013}
        )
    )
    assert "The 12 months mix two definitions. Harassment (8L)" in page


def test_the_trend_marks_the_periods_across_a_change_with_the_sentence(lancashire, viewer_client):
    from django.urls import reverse

    from .raw import text_of

    response = viewer_client.get(
        reverse("performance:category-detail", args=["violence-without-injury"]),
        {"force": LANCASHIRE, "month": 3, "year": 2015},
    )
    marked = {p.period.key for p in response.context["trend"] if not p.like_for_like}
    assert marked == {"2013-03", *MIXED_ENDS}
    page = text_of(response)
    assert "The 12 months mix two definitions. Harassment (8L)" in page
    assert "Counted on the definition before this change." in page


def test_a_category_without_definitions_is_like_for_like_everywhere(lancashire):
    comparison = comparison_build(force=lancashire, period=Period.parse("2013-09"))
    robbery = comparison.row("robbery-of-personal-property")
    assert robbery.like_for_like and not robbery.definition_change

"""Which codes moved between subgroups, worked out from plain rows (no database)."""

from performance.definitions import Definitions, financial_year_of, first_month

VWI, SH, HOMICIDE = 1, 2, 3
ROWS = [
    (2012, VWI, "Violence without injury", "8L", "Harassment"),
    (2012, VWI, "Violence without injury", "8M", "Racially or religiously aggravated harassment"),
    (2013, SH, "Stalking and harassment", "8L", "Harassment (outcomes only)"),
    (2013, SH, "Stalking and harassment", "8M", "Racially or religiously aggravated harassment"),
    (2013, SH, "Stalking and harassment", "8Q", "Stalking"),  # new: not a move
    (2012, HOMICIDE, "Homicide", "1", "Murder"),
    (2013, HOMICIDE, "Homicide", "1", "Murder"),
]


def test_a_code_held_under_another_subgroup_the_next_year_is_a_move():
    (change,) = Definitions(ROWS).changes
    assert change.financial_year == 2013
    assert change.month == first_month(2013)
    assert change.sentence == (
        "Harassment (8L) and Racially or religiously aggravated harassment (8M) moved from "
        "Violence without injury to Stalking and harassment from April 2013."
    )


def test_a_move_affects_either_side_but_not_a_total_of_both():
    (change,) = Definitions(ROWS).changes
    assert change.affects([VWI]) and change.affects([SH])
    assert not change.affects([VWI, SH]) and not change.affects([HOMICIDE])


def test_a_year_missing_between_two_says_nothing_moved():
    rows = [row for row in ROWS if row[0] == 2012] + [
        (2014, SH, "Stalking and harassment", "8L", "Harassment")
    ]
    assert not Definitions(rows).changes


def test_the_previous_year_is_recomputed_by_the_codes_that_moved_only():
    definitions = Definitions(ROWS)
    june_2012 = 2012 * 12 + 5
    counts = [(VWI, "8L", june_2012, 100), (VWI, "8M", june_2012, 3), (HOMICIDE, "1", june_2012, 2)]
    assert definitions.adjustment(base_ids=[VWI], on_year=2013, counts=counts) == -103
    assert definitions.adjustment(base_ids=[SH], on_year=2013, counts=counts) == 103
    assert definitions.adjustment(base_ids=[VWI, SH], on_year=2013, counts=counts) == 0
    assert definitions.adjustment(base_ids=[HOMICIDE], on_year=2013, counts=counts) == 0


def test_financial_years_start_in_april():
    assert financial_year_of(2013 * 12 + 2) == 2012  # March 2013
    assert financial_year_of(2013 * 12 + 3) == 2013  # April 2013

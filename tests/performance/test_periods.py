"""Period arithmetic: 12-month periods, financial quarters, month labels."""

import datetime as dt

import pytest

from performance.periods import (
    Period,
    financial_quarter_months,
    month_end,
    month_start,
    parse_financial_year,
)


def test_twelve_months_ending_october_2013_run_from_november_2012():
    period = Period.ending(2013, 10)
    assert period.start == dt.date(2012, 11, 1)
    assert period.end == dt.date(2013, 10, 31)
    assert period.label == "12 months ending October 2013"
    assert period.key == "2013-10"


def test_previous_period_is_the_twelve_months_before():
    previous = Period.parse("2013-09").previous()
    assert (previous.start, previous.end) == (dt.date(2011, 10, 1), dt.date(2012, 9, 30))


def test_a_period_ending_in_february_of_a_leap_year_ends_on_the_29th():
    assert Period.ending(2016, 2).end == dt.date(2016, 2, 29)
    assert Period.ending(2015, 2).end == dt.date(2015, 2, 28)


def test_a_period_ending_in_december_starts_in_january_of_the_same_year():
    period = Period.parse("2013-12")
    assert period.start == dt.date(2013, 1, 1)


@pytest.mark.parametrize("text", ["2013", "2013-13", "13-2013", "", "2013/09"])
def test_a_badly_written_period_is_refused(text):
    with pytest.raises(ValueError):
        Period.parse(text)


@pytest.mark.parametrize(
    ("quarter", "first", "last"),
    [
        (1, dt.date(2012, 4, 1), dt.date(2012, 6, 30)),
        (2, dt.date(2012, 7, 1), dt.date(2012, 9, 30)),
        (3, dt.date(2012, 10, 1), dt.date(2012, 12, 31)),
        (4, dt.date(2013, 1, 1), dt.date(2013, 3, 31)),
    ],
)
def test_financial_quarters_of_2012_13_run_april_to_march(quarter, first, last):
    start, end = financial_quarter_months(parse_financial_year("2012/13"), quarter)
    assert (month_start(start), month_end(end)) == (first, last)


@pytest.mark.parametrize("text", ["2012/13", " 2012/13 ", "2012-13", "2012/2013"])
def test_financial_years_are_read_however_written(text):
    assert parse_financial_year(text) == 2012


@pytest.mark.parametrize("text", ["2012/14", "2012", "12/13", "2012/2014"])
def test_a_financial_year_whose_years_do_not_follow_is_refused(text):
    with pytest.raises(ValueError):
        parse_financial_year(text)


def test_a_fifth_quarter_is_refused():
    with pytest.raises(ValueError):
        financial_quarter_months(2012, 5)

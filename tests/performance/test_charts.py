"""Charts are pure functions of plain data: deterministic, accessible SVG."""

import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from performance.charts import (
    ChartBar,
    TrendPoint,
    comparison_chart_svg,
    comparison_chart_text,
    trend_chart_svg,
)

BARS = [
    ChartBar("Lancashire", 7.4, is_subject=True, in_group=False, is_red=True),
    ChartBar("Merseyside", 6.1, in_group=True),
    ChartBar("Cumbria", 5.2, in_group=True),
    ChartBar("Kent", 6.9, is_red=True),
    ChartBar("Dorset", 3.1),
    ChartBar("London, City of", 30.0, is_excluded=True),
]


def _chart(**kwargs) -> str:
    return comparison_chart_svg(
        BARS, title="Violence with injury", chart_id="vwi", group_rate=5.7, red_from=6.9, **kwargs
    )


def test_the_same_data_give_the_same_svg():
    assert _chart() == _chart()


def test_the_chart_has_a_title_and_a_description_for_assistive_technology():
    svg = _chart()
    assert svg.startswith('<svg role="img" aria-labelledby="vwi-title vwi-desc"')
    assert '<title id="vwi-title">Violence with injury</title>' in svg
    description = re.search(r'<desc id="vwi-desc">(.*?)</desc>', svg).group(1)
    assert "Lancashire (this force) 7.40 (worst 10% nationally)" in description
    assert "Group rate 5.70" in description
    assert "<?xml" not in svg and "<!DOCTYPE" not in svg


def test_text_stays_text_and_worst_10_percent_is_written_not_only_coloured():
    svg = _chart()
    assert "<text" in svg
    assert "worst 10%" in svg
    assert "Worst 10% from 6.90" in svg
    assert "(this force)" in svg


def test_the_chart_shows_the_force_and_its_group_not_other_forces_as_bars():
    svg = _chart()
    assert "Merseyside" in svg and "Cumbria" in svg
    assert "Dorset" not in svg  # in the national strip only, as a mark
    assert "All 5 forces" in svg  # City of London is not ranked


def test_names_are_escaped():
    svg = comparison_chart_svg(
        [ChartBar("<script>alert(1)</script>", 1.0, is_subject=True)],
        title="A & <b>",
        chart_id="x",
    )
    assert "<script>" not in svg
    assert "<b>" not in svg


def test_two_charts_on_one_page_have_different_ids():
    other = comparison_chart_svg(BARS, title="Other", chart_id="other", group_rate=5.7)
    ids = set(re.findall(r'id="([^"]+)"', _chart()))
    assert not ids & set(re.findall(r'id="([^"]+)"', other))


def test_charts_never_load_pyplot():
    _chart()
    assert "matplotlib.pyplot" not in sys.modules


def test_the_text_alternative_gives_the_national_range():
    text = comparison_chart_text(BARS, group_rate=5.7, red_from=6.9)
    assert "All 5 forces ranked range from 3.10 to 7.40." in text


def test_the_trend_chart_marks_red_periods_in_words():
    points = [
        TrendPoint("Mar 2013", 5.0, 4.0, 4.5),
        TrendPoint("Jun 2013", 5.5, 4.1, 4.6, is_red=True),
        TrendPoint("Sep 2013", None),
    ]
    svg = trend_chart_svg(points, subject="Lancashire", chart_id="trend", selected="Jun 2013")
    assert svg == trend_chart_svg(
        points, subject="Lancashire", chart_id="trend", selected="Jun 2013"
    )
    assert "In the worst 10% nationally" in svg
    assert "in 1 period(s): Jun 2013" in svg


# Names come from files and the admin: matplotlib must draw them as they are written.
NAMES = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            r"Knife $\frac{1}{$ crime",
            "$x^2$",
            r"\$5 fraud",
            "$$",
            "$",
            r"a_b^c $\mathrm{",
            "50% of £ & <b>",
            "\x00\x1f",
            "😀 crime",
        ]
    ),
)


@settings(max_examples=25, deadline=None)
@given(category=NAMES, force=NAMES, other=NAMES)
def test_any_category_or_force_name_draws_both_charts(category, force, other):
    bars = [
        ChartBar(force, 7.4, is_subject=True, is_red=True),
        ChartBar(other, 6.1, in_group=True),
        ChartBar("Kent", 3.0),
    ]
    svg = comparison_chart_svg(bars, title=f"{category}: {force}", chart_id="c", group_rate=6.1)
    assert svg.startswith("<svg")
    trend = trend_chart_svg(
        [TrendPoint(f"{other} 2013", 5.0, 4.0, 4.5), TrendPoint("Jun 2013", 5.5, is_red=True)],
        subject=force,
        title=category,
        chart_id="t",
        selected="Jun 2013",
    )
    assert trend.startswith("<svg")


def test_dollar_signs_are_drawn_as_written():
    svg = comparison_chart_svg(
        [ChartBar(r"Knife $\frac{1}{2}$ crime", 1.0, is_subject=True)], title="$5", chart_id="x"
    )
    drawn = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert r"Knife $\frac{1}{2}$ crime (this force)" in drawn
    assert "$5" in drawn

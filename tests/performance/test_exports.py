"""CSV exports neutralise formulas; the compare command prints table, CSV or JSON."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from performance.exports import csv_safe

from .raw import LANCASHIRE


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx"])
def test_text_a_spreadsheet_would_run_is_prefixed(text):
    assert csv_safe(text) == "'" + text


def test_numbers_and_plain_text_are_left_alone():
    assert csv_safe(-12) == -12
    assert csv_safe(3.5) == 3.5
    assert csv_safe("Lancashire") == "Lancashire"
    assert csv_safe(None) == ""


def test_compare_prints_a_table(lancashire, capsys):
    call_command("compare", "--force", "Lancashire", "--period", "2013-09")
    out = capsys.readouterr().out
    assert out.startswith("Lancashire: 12 months ending September 2013")
    assert "Violence with injury" in out
    assert "RED" in out


def test_compare_for_october_2013_names_the_nearest_complete_period(lancashire, capsys):
    call_command("compare", "--force", "Lancashire", "--period", "2013-10")
    assert "the nearest complete period is the 12 months ending September 2013" in (
        capsys.readouterr().out
    )


def test_compare_writes_csv_with_a_row_per_category(lancashire, capsys):
    call_command("compare", "--force", LANCASHIRE, "--period", "2013-09", "--format", "csv")
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    header = rows.index(next(row for row in rows if row and row[0] == "Category"))
    table = rows[header + 1 :]
    by_name = {row[0]: row for row in table}
    assert by_name["Violence with injury"][rows[header].index("Worst 10% (red)")] == "yes"


def test_a_category_named_like_a_formula_is_neutralised_in_the_csv(lancashire, capsys):
    from performance.models import Category

    Category.objects.filter(slug="arson").update(name='=HYPERLINK("http://x")')
    call_command("compare", "--force", LANCASHIRE, "--period", "2013-09", "--format", "csv")
    assert "'=HYPERLINK" in capsys.readouterr().out


def test_compare_writes_json_a_meeting_can_freeze(lancashire, capsys):
    call_command("compare", "--force", "Lancashire", "--period", "2013-09", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert data["force"] == {"code": LANCASHIRE, "name": "Lancashire"}
    assert data["period"]["label"] == "12 months ending September 2013"
    assert data["rule"]["red_threshold"] == 0.1


@pytest.mark.parametrize(
    ("force", "period", "message"),
    [("Atlantis", "2013-09", "Unknown force"), ("Lancashire", "Sept 2013", "YYYY-MM")],
)
def test_compare_refuses_bad_input_with_a_clear_message(lancashire, force, period, message):
    with pytest.raises(CommandError, match=message):
        call_command("compare", "--force", force, "--period", period)

"""One performance table (issue 14): the meeting's performance tab, the note page, the PDF note
and the dashboard print the same comparison with the same columns, wording and figures."""

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from meetings.pdf import note_html
from meetings.selectors.exception_reports import note_performance
from meetings.selectors.note import meeting_note
from meetings.services import exception_reports
from performance.periods import Period
from tests.factories import LONDON, AgendaItemFactory, AttendanceFactory, MeetingFactory

pytestmark = pytest.mark.django_db

COLUMNS = [
    "Category",
    "Crimes",
    "Rate per 1,000",
    "Group rate",
    "Against the group",
    "Rank in group",
    "Rank nationally",
    "Change on previous 12 months",
    "Worst 10%",
]


class _Tables(HTMLParser):
    """The performance tables of a page: each a header row and body rows of cell texts, and
    each cell's attributes."""

    def __init__(self):
        super().__init__()
        self.tables: list[dict] = []
        self._depth = 0  # inside a performance table
        self._row: list | None = None
        self._cell: list | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "perf-table" in (attrs.get("class") or "").split():
            self.tables.append({"head": [], "rows": [], "cells": [], "classes": []})
            self._depth = 1
        elif not self._depth:
            return
        elif tag == "tr":
            self._row = []
            self.tables[-1]["classes"].append(attrs.get("class") or "")
        elif tag in ("th", "td"):
            self._cell = []
            self.tables[-1]["cells"].append((tag, attrs))

    def handle_endtag(self, tag):
        if not self._depth:
            return
        if tag in ("th", "td") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr":
            table = self.tables[-1]
            if not table["head"]:
                table["head"] = self._row
                table["classes"].pop()
            else:
                table["rows"].append(self._row)
            self._row = None
        elif tag == "table":
            self._depth = 0

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _tables(html: str) -> list[dict]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def _category(cell: str) -> str:
    """A row header's category: its footnote mark (a number, numbered among the rows shown)
    taken off."""
    name, _, mark = cell.rpartition(" ")
    return name if mark.isdigit() else cell


def _by_category(table: dict) -> dict[str, list[str]]:
    return {_category(row[0]): row[1 : len(COLUMNS)] for row in table["rows"]}


@pytest.fixture
def four_tables(national, staff, staff_client):
    meeting = MeetingFactory(start=dt.datetime(2013, 12, 23, 14, tzinfo=LONDON))
    AttendanceFactory(meeting=meeting)
    AgendaItemFactory(meeting=meeting, title="Constabulary Performance")
    exception_reports.comparison_freeze(user=staff, meeting=meeting, period=Period.parse("2013-10"))
    frozen = meeting.comparison.comparison
    period = frozen.period
    pages = {
        "meeting tab": staff_client.get(reverse("meetings:comparison", args=[meeting.pk])),
        "note": staff_client.get(meeting.get_absolute_url()),
        "dashboard": staff_client.get(
            reverse("performance:dashboard"),
            {"force": frozen.force.code, "month": period.end.month, "year": period.end.year},
        ),
    }
    assert {name: page.status_code for name, page in pages.items()} == dict.fromkeys(pages, 200)
    html = {name: page.content.decode() for name, page in pages.items()}
    html["PDF"] = note_html(
        note=meeting_note(meeting=meeting),
        signature=None,
        draft=True,
        **note_performance(meeting=meeting, with_chart=False),
    )
    tables = {}
    for name, text in html.items():
        found = _tables(text)
        assert len(found) == 1, name
        tables[name] = found[0]
    return frozen, tables, html


def test_the_four_places_have_the_same_columns_in_the_same_words(four_tables):
    _, tables, _ = four_tables
    for name, table in tables.items():
        assert table["head"][: len(COLUMNS)] == COLUMNS, name
    # The note (web and PDF) says, in one more column, what it does about each row.
    assert tables["note"]["head"][len(COLUMNS) :] == ["In this note"]
    assert tables["PDF"]["head"][len(COLUMNS) :] == ["In this note"]
    assert tables["meeting tab"]["head"] == tables["dashboard"]["head"] == COLUMNS


def test_the_four_places_print_the_same_figures_with_thousands_separators(four_tables):
    frozen, tables, _ = four_tables
    rows = {name: _by_category(table) for name, table in tables.items()}
    big = next(row for row in frozen.rows if row.is_complete and row.count > 9_999)
    red = next(row for row in frozen.rows if row.is_red)
    for row in (big, red):
        cells = rows["meeting tab"][row.category_name]
        for name in ("note", "PDF", "dashboard"):
            assert rows[name][row.category_name] == cells, (name, row.category_name)
    cells = rows["dashboard"][big.category_name]
    assert cells[0] == f"{big.count:,}" and "," in cells[0]
    assert cells[1] == f"{big.rate:,.2f}"
    assert cells[5] == f"{big.national_rank} of {big.national_size}"
    assert rows["dashboard"][red.category_name][-1] == "▲ Worst 10%"
    # Every complete row the note prints is the same in all four.
    for category, cells in rows["note"].items():
        assert rows["PDF"][category] == rows["dashboard"][category] == cells, category


def test_the_rows_are_grouped_alike_and_every_cell_names_its_headers(four_tables):
    _, tables, _ = four_tables
    kinds = {
        name: {
            _category(row[0]): cls for row, cls in zip(table["rows"], table["classes"], strict=True)
        }
        for name, table in tables.items()
    }
    assert any("perf-kind-subgroup" in cls for cls in kinds["PDF"].values())
    for category, cls in kinds["note"].items():
        for name in ("meeting tab", "PDF"):
            assert kinds[name][category] == cls, (name, category)
    for name, table in tables.items():
        header_ids = {attrs["id"] for tag, attrs in table["cells"] if tag == "th"}
        for tag, attrs in table["cells"]:
            assert attrs.get("scope") in ({"col", "row"} if tag == "th" else {None}), name
            if attrs.get("scope") != "col":
                assert set(attrs["headers"].split()) <= header_ids, (name, attrs)


def _table_html(html: str) -> str:
    start = html.index('<table class="perf-table')
    return html[start : html.index("</table>", start)]


def test_the_pdf_table_is_static_and_the_dashboard_links_to_each_category(four_tables):
    frozen, _, html = four_tables
    assert "<a " not in _table_html(html["PDF"])  # not even to the footnotes
    assert "perf-scroll" not in html["PDF"]
    # The frozen figures are not the live category page's: only the dashboard links to it.
    assert 'href="/' not in _table_html(html["meeting tab"])
    link = reverse("performance:category-detail", args=[frozen.rows[0].category_slug])
    assert f'href="{link}?' in _table_html(html["dashboard"])
    # On screen, a table that may be wider than the page scrolls in a labelled region.
    for name in ("meeting tab", "note", "dashboard"):
        before = html[name][: html[name].index('<table class="perf-table')]
        region = before[before.rindex("<div") :]
        assert 'role="region"' in region and 'tabindex="0"' in region, name
        assert "perf-scroll" in region, name


def _include(table, **given) -> str:
    from django.template.loader import render_to_string

    return render_to_string("performance/_comparison_table.html", {"table": table, **given})


def test_the_table_tag_prints_what_the_include_would_then_serves_it_from_the_cache(
    four_tables, monkeypatch
):
    from django.template import engines

    from performance.table import comparison_table
    from performance.templatetags import performance_format

    frozen, _, _ = four_tables
    table = comparison_table(frozen, accounts={row.category_slug: "" for row in frozen.rows})
    tag = engines["django"].from_string(
        "{% load performance_format %}{% performance_table table id=tid links=links "
        "query=query static=static %}"
    )
    for given in (
        {"tid": "note-comparison", "links": False, "query": "", "static": False},
        {"tid": "comparison", "links": True, "query": "force=01&amp;year=2013", "static": False},
        {"tid": "pdf-comparison", "links": False, "query": "", "static": True},
    ):
        expected = _include(
            table,
            id=given["tid"],
            links=given["links"],
            query=given["query"],
            static=given["static"],
        )
        assert tag.render({"table": table, **given}) == expected
    # Once rendered, the same table and arguments are not rendered again.
    rendered = []
    monkeypatch.setattr(
        performance_format,
        "render_to_string",
        lambda *args, **kwargs: rendered.append(args) or _include(**args[1]),
    )
    context = {
        "table": table,
        "tid": "note-comparison",
        "links": False,
        "query": "",
        "static": False,
    }
    first = tag.render(context)
    assert tag.render(context) == first and rendered == []
    # A changed figure is a different table: rendered afresh, never the cached one.
    changed = {**table, "rows": [{**table["rows"][0], "count": "1,234,567"}, *table["rows"][1:]]}
    assert "1,234,567" in tag.render({**context, "table": changed})
    assert len(rendered) == 1

"""Journey 2: staff attach the performance comparison and fill in an exception report; the
Commissioner reviews it and records a conclusion.

Set-up, before the browser starts: the users, the reference meeting of 23 December 2013 and the
shipped performance data (Home Office crime, ONS populations, computed peer groups). The
September meeting of the series, at which the category was already red, is entered through the
browser like everything else, so that the report has a history to show.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from meetings.demo import (
    ITEMS,
    REFERENCE_REPORTS,
    REFERENCE_TITLE,
    REFERENCE_VENUE,
    load_reference_meeting,
)
from performance.services import reference_data_load

from .dates import fill_date

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CATEGORY = "Other sexual offences"
CONCERN = REFERENCE_REPORTS[0]["concern"]
EXPLANATION = (
    "There were a number of national cases which had increased the reporting levels especially "
    "of historic cases and this was to be welcomed."
)
PLAN = "Operation Vanquish"
OWNER = "Lancashire Constabulary"
AIMS = next(plan for entry in REFERENCE_REPORTS for plan in entry["plans"] if plan["name"] == PLAN)[
    "aims"
]
HISTORY = "Red at the September 2013 meeting and still red at this meeting."
COMMENT = (
    "Not yet assured: the Commissioner wants to see the effect of the safeguarding hubs on the "
    "rate before the next meeting."
)


@pytest.fixture
def performance_data(db):
    """The reference meeting and the shipped performance data (a few seconds to load)."""
    load_reference_meeting()
    reference_data_load()


def _tab(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="This meeting").get_by_role(
        "link", name=name, exact=True
    ).click()


def _freeze(page: Page, period: str) -> None:
    page.get_by_label("Period the meeting considered: 12 months ending").fill(period)
    page.get_by_role("button", name="Freeze the comparison into this meeting").click()


def _comparison_row(page: Page, period: str):
    """The category's row in the frozen comparison table of ``period``."""
    table = page.get_by_role("table", name=re.compile(period))
    return table.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=CATEGORY, exact=True)
    )


def _report_entry(page: Page):
    """The entry of the category in the meeting's list of exception reports."""
    return page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name=re.compile(rf"^{CATEGORY}\b"), level=2)
    )


def test_staff_fill_in_an_exception_report_and_the_commissioner_concludes(
    page: Page, axe, sign_in, open_browser, staff, commissioner, performance_data
):
    sign_in(staff)

    # The September meeting of the series: its comparison (12 months ending June 2013) already
    # had the category red.
    page.get_by_role("link", name="New meeting").click()
    expect(page.get_by_role("heading", name="New meeting", level=1)).to_be_visible()
    axe(state="empty form")
    # The December meeting is already there: September is a meeting of the same body.
    page.get_by_label("Body", exact=True).select_option(label=REFERENCE_TITLE)
    fill_date(page, "Date", "2013-09-23")
    page.get_by_label("Start time").fill("14:00")
    page.get_by_label("Venue").fill(REFERENCE_VENUE)
    page.get_by_role("button", name="Create meeting").click()
    expect(page.get_by_role("status")).to_contain_text(f"{REFERENCE_TITLE}, 23 September 2013")
    axe(state="new meeting")
    _tab(page, "Performance")
    expect(page.get_by_text("No comparison is attached to this meeting yet.")).to_be_visible()
    axe(state="no comparison yet")
    _freeze(page, "2013-06")
    expect(page.get_by_role("status")).to_contain_text(
        "Comparison for 12 months ending June 2013 frozen into this meeting."
    )
    expect(page.get_by_role("note")).to_have_count(0)  # June ends a quarter: no nearest period
    expect(
        _comparison_row(page, "12 months ending June 2013").get_by_role("cell").last
    ).to_have_text("▲ Worst 10%")
    axe(state="comparison frozen")

    # The December meeting: staff type the period it considered, 12 months ending October 2013,
    # and freeze the comparison.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Meetings").click()
    page.get_by_role("row", name=re.compile("23 December 2013")).get_by_role(
        "link", name=REFERENCE_TITLE
    ).click()
    expect(page.get_by_role("article").get_by_role("heading", level=1)).to_contain_text(
        "23 December 2013"
    )
    axe(state="the reference meeting")
    _tab(page, "Performance")
    expect(page.get_by_role("heading", name="Attach the comparison")).to_be_visible()
    _freeze(page, "2013-10")
    messages = page.get_by_role("status")
    expect(messages).to_contain_text(
        "Comparison for 12 months ending September 2013 frozen into this meeting."
    )
    expect(messages).to_contain_text(re.compile(r"\d+ exception reports proposed\."))
    proposed = int(re.search(r"(\d+) exception reports proposed", messages.inner_text())[1])
    # The data are quarterly: the page says the nearest complete period is used.
    expect(page.get_by_role("note")).to_contain_text(
        "the data cover whole quarters only, so the nearest complete period, "
        "12 months ending September 2013, is shown."
    )
    expect(
        _comparison_row(page, "12 months ending September 2013").get_by_role("cell").last
    ).to_have_text("▲ Worst 10%")
    axe(state="comparison frozen, nearest complete period")

    # On a phone (390 CSS px) the table is a stacked summary per category, the red marker
    # first, and the page does not scroll sideways.
    wide = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        "the performance tab scrolls sideways at 390 px"
    )
    table = page.get_by_role("table", name=re.compile("12 months ending September 2013"))
    region = page.get_by_role("region", name=re.compile("12 months ending September 2013"))
    assert region.evaluate("r => r.scrollWidth <= r.clientWidth"), "the table is cut off"
    row = _comparison_row(page, "12 months ending September 2013")
    header, marker = row.get_by_role("rowheader"), row.get_by_role("cell").last
    expect(marker).to_have_text("▲ Worst 10%")
    assert row.evaluate("r => getComputedStyle(r).display") == "flex"
    assert marker.bounding_box()["y"] < header.bounding_box()["y"], "the marker is not first"
    assert header.bounding_box()["width"] > 300, "not one category per box"
    # Each figure beside its column's name; the column headers are still the cells' headers.
    crimes = row.get_by_role("cell").first
    assert crimes.evaluate("c => getComputedStyle(c, '::before').content").startswith('"Crimes"')
    expect(table.get_by_role("columnheader", name="Crimes")).to_have_count(1)
    expect(page.get_by_text("(scroll sideways for every column)")).to_be_hidden()
    axe(state="the performance tab at 390 px")
    page.set_viewport_size(wide)

    # The proposed exception reports: every red category, this one among them, with its history.
    _tab(page, "Exception reports")
    expect(page.get_by_role("heading", name="Exception reports", level=1)).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Accept the report on "))).to_have_count(
        proposed
    )
    entry = _report_entry(page)
    expect(entry.get_by_role("heading", level=2)).to_contain_text("Proposed")
    expect(entry).to_contain_text(HISTORY)
    axe(state="proposed reports")

    # Accept it and fill it in.
    entry.get_by_role("button", name=f"Accept the report on {CATEGORY}").click()
    expect(
        page.get_by_role("heading", name=f"Exception report: {CATEGORY}", level=1)
    ).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(f"The report on {CATEGORY} will be made.")
    expect(page.get_by_text(HISTORY)).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"^Frozen figures: \d+ crimes, rate \d+\.\d\d per 1,000"))
    ).to_be_visible()
    axe(state="accepted, empty")
    page.get_by_label("The Commissioner's concern").fill(CONCERN)
    page.get_by_label("The force's explanation").fill(EXPLANATION)
    page.get_by_label("Discussed under the item").select_option(label=ITEMS[0])
    page.get_by_role("button", name="Save the report").click()
    expect(page.get_by_role("status")).to_have_text(f"Exception report on {CATEGORY} saved.")
    entry = _report_entry(page)
    expect(entry.get_by_role("heading", level=2)).to_contain_text("To be reported")
    expect(entry.get_by_role("button", name=re.compile("^Accept"))).to_have_count(0)
    axe(state="one report accepted and filled in")

    # Its action plan, with three aims, numbered 1 to 3 in the order given.
    entry.get_by_role("link", name=f"Fill in the report on {CATEGORY}").click()
    expect(page.get_by_label("The Commissioner's concern")).to_have_value(CONCERN)
    expect(page.get_by_label("The force's explanation")).to_have_value(EXPLANATION)
    expect(
        page.get_by_label("Discussed under the item").get_by_role("option", name=ITEMS[0])
    ).to_have_js_property("selected", True)
    page.get_by_label("Name").fill(PLAN)
    page.get_by_label("Owner").fill(OWNER)
    page.get_by_label("Aims").fill("\n".join(AIMS))
    page.get_by_role("button", name="Add the action plan").click()
    expect(page.get_by_role("heading", name=f"Action plan: {PLAN}", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(f"Action plan {PLAN} added.")
    aims = page.get_by_role("region", name="Aims").get_by_role("list")
    assert aims.evaluate("list => list.tagName") == "OL"
    expect(aims.get_by_role("listitem")).to_have_text(
        [re.compile(rf"^\s*{re.escape(aim)}") for aim in AIMS]
    )
    for number in (1, 2, 3):
        expect(
            aims.get_by_role("listitem")
            .nth(number - 1)
            .get_by_role("link", name=f"Delete aim {number}")
        ).to_be_visible()
    axe(state="the plan and its three aims")
    page.get_by_role("link", name=CATEGORY, exact=True).click()
    plans = page.get_by_role("region", name="Action plans")
    expect(plans.get_by_role("heading", level=3)).to_have_text(
        [f"{PLAN} ({OWNER})", "Add an action plan"]
    )
    expect(plans.get_by_role("list").first.get_by_role("listitem")).to_have_text(AIMS)
    axe(state="the report with its plan")

    # The Commissioner, in their own browser, reviews the report: its history, its frozen
    # figures and chart, the concern, the force's explanation and the plan.
    review = open_browser()
    review.sign_in(commissioner)
    review.page.get_by_role("navigation", name="Main").get_by_role("link", name="Review").click()
    expect(
        review.page.get_by_role(
            "heading", name="The Commissioner's review of exception reports", level=1
        )
    ).to_be_visible()
    report = review.page.get_by_role(
        "region", name=re.compile(rf"^{CATEGORY} – {REFERENCE_TITLE}, 23 December 2013")
    )
    expect(report).to_contain_text(HISTORY)
    expect(report.get_by_role("img")).to_have_accessible_name(
        re.compile(r"^Rates per 1,000 population: Lancashire \(this force\) \d+\.\d\d")
    )
    figures = report.get_by_role("table", name=f"{CATEGORY}, 12 months ending September 2013")
    expect(figures.get_by_role("rowheader")).to_have_text(
        [
            "Lancashire rate",
            "Group rate",
            "Rank in group",
            "Rank nationally",
            "Change on previous 12 months",
        ]
    )
    expect(figures.get_by_role("row", name="Rank nationally")).to_contain_text(re.compile(r"of 42"))
    expect(report.get_by_role("heading", level=3)).to_have_text(
        ["The Commissioner's concern", "The force's explanation", f"Action plan: {PLAN}"]
    )
    expect(report.get_by_role("paragraph").filter(has_text=CONCERN)).to_be_visible()
    expect(report.get_by_role("paragraph").filter(has_text=EXPLANATION)).to_be_visible()
    expect(report.get_by_role("listitem")).to_have_text(AIMS)
    review.axe(state="one report to review")

    # "Not assured" needs a comment: without one, the error summary takes the focus.
    report.get_by_role("link", name=f"Record a conclusion on {CATEGORY}").click()
    expect(
        review.page.get_by_role("heading", name=f"Conclusion on {CATEGORY}", level=1)
    ).to_be_visible()
    review.axe(state="empty conclusion form")
    review.page.get_by_role("radio", name="Not assured").check()
    review.page.get_by_role("checkbox", name="Ask for this category to return").check()
    review.page.get_by_role("button", name="Record the conclusion").click()
    summary = review.page.get_by_role("alert", name="There is a problem")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(["Say why the Commissioner is not assured."])
    expect(review.page).to_have_title(re.compile(rf"^Error: Conclusion on {CATEGORY}"))
    expect(review.page.get_by_role("radio", name="Not assured")).to_be_checked()
    expect(
        review.page.get_by_role("checkbox", name="Ask for this category to return")
    ).to_be_checked()
    expect(review.page.get_by_label("Comments")).to_have_attribute("aria-invalid", "true")
    review.axe(state="form showing errors")

    summary.get_by_role("link", name="Say why the Commissioner is not assured.").click()
    expect(review.page.get_by_label("Comments")).to_be_focused()
    review.page.get_by_label("Comments").fill(COMMENT)
    review.page.get_by_role("button", name="Record the conclusion").click()
    expect(review.page.get_by_role("status")).to_have_text(f"Conclusion on {CATEGORY} recorded.")
    expect(report).to_contain_text(
        re.compile(
            rf"Conclusion: Not assured \({commissioner.get_username()}, \w+day, \d{{1,2}} \w+ "
            rf"\d{{4}}\): {re.escape(COMMENT)} To return\."
        )
    )
    expect(report.get_by_role("link", name=f"Change the conclusion on {CATEGORY}")).to_be_visible()
    review.axe(state="conclusion recorded")

    # Staff see the conclusion on the meeting's list of reports.
    page.get_by_role("link", name="Back to the reports").click()
    expect(_report_entry(page).get_by_role("heading", level=2)).to_contain_text("Not assured")
    axe(state="report concluded")

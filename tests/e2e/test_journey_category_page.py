"""Journey: staff open a category from the performance dashboard, at 1366 and 390 CSS px wide.

The category page holds two wide tables (the group's rates and every period's trend). Each
scrolls sideways inside its own labelled region, never the page, and neither is cut off: the
whole trend is in the page's flow, with no scroll box hiding rows.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from meetings.demo import load_reference_meeting
from performance.services import reference_data_load

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTHS = [1366, 390]
CATEGORY = "Domestic burglary"


@pytest.fixture
def performance_data(db):
    load_reference_meeting()
    reference_data_load()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_category_page_fits_the_screen_and_shows_every_period(
    page: Page, axe, sign_in, staff, performance_data, width
):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(staff)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Performance").click()
    axe(state="the dashboard")
    page.get_by_role("main").get_by_role("link", name=CATEGORY, exact=True).first.click()
    expect(page.get_by_role("heading", name=CATEGORY, level=1)).to_be_visible()

    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        f"the category page scrolls sideways at {width} px"
    )
    for caption in ("Rates per 1,000, ", "Rate per 1,000 for each 12 months"):
        region = page.get_by_role("region", name=caption)
        expect(region).to_have_attribute("tabindex", "0")
        expect(region.get_by_role("table")).to_be_visible()
        # Scrolls sideways, perhaps; never clips rows.
        assert region.evaluate("r => r.scrollHeight <= r.clientHeight + 1"), caption
    trend = page.get_by_role("table", name="Rate per 1,000 for each 12 months")
    last = trend.get_by_role("row").last
    last.scroll_into_view_if_needed()
    expect(last).to_be_in_viewport()
    hint = page.get_by_text("(scroll sideways for every column)").first
    expect(hint).to_be_visible() if width < 768 else expect(hint).to_be_hidden()
    axe(state=f"the category page at {width} px")

"""Performance pages are built to pass WCAG 2.2 AA checks: headings in order, labelled
controls, tables with captions and scoped headers, charts with titles, unique ids.

(The browser tests run axe itself; these catch the same mistakes without a browser.)
"""

from collections import Counter
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from .raw import LANCASHIRE, lines, upload


class Structure(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.ids: list[str] = []
        self.labels: set[str] = set()
        self.controls: list[dict] = []
        self.tables = 0
        self.captions = 0
        self.th_without_scope: list[dict] = []
        self.svgs: list[dict] = []
        self.images: list[dict] = []
        self.svg_titles = 0
        self._svg_depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.headings.append(int(tag[1]))
        elif tag == "label" and "for" in attrs:
            self.labels.add(attrs["for"])
        elif tag in {"input", "select", "textarea"}:
            if attrs.get("type") not in {"hidden", "submit", "button"}:
                self.controls.append(attrs)
        elif tag == "table":
            self.tables += 1
        elif tag == "caption":
            self.captions += 1
        elif tag == "th" and "scope" not in attrs:
            self.th_without_scope.append(attrs)
        elif tag == "img":
            self.images.append(attrs)
        elif tag == "svg":
            if self._svg_depth == 0:
                self.svgs.append(attrs)
            self._svg_depth += 1
        elif tag == "title" and self._svg_depth:
            self.svg_titles += 1

    def handle_endtag(self, tag):
        if tag == "svg":
            self._svg_depth -= 1


def check(response) -> Structure:
    assert response.status_code == 200
    page = Structure()
    page.feed(response.content.decode())
    assert page.headings.count(1) == 1, page.headings
    assert page.headings[0] == 1
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1, f"heading level skipped: {page.headings}"
    duplicates = [i for i, n in Counter(page.ids).items() if n > 1]
    assert not duplicates, duplicates
    for control in page.controls:
        assert (
            control.get("id") in page.labels
            or control.get("aria-label")
            or control.get("aria-labelledby")
        ), control
    assert page.captions == page.tables
    assert not page.th_without_scope
    for svg in page.svgs:
        assert svg.get("role") == "img" and svg.get("aria-labelledby"), svg
    assert page.svg_titles >= len(page.svgs)
    for image in page.images:
        assert "alt" in image, image
    return page


@pytest.mark.parametrize("month", [9, 10])
def test_the_dashboard_is_well_structured(lancashire, viewer_client, month):
    check(
        viewer_client.get(
            reverse("performance:dashboard"), {"force": LANCASHIRE, "month": month, "year": 2013}
        )
    )


def test_the_dashboard_with_errors_is_well_structured(lancashire, viewer_client):
    check(viewer_client.get(reverse("performance:dashboard"), {"force": "x", "month": 13}))


def test_the_category_page_is_well_structured(lancashire, viewer_client):
    page = check(
        viewer_client.get(
            reverse("performance:category-detail", args=["violence-with-injury"]),
            {"force": LANCASHIRE, "month": 9, "year": 2013},
        )
    )
    charts = [i for i in page.images if i["src"].startswith("data:image/svg+xml;base64,")]
    assert len(charts) == 2
    assert all(len(chart["alt"]) > 50 for chart in charts)


def test_the_import_pages_are_well_structured(
    lancashire, importer_client, django_capture_on_commit_callbacks
):
    from jobs.models import Job

    check(importer_client.get(reverse("performance:import-upload")))
    check(importer_client.get(reverse("performance:import-list")))
    with django_capture_on_commit_callbacks(execute=True):  # the check's job, in-process
        bad = importer_client.post(
            reverse("performance:import-upload"),
            {
                "kind": "monthly",
                "file": upload("x.csv", lines("force,month,category,count", "x,y,z,1")),
            },
        )
    check(importer_client.get(bad["Location"]))  # the job's page, listing the problems
    with django_capture_on_commit_callbacks(execute=True):
        importer_client.post(
            reverse("performance:import-upload"),
            {
                "kind": "monthly",
                "file": upload(
                    "x.csv", lines("force,month,category,count", "Lancashire,2013-10,Arson,3")
                ),
            },
        )
    check(importer_client.get(Job.objects.latest("pk").result_url))

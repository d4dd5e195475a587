"""Narrative is Markdown rendered then sanitised: HTML and script typed into it are harmless."""

import pytest

from meetings.narrative import render_markdown

PAYLOADS = [
    "<script>alert('x')</script>",
    '<img src="x" onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    '<div onclick="alert(1)">text</div>',
    '<iframe src="https://evil.example"></iframe>',
    "<svg onload=alert(1)>",
    '<a href="https://example.org" onmouseover="alert(1)">x</a>',
    "<style>body{display:none}</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_script_and_event_handlers_never_survive(payload):
    html = render_markdown(f"Before\n\n{payload}\n\nAfter").lower()
    for dangerous in (
        "<script",
        "javascript:",
        "onerror",
        "onclick",
        "onload",
        "onmouseover",
        "<iframe",
        "<style",
        "<svg",
        "style=",
    ):
        assert dangerous not in html
    assert "after" in html


def test_paragraphs_and_numbered_lists_render():
    html = render_markdown("The aims were:\n\n1. Engagement\n2. Prevention\n3. Wildlife Crime")
    assert "<p>The aims were:</p>" in html
    assert html.count("<li>") == 3
    assert "<ol>" in html


def test_sub_headings_sit_below_the_item_heading():
    html = render_markdown("# Rural crime\n\n## Aims")
    assert "<h4>Rural crime</h4>" in html
    assert "<h5>Aims</h5>" in html


def test_a_sub_heading_typed_as_level_three_is_the_next_level_below_the_item():
    html = render_markdown("### Operation Vanquish\n\nText.\n\n##### Its aims")
    assert "<h4>Operation Vanquish</h4>" in html
    assert "<h5>Its aims</h5>" in html  # no level skipped
    assert "<h6" not in html


def test_headings_deeper_than_three_levels_stop_at_h6():
    html = render_markdown("# One\n\n## Two\n\n### Three\n\n#### Four")
    assert [level for level in "456" if f"<h{level}>" in html] == ["4", "5", "6"]
    assert "<h6>Four</h6>" in html and "<h7" not in html


def test_links_keep_safe_schemes_and_gain_rel():
    html = render_markdown("[the plan](https://example.org/plan)")
    assert 'href="https://example.org/plan"' in html
    assert 'rel="noopener noreferrer"' in html


def test_ampersands_and_angle_brackets_are_escaped():
    html = render_markdown("Darwen & Preston, 3 < 5")
    assert "Darwen &amp; Preston, 3 &lt; 5" in html


def test_empty_narrative_renders_nothing():
    assert render_markdown("") == ""

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


def test_links_keep_safe_schemes_and_gain_rel():
    html = render_markdown("[the plan](https://example.org/plan)")
    assert 'href="https://example.org/plan"' in html
    assert 'rel="noopener noreferrer"' in html


def test_ampersands_and_angle_brackets_are_escaped():
    html = render_markdown("Darwen & Preston, 3 < 5")
    assert "Darwen &amp; Preston, 3 &lt; 5" in html


def test_empty_narrative_renders_nothing():
    assert render_markdown("") == ""

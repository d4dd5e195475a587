"""Narrative text: Markdown rendered to HTML, then sanitised by allow-list.

Python-Markdown passes raw HTML through, so sanitising *after* rendering is what makes
narrative safe; the same function serves the web pages and the PDF note.
"""

import functools
import re

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

_TAGS = {
    "p",
    "br",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "a",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "code",
    "pre",
}
_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"scope"}}
_CLEANER = nh3.Cleaner(
    tags=_TAGS,
    attributes=_ATTRIBUTES,
    url_schemes={"https", "http", "mailto"},
    link_rel="noopener noreferrer",
)
_HEADING = re.compile(r"<(/?)h([1-6])\b", re.IGNORECASE)
# Narrative sits under an item heading (h3), so its own headings start at h4.
_HEADING_OFFSET = 3


def _demote(match: re.Match[str]) -> str:
    level = min(int(match.group(2)) + _HEADING_OFFSET, 6)
    return f"<{match.group(1)}h{level}"


@functools.lru_cache(maxsize=4096)
def render_markdown(text: str) -> SafeString:
    """Render narrative Markdown to sanitised HTML safe to put in a page or the PDF.

    A pure function of the text, so the result is kept: a note's page renders dozens of
    fields, and building Markdown's parser is half the cost of each.
    """
    if not text:
        return mark_safe("")
    html = markdown.markdown(text, extensions=["sane_lists", "tables"], output_format="html")
    html = _HEADING.sub(_demote, html)
    return mark_safe(_CLEANER.clean(html))

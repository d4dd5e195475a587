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
# Narrative sits under an item heading (h3): its own headings start at the next level, h4.
_FIRST_LEVEL = 4


def _nested(html: str) -> str:
    """The text's headings one level under the item's, whatever level the writer typed: its
    highest becomes h4, the next h5, the rest h6, so that no level is skipped ("###" alone is
    h4, not h6)."""
    used = sorted({int(level) for _, level in _HEADING.findall(html)})
    levels = {level: min(_FIRST_LEVEL + rank, 6) for rank, level in enumerate(used)}
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{levels[int(m.group(2))]}", html)


@functools.lru_cache(maxsize=4096)
def render_markdown(text: str) -> SafeString:
    """Render narrative Markdown to sanitised HTML safe to put in a page or the PDF.

    A pure function of the text, so the result is kept: a note's page renders dozens of
    fields, and building Markdown's parser is half the cost of each.
    """
    if not text:
        return mark_safe("")
    html = markdown.markdown(text, extensions=["sane_lists", "tables"], output_format="html")
    html = _nested(html)
    return mark_safe(_CLEANER.clean(html))

"""How performance figures are written: 1,234 crimes, 12.34 per 1,000, +5.6%, "3 of 8"."""

import base64

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from scrutiny import cache as keys

register = template.Library()

NONE = "–"


@register.filter
def count(value) -> str:
    return NONE if value is None else f"{value:,}"


@register.filter
def rate(value) -> str:
    return NONE if value is None else f"{value:,.2f}"


@register.filter
def signed(value) -> str:
    """A change with its sign, "+1,234" or "−56" (a real minus sign)."""
    if value is None:
        return NONE
    return f"+{value:,}" if value > 0 else f"\u2212{-value:,}" if value < 0 else "0"


@register.filter
def signed_percent(value) -> str:
    if value is None:
        return NONE
    text = f"{abs(value):,.1f}%"
    return f"+{text}" if value > 0 else f"\u2212{text}" if value < 0 else "0.0%"


@register.simple_tag
def rank(position, size) -> str:
    return NONE if position is None or not size else f"{position} of {size}"


@register.filter
def svg_data_uri(svg: str) -> str:
    """An SVG document as a data: URL for an <img>, so its own styles need no CSP exception."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@register.simple_tag
def comparison_table(comparison):
    """The performance table's data for ``templates/performance/_comparison_table.html``
    (``{% comparison_table comparison as table %}``): inside a cached fragment it is built
    only when the fragment is."""
    from ..table import comparison_table as build

    return build(comparison)


# What ``templates/performance/_comparison_table.html`` reads of its table: the key of its cache.
_TABLE_KEYS = ("title", "red_heading", "has_accounts", "rows", "footnotes")
TABLE_TEMPLATE = "performance/_comparison_table.html"
TABLE_CACHE_SECONDS = 86400


@register.simple_tag
def performance_table(
    table,
    *,
    id: str = "comparison",  # the include's own name for it
    caption: str = "",
    links: bool = False,
    query: str = "",
    static: bool = False,
) -> SafeString:
    """``templates/performance/_comparison_table.html`` for ``table`` (the plain data of
    ``performance.table.comparison_table``, or a dict holding them), as an include of it with
    these arguments prints it, rendered once for the same arguments and data, then served from
    the cache: the table of a large comparison is several hundred cells, 12 ms of the meeting
    page's 36 in Django's templates. The key is a hash of everything the template reads, so a
    changed figure, account or footnote is a new key, never a stale table; the template reads
    nothing else (no request, no user)."""
    given = {
        "table": {name: table.get(name) for name in _TABLE_KEYS},
        "id": id,
        "caption": caption,
        "links": bool(links),
        "query": query if links else "",
        "static": bool(static),
    }
    return keys.html_once(
        "performance-table",
        given,
        lambda: render_to_string(TABLE_TEMPLATE, given),
        timeout=TABLE_CACHE_SECONDS,
    )

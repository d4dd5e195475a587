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


PERIOD_FORM_TEMPLATE = "performance/_period_form.html"
PERIOD_FORM_CACHE_SECONDS = 86400


@register.simple_tag
def period_form(form, action: str, data_version) -> SafeString:
    """``templates/performance/_period_form.html`` for the force-and-period ``form`` of the
    dashboard and the category page, rendered once per data version, address and choice: its
    43 forces, 12 months and a year cost Django's and crispy-forms' templates some 4 ms a
    request (and two queries for the forces). What it shows depends only on the choice (the
    query string's force, month and year, or the defaults) and on the forces, which are
    performance data: a renamed or added force bumps the data version, so it is a new key.
    A choice with errors is rendered each time and never kept (a mistyped year is a key
    nobody asks for again)."""
    if form.is_bound and form.errors:
        return render_to_string(PERIOD_FORM_TEMPLATE, {"form": form, "action": action})
    chosen = form.data if form.is_bound else form.initial
    given = {
        "action": action,
        "data_version": str(data_version),
        "bound": form.is_bound,
        "chosen": {name: str(chosen[name]) for name in form.fields if name in chosen},
    }
    return keys.html_once(
        "period-form",
        given,
        lambda: render_to_string(PERIOD_FORM_TEMPLATE, {"form": form, "action": action}),
        timeout=PERIOD_FORM_CACHE_SECONDS,
    )

"""Charts as SVG text, drawn on the server from plain data, for the page and the PDF note.

Pure functions: the same data give the same bytes (no date in the metadata, ids salted with
the chart's id), so two charts can share a page and tests can compare output. Drawn with
matplotlib's ``Figure`` API (pyplot keeps global state and leaks in a server). Text stays
text (``svg.fonttype: none``) and is drawn as written: names come from files and the admin,
so mathematics (``$…$``) is off and control characters are dropped. Nothing is shown by
colour alone: the force's bar is labelled, worst-10% forces are hatched and marked with a
triangle and the words "worst 10%".
"""

from __future__ import annotations

import dataclasses
import html
import io
import re
import textwrap
import threading
import unicodedata
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from .comparison import ComparisonRow

SUBJECT = "#1d3f6e"  # the force being compared: the portal's navy
PEER = "#5b7fae"  # its group (3:1 or more against white, as graphics need)
RED = "#b00020"
NATIONAL = "#4a4f55"

# rcParams are global to matplotlib; charts are drawn one at a time under this lock.
_LOCK = threading.Lock()


@dataclass(frozen=True)
class ChartBar:
    """One force in a comparison chart."""

    label: str
    value: float | None
    is_subject: bool = False
    in_group: bool = False
    is_red: bool = False
    is_excluded: bool = False


@dataclass(frozen=True)
class TrendPoint:
    """One period in a trend chart: the force's, its group's and the national rate."""

    label: str
    value: float | None
    group_value: float | None = None
    national_value: float | None = None
    is_red: bool = False
    like_for_like: bool = True  # False: counted on another definition than the latest period


def comparison_chart_rows(row: ComparisonRow, *, force_code: str) -> list[ChartBar]:
    """The bars of a comparison row: every force, flagged as the subject, in group, red."""
    return [
        ChartBar(
            label=figure.name,
            value=figure.rate,
            is_subject=figure.code == force_code,
            in_group=figure.in_group,
            is_red=figure.is_red,
            is_excluded=figure.is_excluded,
        )
        for figure in row.forces
    ]


def _fmt(value: float | None) -> str:
    return "no figure" if value is None else f"{value:,.2f}"


def comparison_chart_text(
    rows: Sequence[ChartBar], *, group_rate: float | None = None, red_from: float | None = None
) -> str:
    """The chart in words: its text alternative."""
    shown = [bar for bar in rows if bar.is_subject or bar.in_group]
    national = [bar.value for bar in rows if bar.value is not None and not bar.is_excluded]
    parts = [
        "Rates per 1,000 population: "
        + "; ".join(
            f"{bar.label}{' (this force)' if bar.is_subject else ''} {_fmt(bar.value)}"
            + (" (worst 10% nationally)" if bar.is_red else "")
            for bar in sorted(shown, key=lambda bar: -(bar.value or 0))
        )
        + "."
    ]
    if group_rate is not None:
        parts.append(f"Group rate {_fmt(group_rate)}.")
    if national:
        parts.append(
            f"All {len(national)} forces ranked range from {_fmt(min(national))} to "
            f"{_fmt(max(national))}."
        )
    if red_from is not None:
        parts.append(f"The worst 10% start at {_fmt(red_from)}.")
    return " ".join(parts)


def trend_chart_text(points: Sequence[TrendPoint], *, subject: str) -> str:
    known = [point for point in points if point.value is not None]
    if not known:
        return f"No complete 12-month figures for {subject}."
    first, last = known[0], known[-1]
    red = [point.label for point in known if point.is_red]
    text = (
        f"Rate per 1,000 population for {subject}, 12 months ending {first.label} to "
        f"{last.label}: from {_fmt(first.value)} to {_fmt(last.value)}"
    )
    if last.group_value is not None:
        text += f" (group {_fmt(first.group_value)} to {_fmt(last.group_value)})"
    text += "."
    if red:
        text += f" In the worst 10% nationally in {len(red)} period(s): {', '.join(red)}."
    else:
        text += " Never in the worst 10% nationally in these periods."
    unlike = [point.label for point in known if not point.like_for_like]
    if unlike:
        text += (
            f" Not like for like with the latest period (a change of offence definition) in "
            f"{len(unlike)} period(s): {', '.join(unlike)}."
        )
    return text


def _printable(text: str) -> str:
    """The text without control and other invisible characters: XML allows none of them and
    no font draws them (a tab or a line break becomes a space)."""
    if text.isprintable():
        return text
    return "".join(
        (" " if char.isspace() else "") if unicodedata.category(char)[0] == "C" else char
        for char in text
    )


@contextmanager
def _drawing() -> Iterator[None]:
    """One chart at a time, in the charts' style, with no warning for a character the font
    lacks (the SVG keeps text as text: the browser draws it with a font that has it)."""
    import matplotlib

    with _LOCK, warnings.catch_warnings(), matplotlib.rc_context(_style()):
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from", category=UserWarning)
        yield


def _prefix_ids(svg: str, prefix: str) -> str:
    """Prefix every id (and every reference to one) so that charts can share a page.

    matplotlib numbers its groups figure_1, axes_1 … in every SVG it writes.
    """
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    if not ids:
        return svg
    pattern = re.compile(
        r'(\bid="|url\(#|href="#)('
        + "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
        + r')(?=[")])'
    )
    return pattern.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", svg)


def _svg(figure, *, chart_id: str, title: str, description: str, tight: bool = True) -> str:
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": chart_id}):
        figure.savefig(
            buffer,
            format="svg",
            metadata={"Date": None, "Creator": None},
            bbox_inches="tight" if tight else None,
        )
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]  # no XML declaration or DOCTYPE inside an HTML page
    safe_id = re.sub(r"[^A-Za-z0-9_-]", "-", chart_id)
    svg = _prefix_ids(svg, safe_id)
    accessible = (
        f'<svg role="img" aria-labelledby="{safe_id}-title {safe_id}-desc" '
        f'class="chart-svg" id="{safe_id}"'
    )
    svg = svg.replace("<svg", accessible, 1)
    opening_end = svg.index(">") + 1
    return (
        svg[:opening_end]
        + f'\n <title id="{safe_id}-title">{html.escape(title)}</title>'
        + f'\n <desc id="{safe_id}-desc">{html.escape(description)}</desc>'
        + svg[opening_end:]
    )


def _style() -> dict:
    # Names come from imported files and the admin: "$" starts mathematics in matplotlib, and a
    # name like "Knife $\frac{1}{$ crime" would raise. Every text is drawn as written.
    return {
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "hatch.linewidth": 1.2,
        "text.parse_math": False,
    }


# A chart for print is drawn at the width it is printed (no scaling), so that its smallest text
# is MIN_PRINT_POINTS in print: the A4 note's text is 174 mm wide.
PRINT_WIDTH_INCHES = 6.5
MIN_PRINT_POINTS = 8


def comparison_chart_svg(
    rows: Sequence[ChartBar],
    *,
    title: str = "Rate per 1,000 population",
    chart_id: str = "comparison-chart",
    group_rate: float | None = None,
    red_from: float | None = None,
    for_print: bool = False,
) -> str:
    """Bars for the force and its group, and a strip of every force nationally.

    Worst-10% forces are drawn solid red with a white hatch (so that they still stand out
    printed in black and white) and labelled; the worst-10% threshold and the group's rate
    are drawn as labelled lines. ``for_print`` draws it at the printed width of the PDF note,
    with no text smaller than ``MIN_PRINT_POINTS``.
    """
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    rows = [dataclasses.replace(bar, label=_printable(bar.label)) for bar in rows]
    title = _printable(title)
    shown = sorted(
        (bar for bar in rows if (bar.is_subject or bar.in_group) and bar.value is not None),
        key=lambda bar: (bar.value, bar.label),
    )
    national = [bar for bar in rows if bar.value is not None and not bar.is_excluded]
    small = MIN_PRINT_POINTS + 0.5 if for_print else 8
    with _drawing():
        if for_print:
            figure = Figure(
                figsize=(PRINT_WIDTH_INCHES, 1.9 + 0.25 * len(shown)), layout="constrained"
            )
        else:
            figure = Figure(figsize=(7.5, 1.9 + 0.34 * len(shown)))
        axes = figure.add_subplot()
        positions = list(range(1, len(shown) + 1))
        for y, bar in zip(positions, shown, strict=True):
            axes.barh(
                y,
                bar.value,
                height=0.62,
                color=RED if bar.is_red else SUBJECT if bar.is_subject else PEER,
                edgecolor="#1b1b1b" if bar.is_subject else RED if bar.is_red else "white",
                hatch="///" if bar.is_red else None,
                hatchcolor="white",
                linewidth=1.6 if bar.is_subject else 1.2,
            )
            label = f" {bar.value:,.2f}" + ("  \u25b2 worst 10%" if bar.is_red else "")
            axes.text(
                bar.value,
                y,
                label,
                va="center",
                fontsize=small,
                color=RED if bar.is_red else "#1b1b1b",
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6},
            )
        labels = [f"{bar.label} (this force)" if bar.is_subject else bar.label for bar in shown]
        strip_y = 0
        if national:
            plain = [bar.value for bar in national if not bar.is_red and not bar.is_subject]
            red = [bar.value for bar in national if bar.is_red and not bar.is_subject]
            subject = [bar.value for bar in national if bar.is_subject]
            axes.scatter(plain, [strip_y] * len(plain), marker="|", s=160, color=NATIONAL)
            axes.scatter(red, [strip_y] * len(red), marker="^", s=46, color=RED)
            axes.scatter(
                subject, [strip_y] * len(subject), marker="D", s=40, color=SUBJECT, zorder=3
            )
            labels.insert(0, f"All {len(national)} forces")
            tick_positions = [strip_y, *positions]
        else:
            tick_positions = positions
        axes.set_yticks(tick_positions, labels)
        handles = []
        if group_rate is not None:
            axes.axvline(group_rate, color="#1b1b1b", linestyle=":", linewidth=1.4)
            handles.append(
                Line2D(
                    [], [], color="#1b1b1b", linestyle=":", label=f"Group rate {group_rate:,.2f}"
                )
            )
        if red_from is not None:
            axes.axvline(red_from, color=RED, linestyle="--", linewidth=1.2)
            handles.append(
                Line2D([], [], color=RED, linestyle="--", label=f"Worst 10% from {red_from:,.2f}")
            )
        handles.append(
            Patch(
                facecolor=RED,
                edgecolor=RED,
                hatch="///",
                hatchcolor="white",
                label="\u25b2 In the worst 10% nationally",
            )
        )
        if national:
            handles.append(
                Line2D(
                    [],
                    [],
                    color=NATIONAL,
                    marker="|",
                    linestyle="none",
                    markersize=10,
                    label="Each force nationally",
                )
            )
        below = -0.12 - 0.25 / max(len(shown), 1)
        axes.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, below),
            ncols=2,
            frameon=False,
            fontsize=small,
        )
        axes.set_xlabel("Crimes per 1,000 population")
        values = [bar.value for bar in (national or shown)]
        axes.set_xlim(left=min([0.0, *values]))
        axes.margins(x=0.22)
        axes.spines[["top", "right"]].set_visible(False)
        # A printed chart is no wider than the page: its title wraps instead of running off.
        shown_title = textwrap.fill(title, 52) if for_print else title
        axes.set_title(shown_title, loc="left", fontsize=10)
        if for_print:
            axes.tick_params(labelsize=small)
            axes.xaxis.label.set_size(small + 0.5)
        description = comparison_chart_text(rows, group_rate=group_rate, red_from=red_from)
        return _svg(
            figure, chart_id=chart_id, title=title, description=description, tight=not for_print
        )


def trend_chart_svg(
    points: Sequence[TrendPoint],
    *,
    subject: str,
    title: str = "Rate per 1,000 population over time",
    chart_id: str = "trend-chart",
    selected: str | None = None,
) -> str:
    """The force's rolling 12-month rate with its group's and the national rate."""
    from matplotlib.figure import Figure

    points = [dataclasses.replace(point, label=_printable(point.label)) for point in points]
    subject, title = _printable(subject), _printable(title)
    selected = None if selected is None else _printable(selected)
    with _drawing():
        figure = Figure(figsize=(7.5, 3.4))
        axes = figure.add_subplot()
        x = list(range(len(points)))

        def series(attr: str) -> list[float]:
            return [float("nan") if getattr(p, attr) is None else getattr(p, attr) for p in points]

        axes.plot(
            x,
            series("value"),
            color=SUBJECT,
            marker="o",
            markersize=3.5,
            linewidth=2,
            label=subject,
        )
        if any(p.group_value is not None for p in points):
            axes.plot(
                x,
                series("group_value"),
                color=PEER,
                linestyle="--",
                marker="s",
                markersize=3,
                linewidth=1.5,
                label="Group",
            )
        if any(p.national_value is not None for p in points):
            axes.plot(
                x,
                series("national_value"),
                color=NATIONAL,
                linestyle=":",
                linewidth=1.5,
                label="All forces",
            )
        red = [(i, p.value) for i, p in enumerate(points) if p.is_red and p.value is not None]
        if red:
            axes.scatter(
                [i for i, _ in red],
                [v for _, v in red],
                marker="^",
                s=70,
                color=RED,
                zorder=3,
                label="\u25b2 In the worst 10% nationally",
            )
        unlike = [i for i, p in enumerate(points) if not p.like_for_like]
        for n, i in enumerate(unlike):
            axes.axvspan(
                i - 0.5,
                i + 0.5,
                facecolor="#d9d9d9",
                edgecolor="#6f6f6f",
                hatch="..",
                linewidth=0,
                zorder=0,
                label="Not like for like (offence definition changed)" if n == 0 else None,
            )
        if selected is not None:
            for i, point in enumerate(points):
                if point.label == selected:
                    axes.axvline(i, color="#1b1b1b", linewidth=0.8)
                    axes.annotate(
                        "selected period",
                        (i, 1),
                        xycoords=("data", "axes fraction"),
                        xytext=(3, -10),
                        textcoords="offset points",
                        fontsize=8,
                    )
        step = max(1, len(points) // 8)
        axes.set_xticks(x[::step], [p.label for p in points][::step])
        axes.set_ylabel("Crimes per 1,000 (12 months)")
        axes.set_ylim(bottom=0)
        axes.spines[["top", "right"]].set_visible(False)
        axes.legend(
            loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=4, frameon=False, fontsize=8
        )
        axes.set_title(title, loc="left", fontsize=10)
        description = trend_chart_text(points, subject=subject)
        return _svg(figure, chart_id=chart_id, title=title, description=description)

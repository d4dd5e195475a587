"""Pages of the portal through Django's test client, each against a bare page.

Every request goes through the whole middleware stack (sessions, authentication, CSRF, CSP,
axes, history, WhiteNoise) with ``DEBUG`` off. The baseline is a bare view rendering a trivial
template through the same stack, for the same client, alternated with the page so both see
the same load. Budget: within 5× the bare view, and a number of queries that does not grow
with the meeting (counted on a small and a large meeting, or before and after the 200
meetings for the pages that list them).

The test client is used without ``setup_test_environment()``, which would instrument every
template render to record its context: the measured pages render as they do in production.
"""

from __future__ import annotations

import math
import statistics
import time
from dataclasses import dataclass

from bench import environment
from bench.timing import Figure, alternate_many, ms, print_figure

PAGE_BUDGET = 5  # × the portal's layout around an empty page
BARE_BUDGET = 15  # × the bare page
LAYOUT_BUDGET = 3  # the layout page × the bare page
GROWTH_BUDGET = 1.5  # a page at 2,000 meetings × the same page at 200
TARGET_SAMPLE = 0.05  # seconds: each run times enough requests to last about this long


@dataclass
class QueryCheck:
    """Queries of a page at a small and a large size: the budget is that they do not grow."""

    section: str
    name: str
    small: int
    large: int
    small_label: str
    large_label: str

    @property
    def met(self) -> bool:
        return self.large <= self.small

    @property
    def verdict(self) -> str:
        return "MET" if self.met else "NOT MET"

    @property
    def budget_text(self) -> str:
        return "constant"

    @property
    def ratio_text(self) -> str:
        return f"{self.small} → {self.large} queries"


@dataclass
class Page:
    name: str
    client: str  # staff, commissioner or public
    url: str  # timed (the large meeting)
    small_url: str | None = None  # query count at the small size, when it is another URL
    expect: str = ""  # text the page must show, so a redirect or refusal cannot pass
    # Kept in the cache: "cache" (cleared) or the version it is kept under ("notes"), made
    # cold before its queries are counted (what is rendered must not grow) and before every
    # request of a second timing (the first request after a change).
    cold: str = ""


def clients() -> dict:
    """A test client per persona: staff, the Commissioner, and the anonymous public."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    User = get_user_model()
    made = {"public": Client()}
    for name, username in (("staff", "staff"), ("commissioner", "commissioner")):
        made[name] = Client()
        made[name].force_login(User.objects.get(username=username))
    return made


def fetch(client, url: str, expect: str = "") -> bytes:
    response = client.get(url)
    if response.status_code != 200:
        raise AssertionError(f"{url} answered {response.status_code}, not 200")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    response.close()
    if expect and expect.encode() not in body:
        raise AssertionError(f"{url} does not show {expect!r}")
    return body


def make_cold(cold: str) -> None:
    """Before a request that must find nothing kept: the whole cache cleared (``"cache"``), or
    the notes given a new version, as a write to a note does (``"notes"``)."""
    from django.core.cache import cache

    from meetings.models import NotesVersion

    if cold == "cache":
        cache.clear()
    elif cold == "notes":
        NotesVersion.bump()


COLD_LABELS = {"cache": "with the cache cleared", "notes": "after a change of the notes"}


def query_count(client, url: str, *, cold: str = "") -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_cold(cold)
    with CaptureQueriesContext(connection) as queries:
        fetch(client, url)
    return len(queries)


def _repeat_for(function) -> int:
    start = time.perf_counter()
    function()
    return max(1, min(25, math.ceil(TARGET_SAMPLE / max(time.perf_counter() - start, 1e-6))))


def compare(*calls, runs: int) -> list[float]:
    """Medians of each call, alternated round by round, after two warm-up calls each."""
    for _ in range(2):
        for call in calls:
            call()
    times = alternate_many(calls, runs, repeats=[_repeat_for(call) for call in calls])
    return [statistics.median(each) for each in times]


def profile_summary(call, *, calls: int = 5, lines: int = 12) -> list[str]:
    """Where the time of ``call`` goes: the portal's own functions by cumulative time, then
    every function by its own time, in milliseconds per call (under the profiler's overhead)."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(calls):
        call()
    profiler.disable()
    stats = pstats.Stats(profiler).stats
    root = str(environment.ROOT)

    def label(key) -> str:
        path, line, name = key
        if path.startswith(root):
            path = path[len(root) + 1 :]
        elif "site-packages/" in path:
            path = path.split("site-packages/", 1)[1]
        return f"{path}:{line}({name})"

    def own(key) -> bool:
        return key[0].startswith(root) and "/.venv/" not in key[0] and "/bench/" not in key[0]

    portal = sorted((k for k in stats if own(k)), key=lambda k: -stats[k][3])[:lines]
    anything = sorted(stats, key=lambda k: -stats[k][2])[: lines // 2]
    out = ["portal functions, cumulative ms per request:"]
    out += [f"  {stats[k][3] * 1000 / calls:8.1f}  {label(k)}" for k in portal]
    out.append("any function, own ms per request:")
    out += [f"  {stats[k][2] * 1000 / calls:8.1f}  {label(k)}" for k in anything]
    out.append("templates, own ms per request (without the profiler; what each template's")
    out.append("  nodes, filters and the querysets they evaluate cost, its includes apart):")
    timed = template_times(call, calls=calls)
    out += [f"  {ms_:8.1f}  {name}" for name, ms_ in timed[: lines // 2]]
    return out


def template_times(call, *, calls: int = 5) -> list[tuple[str, float]]:
    """Each template's own time in ms per ``call``, largest first: the time inside its
    ``render`` less that of the templates it includes or extends. Found that one table of a
    few hundred cells was a third of the meeting page (issue 15)."""
    import time
    from collections import defaultdict

    from django.template import base

    own: dict[str, float] = defaultdict(float)
    inside: list[float] = []
    render = base.Template._render

    def timed(template, context):
        started = time.perf_counter()
        inside.append(0.0)
        try:
            return render(template, context)
        finally:
            elapsed = time.perf_counter() - started
            children = inside.pop()
            own[template.origin.template_name or str(template.origin.name)] += elapsed - children
            if inside:
                inside[-1] += elapsed

    base.Template._render = timed
    try:
        for _ in range(calls):
            call()
    finally:
        base.Template._render = render
    return sorted(((name, t * 1000 / calls) for name, t in own.items()), key=lambda x: -x[1])


def count_early(made: dict) -> dict[str, tuple[int, str]]:
    """Queries of the pages that list meetings or reports, before the 200 meetings exist."""
    from django.urls import reverse

    fetch(made["public"], reverse("public:note-list"))  # the anonymous session, as later

    return {
        "meeting list": (
            query_count(made["staff"], reverse("meetings:meeting-list"), cold="notes"),
            _meetings(),
        ),
        "public notes list, search": (
            query_count(made["public"], reverse("public:note-list") + "?q=burglary", cold="cache"),
            _meetings(),
        ),
        "public notes list, search for a word in no note": (
            query_count(
                made["public"],
                reverse("public:note-list") + f"?q={ABSENT_WORD}",
                cold="cache",
            ),
            _meetings(),
        ),
        "Atom feed": (query_count(made["public"], reverse("public:note-feed")), _meetings()),
        "review": (
            query_count(made["commissioner"], reverse("meetings:review"), cold="notes"),
            _open_reports(),
        ),
    }


CATEGORY = "domestic-burglary"
# A word the generated notes never use: the search finds nothing, and must learn that from the
# index rather than by reading every note (on PostgreSQL, a GIN pending list did just that).
ABSENT_WORD = "zebra"


def count_dashboard(made: dict) -> dict[str, int]:
    """Queries of the dashboard and the category page on the data present, as a second
    request finds them (the comparison cached for this data version)."""
    from django.urls import reverse

    counts = {}
    for name, url in (
        ("performance dashboard", reverse("performance:dashboard")),
        ("category page (charts)", reverse("performance:category-detail", args=[CATEGORY])),
    ):
        fetch(made["staff"], url)
        counts[name] = query_count(made["staff"], url)
    return counts


def _meetings() -> str:
    from meetings.models import Meeting

    return f"{Meeting.objects.count()} meetings"


def _open_reports() -> str:
    from meetings.models import ExceptionReport

    reports = ExceptionReport.objects.filter(
        status="accepted", meeting__status__in=["draft", "submitted"]
    ).count()
    return f"{reports} open report{'' if reports == 1 else 's'}"


def _figures() -> str:
    from performance.models import CrimeCount

    return f"{CrimeCount.objects.count():,} figures"


LARGE_LABELS = {
    "meeting list": _meetings,
    "public notes list, search": _meetings,
    "public notes list, search for a word in no note": _meetings,
    "Atom feed": _meetings,
    "category page (charts)": _figures,
    "review": _open_reports,
    "performance dashboard": _figures,
}


def pages_for(dataset) -> list[Page]:
    from django.urls import reverse

    from meetings.models import AgendaItem, Meeting

    def item_of(meeting_id: int) -> AgendaItem:
        return (
            AgendaItem.objects.filter(meeting_id=meeting_id, is_restricted=False)
            .order_by("-position")
            .first()
        )

    large = Meeting.objects.get(pk=dataset.large_draft)
    published = Meeting.objects.get(pk=dataset.large_published)
    item, small_item = item_of(dataset.large_draft), item_of(dataset.small_draft)
    return [
        Page(
            "meeting list",
            "staff",
            reverse("meetings:meeting-list"),
            expect="Meetings",
            cold="notes",
        ),
        Page(
            "meeting page",
            "staff",
            reverse("meetings:meeting-detail", args=[large.pk]),
            reverse("meetings:meeting-detail", args=[dataset.small_draft]),
            expect=large.title,
            cold="notes",
        ),
        Page(
            "attendance editor",
            "staff",
            reverse("meetings:attendance-edit", args=[large.pk]),
            reverse("meetings:attendance-edit", args=[dataset.small_draft]),
            expect="Attendance",
            cold="notes",
        ),
        Page(
            "agenda editor",
            "staff",
            reverse("meetings:agenda-edit", args=[large.pk]),
            reverse("meetings:agenda-edit", args=[dataset.small_draft]),
            expect=item.title,
            cold="notes",
        ),
        Page(
            "item editor",
            "staff",
            reverse("meetings:item-update", args=[item.pk]),
            reverse("meetings:item-update", args=[small_item.pk]),
            expect=item.title,
            cold="notes",
        ),
        Page("review", "commissioner", reverse("meetings:review"), expect="Review", cold="notes"),
        Page(
            "performance dashboard", "staff", reverse("performance:dashboard"), expect="Lancashire"
        ),
        Page(
            "category page (charts)",
            "staff",
            reverse("performance:category-detail", args=[CATEGORY]),
            expect="Domestic burglary",
        ),
        Page(
            "action log",
            "staff",
            reverse("meetings:action-log", args=[large.pk]),
            reverse("meetings:action-log", args=[dataset.small_draft]),
            expect="Action",
            cold="notes",
        ),
        Page(
            "history page",
            "staff",
            reverse("meetings:meeting-history", args=[large.pk]),
            reverse("meetings:meeting-history", args=[dataset.small_draft]),
            expect="History",
        ),
        Page(
            "public notes list, search",
            "public",
            reverse("public:note-list") + "?q=burglary",
            expect="matching",
            cold="cache",
        ),
        Page(
            "public notes list, search for a word in no note",
            "public",
            reverse("public:note-list") + f"?q={ABSENT_WORD}",
            expect="No published note matches",
            cold="cache",
        ),
        Page("Atom feed", "public", reverse("public:note-feed"), expect="<feed"),
        Page(
            "public note page",
            "public",
            reverse("public:note-detail", args=[published.pk]),
            reverse("public:note-detail", args=[dataset.small_published]),
            expect=published.title,
            cold="cache",
        ),
    ]


def bench_pages(
    *, dataset, made: dict, early: dict[str, tuple[int, str]], runs: int, profile: bool = False
) -> list:
    """Time every page against the bare page and count its queries at two sizes."""
    from django.urls import reverse

    from bench.meetings_dataset import LARGE, SMALL

    bare_url, layout_url = reverse("bench-bare"), reverse("bench-layout")
    results: list = []
    print()
    print(
        f"Pages (test client, whole middleware stack, DEBUG off; medians of {runs} runs; "
        f"budget ≤ {PAGE_BUDGET}× the layout page and ≤ {BARE_BUDGET}× the bare page, "
        "queries constant)"
    )
    print(
        f"  query counts on a small meeting ({SMALL.people} attendee, {SMALL.items} item, "
        f"{SMALL.reports} report) and a large one ({LARGE.people} attendees, {LARGE.items} "
        f"items × {LARGE.decisions} decisions, {LARGE.reports} reports × {LARGE.plans} plans × "
        f"{LARGE.aims} aims, {LARGE.actions} actions); pages are timed on the large one"
    )
    for page in pages_for(dataset):
        client = made[page.client]
        fetch(client, page.url, page.expect)
        large_count = query_count(client, page.url, cold=page.cold)
        if page.name in early:
            small_count, small_label = early[page.name]
            large_label = LARGE_LABELS[page.name]()
        else:
            small_count = query_count(client, page.small_url, cold=page.cold)
            small_label, large_label = "small meeting", "large meeting"
        check = QueryCheck("Queries", page.name, small_count, large_count, small_label, large_label)

        def page_call(page=page, client=client):
            return fetch(client, page.url)

        page_time, bare_time, layout_time = compare(
            page_call,
            lambda client=client: fetch(client, bare_url),
            lambda client=client: fetch(client, layout_url),
            runs=runs,
        )
        figure = Figure(
            section="Pages",
            name=f"{page.name} ÷ layout",
            value=page_time,
            baseline=layout_time,
            budget=PAGE_BUDGET,
            notes=[
                f"queries {small_count} ({small_label}) → {large_count} ({large_label}): "
                f"{'constant' if check.met else 'GROWS'}",
            ],
        )
        against_bare = Figure(
            section="Pages",
            name=f"{page.name} ÷ bare",
            value=page_time,
            baseline=bare_time,
            budget=BARE_BUDGET,
        )
        if page.cold:
            cold, bare_cold = compare(
                lambda page=page, client=client: (make_cold(page.cold), fetch(client, page.url)),
                lambda client=client: fetch(client, bare_url),
                runs=max(3, runs // 2),
            )
            figure.notes.append(
                f"timed from the cache, as readers get it "
                f"({query_count(client, page.url)} queries); {COLD_LABELS[page.cold]} before "
                f"every request: {ms(cold)}, {cold / bare_cold:.1f}× the bare page"
            )
        print_figure(figure)
        print_figure(against_bare)
        if profile and not (figure.met and against_bare.met):
            for line in profile_summary(page_call):
                print(f"      {line}")
        results += [figure, against_bare, check]
    return results


def bench_layout(*, made: dict, runs: int, profile: bool = False) -> list[Figure]:
    """The portal's layout around an empty page against the bare page, signed in and not."""
    from django.urls import reverse

    bare_url, layout_url = reverse("bench-bare"), reverse("bench-layout")
    figures = []
    for who in ("staff", "public"):
        client = made[who]
        layout_time, bare_time = compare(
            lambda client=client: fetch(client, layout_url),
            lambda client=client: fetch(client, bare_url),
            runs=runs,
        )
        figure = Figure(
            section="Pages",
            name=f"layout page ({'signed in' if who == 'staff' else 'anonymous'})",
            value=layout_time,
            baseline=bare_time,
            budget=LAYOUT_BUDGET,
            notes=[f"queries {query_count(client, layout_url)}"],
        )
        print_figure(figure)
        if profile and not figure.met:
            for line in profile_summary(lambda client=client: fetch(client, layout_url)):
                print(f"      {line}")
        figures.append(figure)
    return figures


GROWN_PAGES = (
    "meeting list",
    "action log",
    "public notes list, search",
    "public notes list, search for a word in no note",
    "Atom feed",
    "review",
)


def _growth_time(client, url: str, *, runs: int, cold: str = "") -> tuple[float, float]:
    """The page's time (made cold first, with ``cold``) and the bare page's, alternated: the
    growth figures compare each page against the bare page of the same minutes, so that a
    change of the machine's load between the two sizes (measured minutes apart) cancels."""
    from django.urls import reverse

    bare_url = reverse("bench-bare")
    page_time, bare_time = compare(
        lambda: (make_cold(cold), fetch(client, url)),
        lambda: fetch(client, bare_url),
        runs=runs,
    )
    return page_time, bare_time


def growth_times(*, dataset, made: dict, runs: int) -> dict[str, tuple[float, float, int]]:
    """Time (with the bare page's) and queries of the pages that list meetings, at the present
    number of meetings; for a page served from the cache, also made cold before every request
    (``Page.cold``)."""
    out = {}
    for page in pages_for(dataset):
        if page.name not in GROWN_PAGES:
            continue
        client = made[page.client]
        fetch(client, page.url, page.expect)
        out[page.name] = (*_growth_time(client, page.url, runs=runs), query_count(client, page.url))
        if page.cold:
            out[f"{page.name}, {COLD_LABELS[page.cold]}"] = (
                *_growth_time(client, page.url, runs=runs, cold=page.cold),
                query_count(client, page.url, cold=page.cold),
            )
    return out


FIGURE_PAGES = ("performance dashboard", "category page (charts)")


def figures_growth_times(*, dataset, made: dict, runs: int) -> dict[str, tuple[float, float, int]]:
    """Time (with the bare page's) and queries of the pages that read the crime figures, on
    the figures present: as readers get them (the comparison, charts and tables cached per
    data version), and with the cache cleared before every request (what the first request
    after an import costs)."""
    out = {}
    for page in pages_for(dataset):
        if page.name not in FIGURE_PAGES:
            continue
        client = made[page.client]
        fetch(client, page.url, page.expect)
        out[page.name] = (*_growth_time(client, page.url, runs=runs), query_count(client, page.url))
        out[f"{page.name}, {COLD_LABELS['cache']}"] = (
            *_growth_time(client, page.url, runs=runs, cold="cache"),
            query_count(client, page.url, cold="cache"),
        )
    return out


def growth_figures(before: dict, after: dict, *, small: str, large: str) -> list:
    """Each page at the larger size against the smaller: time ≤ 1.5×, queries constant. The
    larger size's time is taken at the smaller one's machine speed: scaled by how the bare
    page's time changed between the two (``_growth_time``)."""
    print()
    print(
        f"Growth ({small} → {large}; budget ≤ {GROWTH_BUDGET}× in time, each size against the "
        "bare page of its own minutes; queries constant)"
    )
    results: list = []
    for name, (small_time, small_bare, small_queries) in before.items():
        large_time, large_bare, large_queries = after[name]
        scaled = large_time * small_bare / large_bare
        figure = Figure(
            section="Growth",
            name=name,
            value=scaled,
            baseline=small_time,
            budget=GROWTH_BUDGET,
            notes=[
                f"{ms(small_time)} → {ms(large_time)} (bare page {ms(small_bare)} → "
                f"{ms(large_bare)}: {ms(scaled)} at the first size's speed); "
                f"queries {small_queries} → {large_queries}"
            ],
        )
        print_figure(figure)
        results += [
            figure,
            QueryCheck("Growth", f"{name}, queries", small_queries, large_queries, small, large),
        ]
    return results

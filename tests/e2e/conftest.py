"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Run them on their own, as ``make test-e2e`` does::

    DJANGO_ALLOW_ASYNC_UNSAFE=true pytest -p playwright -m e2e tests/e2e \
        --screenshot only-on-failure --output test-results

The unit run blocks the Playwright plugin (``-p no:playwright`` in the pytest options): it needs
none of its fixtures and hooks, and the plugin empties ``test-results/`` at the start of every
session it is loaded in. ``-p playwright`` turns it back on. Browsers are never downloaded: the
tests use ``/usr/bin/chromium`` (``E2E_CHROMIUM`` overrides the path) and are skipped when it is
missing, except under ``CI=true``, where a missing browser fails the run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group, User
from django.urls import Resolver404, resolve
from playwright.sync_api import expect

from meetings import roles

CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# WCAG 2.0, 2.1 and 2.2, levels A and AA: what UK public-sector sites must meet.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
    },
    "resultTypes": ["violations"],
}
# tests/conftest.py gives every persona this password.
PASSWORD = "a-test-password"


def _on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def pytest_configure(config: pytest.Config) -> None:
    # The plugin registers its own markers; the unit run, which blocks it, still collects this
    # folder under --strict-markers.
    config.addinivalue_line(
        "markers", "browser_context_args(**kwargs): extra arguments to browser.new_context()"
    )


def pytest_collection_finish(session: pytest.Session) -> None:
    """Say how to run browser tests when they are selected without the Playwright plugin."""
    wanted = any(item.get_closest_marker("e2e") for item in session.items)
    if wanted and not session.config.pluginmanager.has_plugin("playwright"):
        pytest.exit(
            "The browser tests need the Playwright plugin, which the unit run blocks: "
            "run `make test-e2e`, or `pytest -p playwright -m e2e tests/e2e`.",
            returncode=pytest.ExitCode.USAGE_ERROR,
        )


_OUTCOMES = pytest.StashKey[dict]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator:
    # Keep each phase's report, so fixtures can tell whether the test itself passed.
    report = yield
    item.stash.setdefault(_OUTCOMES, {})[report.when] = report
    return report


# Browser and server --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """The system Chromium; skip (or, under CI, fail) when it is not installed."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return str(CHROMIUM)
    message = (
        f"Chromium not found at {CHROMIUM}: install Debian's package (apt-get install chromium) "
        "or point E2E_CHROMIUM at a Chromium binary. Browsers are never downloaded."
    )
    if _on_ci():
        pytest.fail(f"{message} CI=true, so a missing browser fails the run.", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def _allow_orm_beside_playwright() -> Iterator[None]:
    # Playwright's sync API keeps an event loop running in the main thread, and Django refuses
    # ORM calls (the fixtures creating users) while one runs. Only set in sessions that
    # actually drive a browser, so the flag cannot hide async bugs in unit tests.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict, chromium_executable: str, _allow_orm_beside_playwright: None
) -> dict:
    return {
        "headless": True,
        **browser_type_launch_args,  # --headed from the command line still wins
        "executable_path": chromium_executable,
        "args": CHROMIUM_FLAGS,
    }


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    """Relative URLs (``page.goto("/meetings/")``) go to the live server."""
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    # A UK user's browser: British English for Accept-Language and Intl, London time. Date
    # fields still follow Chromium's own UI language (see test_journey_keyboard_only.py).
    return {**browser_context_args, "locale": "en-GB", "timezone_id": "Europe/London"}


# Accessibility ------------------------------------------------------------------------------


def _page_name(url: str) -> str:
    """The URL name of the portal page at ``url`` ("meetings:agenda-edit"), or its path."""
    path = urlsplit(url).path
    try:
        return resolve(path).view_name
    except Resolver404:
        return path


# WCAG 1.4.10 Reflow: content readable at 320 CSS px wide (1280 px at 400% zoom) without
# scrolling sideways; wide data tables may scroll inside their own container.
REFLOW_WIDTH = 320
_OVERFLOW = """(width) => {
  const root = document.documentElement;
  const scrollsInside = (el) => {
    for (let node = el.parentElement; node && node !== root; node = node.parentElement) {
      if (["auto", "scroll"].includes(getComputedStyle(node).overflowX)) return true;
    }
    return false;
  };
  const wide = [...document.body.querySelectorAll("*")]
    .filter((el) => el.getBoundingClientRect().right > width + 1 && !scrollsInside(el))
    .slice(0, 5)
    .map((el) => {
      const text = el.textContent.replace(/\\s+/g, " ").trim().slice(0, 50);
      const right = Math.round(el.getBoundingClientRect().right);
      return `<${el.tagName.toLowerCase()} class="${el.className}"> "${text}" ends at ${right}px`;
    });
  return { overflow: root.scrollWidth - root.clientWidth, wide };
}"""


class AxeCheck:
    """Runs axe-core on a page and fails on any WCAG 2.2 A/AA violation.

    axe does not test reflow, so each check also narrows the page to 320 CSS px and fails if it
    scrolls sideways. It remembers which portal pages a test reached and which it checked, so a
    journey cannot reach a page it never checked.
    """

    def __init__(self, page) -> None:
        self._axe = Axe()
        self._page = page
        self.reached: dict[str, str] = {}
        self.checked: set[str] = set()
        page.on("framenavigated", self._navigated)

    def _navigated(self, frame) -> None:
        if frame == self._page.main_frame and frame.url.startswith("http"):
            self.reached.setdefault(_page_name(frame.url), frame.url)

    def __call__(self, page=None, *, state: str = "") -> None:
        """Check ``page`` (the test's page by default) as it is now; ``state`` names the case."""
        page = page or self._page
        page.wait_for_load_state("load")
        results = self._axe.run(page, options=AXE_OPTIONS)
        where = f"{page.url}{f' ({state})' if state else ''}"
        assert results.violations_count == 0, (
            f"axe-core found {results.violations_count} WCAG A/AA violation(s) on {where}:\n"
            f"{results.generate_report()}"
        )
        self._assert_reflows(page, where)
        self.checked.add(_page_name(page.url))

    @staticmethod
    def _assert_reflows(page, where: str) -> None:
        size = page.viewport_size
        page.set_viewport_size({"width": REFLOW_WIDTH, "height": 640})
        try:
            found = page.evaluate(_OVERFLOW, REFLOW_WIDTH)
        finally:
            page.set_viewport_size(size)
        assert found["overflow"] <= 0, (
            f"{where} scrolls sideways by {found['overflow']}px at {REFLOW_WIDTH} CSS px wide "
            "(WCAG 1.4.10 Reflow); sticking out:\n" + "\n".join(found["wide"])
        )

    def unchecked_pages(self) -> dict[str, str]:
        return {name: url for name, url in self.reached.items() if name not in self.checked}


@pytest.fixture
def axe(page, request: pytest.FixtureRequest) -> Iterator[AxeCheck]:
    """``axe()`` checks the current page; a passing test must have checked every page it reached."""
    check = AxeCheck(page)
    yield check
    outcome = request.node.stash.get(_OUTCOMES, {}).get("call")
    if outcome is not None and outcome.passed:
        missing = check.unchecked_pages()
        assert not missing, f"pages reached but never checked with axe: {missing}"


# Signing in and moving around ------------------------------------------------------------------


@pytest.fixture
def sign_in(page, axe) -> Callable:
    """Sign ``user`` in through the real login page, checking it with axe on the way."""

    def _sign_in(user, password: str = PASSWORD) -> None:
        _sign_in_on(page, axe, user, password)

    return _sign_in


# More people at once: a second member of staff, and each person's own browser ------------------


@pytest.fixture
def other_staff(db) -> User:
    """A second member of OPCC staff, editing the same note as ``staff``."""
    user = User.objects.create_user(username="test-other-staff", password=PASSWORD)
    user.groups.add(Group.objects.get(name=roles.STAFF))
    return user


def _sign_in_on(page, axe: AxeCheck, user, password: str = PASSWORD) -> None:
    """Sign ``user`` in on ``page`` through the real login page, checking it with axe."""
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()
    axe(page, state="empty login form")
    page.get_by_label("Username").fill(user.get_username())
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    # Signing in lands on the person's work; the journeys start from the list of meetings.
    expect(page.get_by_role("heading", name="My work", level=1)).to_be_visible()
    axe(page, state="signed in: my work")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Meetings").click()
    expect(page.get_by_role("heading", name="Meetings", level=1)).to_be_visible()
    axe(page, state="the meetings")


class OtherBrowser:
    """Another person at another computer: their own browser context (cookies, session) and page.

    ``axe()`` checks this person's page as it is now; like the test's own ``axe``, a passing test
    must have checked every page this person reached.
    """

    def __init__(self, page) -> None:
        self.page = page
        self.axe = AxeCheck(page)

    def sign_in(self, user, password: str = PASSWORD) -> None:
        _sign_in_on(self.page, self.axe, user, password)


@pytest.fixture
def open_browser(
    new_context, request: pytest.FixtureRequest
) -> Iterator[Callable[[], OtherBrowser]]:
    """``open_browser()`` gives a second person their own browser beside the test's ``page``.

    The context comes from pytest-playwright's ``new_context``, so it has the same settings
    (locale, time zone, ``browser_context_args`` marks), is closed after the test, and its page
    is screenshotted with the others when the test fails.
    """
    opened: list[OtherBrowser] = []

    def _open() -> OtherBrowser:
        other = OtherBrowser(new_context().new_page())
        opened.append(other)
        return other

    yield _open
    outcome = request.node.stash.get(_OUTCOMES, {}).get("call")
    if outcome is not None and outcome.passed:
        for number, other in enumerate(opened, start=2):
            missing = other.axe.unchecked_pages()
            assert not missing, f"browser {number} reached pages never checked with axe: {missing}"

"""Screenshots of the portal's main pages at 1366 and 390 CSS px, written beside this file.

    make screenshots        (or: .venv/bin/python docs/screenshots/take.py)

It builds a throw-away installation (its own SQLite database and media folder in a temporary
directory, the demo data with the reference meeting published), serves it with Django's
development server on a free loopback port, and drives the system Chromium (``CHROMIUM``,
default ``/usr/bin/chromium``) through Playwright, signed in as each demo user in turn. Each
picture is the first screen of its page (the viewport, not the whole page), so that the
pictures stay small and show what a person sees on arrival.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
WIDTHS = {1366: 900, 390: 844}
CATEGORY = "Domestic burglary"  # a category reported on at the reference meeting


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(f"{username}-demo-password")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="My work", level=1).wait_for()


def _shoot(page: Page, name: str, width: int) -> Path:
    page.wait_for_load_state("networkidle")
    path = HERE / f"{name}-{width}.png"
    page.screenshot(path=path, full_page=bool(os.environ.get("FULL_PAGE")))
    return path


def _pages(page: Page, base: str, width: int) -> list[Path]:
    shots = []
    page.goto(f"{base}/notes/")
    shots.append(_shoot(page, "public-notes", width))
    page.get_by_role("main").get_by_role("list", name="The notes").get_by_role("link").first.click()
    shots.append(_shoot(page, "public-note", width))

    _sign_in(page, base, "staff")
    shots.append(_shoot(page, "staff-my-work", width))
    page.goto(f"{base}/meetings/")
    shots.append(_shoot(page, "staff-meetings", width))
    page.get_by_role("link", name="Strategic Scrutiny Meeting").first.click()
    shots.append(_shoot(page, "staff-meeting", width))
    page.goto(f"{base}/performance/")
    shots.append(_shoot(page, "performance-dashboard", width))
    page.get_by_role("main").get_by_role("link", name=CATEGORY, exact=True).first.click()
    page.get_by_role("heading", name=CATEGORY, level=1).wait_for()
    shots.append(_shoot(page, "performance-category", width))
    page.context.clear_cookies()

    _sign_in(page, base, "commissioner")
    page.goto(f"{base}/meetings/review/")
    shots.append(_shoot(page, "commissioner-review", width))
    page.context.clear_cookies()

    _sign_in(page, base, "chief-executive")
    shots.append(_shoot(page, "chief-executive-my-work", width))
    page.context.clear_cookies()
    return shots


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="scrutiny-screenshots-") as scratch:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{scratch}/screenshots.sqlite3",
            "MEDIA_ROOT": f"{scratch}/media",
            "DEBUG": "true",
        }
        env.pop("REDIS_URL", None)
        env.pop("CELERY_BROKER_URL", None)
        env.pop("STORAGE_S3_BUCKET", None)
        _manage(env, "migrate", "--no-input", "-v", "0")
        _manage(env, "demo", "--published")
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for(f"{base}/notes/")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                    args=["--no-sandbox"],
                )
                for width, height in WIDTHS.items():
                    page = browser.new_page(viewport={"width": width, "height": height})
                    for path in _pages(page, base, width):
                        print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KB")
                    page.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())

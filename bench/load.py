"""Load test: the portal under gunicorn on loopback, with PostgreSQL.

Many anonymous readers fetch published notes and their PDFs while staff edit items and import
data. Reports requests served, errors and latency percentiles per kind of request, and checks
that no write was lost: each editor's item must end holding the last text the portal accepted.

    .venv/bin/python bench/load.py --clients 50 --seconds 30

Everything runs on 127.0.0.1 and stops by itself. It needs a PostgreSQL server (default
postgres://postgres@127.0.0.1:5432) on which it creates and drops its own database.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DATABASE = "scrutiny_load"
STAFF_PASSWORD = "load-test-password-1"


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, seconds: float, error: str | None = None) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            if error:
                self.errors[kind].append(error)


class Browser:
    """A minimal HTTP client with a cookie jar, one keep-alive connection per client."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(
        self, method: str, path: str, body: bytes | None = None, content_type: str | None = None
    ) -> tuple[int, dict, bytes]:
        headers = {"Host": "127.0.0.1", "Referer": f"http://127.0.0.1:{self.port}{path}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        for attempt in range(2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, dict(response.getheaders()), data

    def csrf_from(self, page: bytes) -> str:
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        return match.group(1).decode() if match else ""

    def post_form(self, path: str, fields: dict[str, str]) -> tuple[int, dict, bytes]:
        return self.request(
            "POST",
            path,
            urllib.parse.urlencode(fields).encode(),
            "application/x-www-form-urlencoded",
        )

    def post_multipart(
        self, path: str, fields: dict[str, str], file_field: str, file_name: str, content: bytes
    ) -> tuple[int, dict, bytes]:
        boundary = secrets.token_hex(16)
        parts = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
                f"\r\n\r\n{value}\r\n".encode()
            )
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
            f'filename="{file_name}"\r\nContent-Type: text/csv\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(
            "POST", path, b"".join(parts), f"multipart/form-data; boundary={boundary}"
        )

    def sign_in(self, username: str) -> None:
        _, _, page = self.request("GET", "/accounts/login/")
        status, _, _ = self.post_form(
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": self.csrf_from(page),
                "username": username,
                "password": STAFF_PASSWORD,
            },
        )
        if status != 302:
            raise RuntimeError(f"{username} could not sign in ({status})")


def _timed(tally: Tally, kind: str, expected: tuple[int, ...], call, *args):
    """``call(*args)``, timed and tallied; None when it failed outright."""
    started = time.perf_counter()
    try:
        status, headers, body = call(*args)
    except Exception as error:
        tally.record(kind, time.perf_counter() - started, f"{type(error).__name__}: {error}")
        return None
    error = None if status in expected else f"HTTP {status}"
    tally.record(kind, time.perf_counter() - started, error)
    return status, headers, body


def reader(port: int, note_id: int, deadline: float, tally: Tally) -> None:
    browser = Browser(port)
    pages = [
        ("list", "/notes/"),
        ("note", f"/notes/{note_id}/"),
        ("pdf", f"/notes/{note_id}/note.pdf"),
        ("search", "/notes/?q=performance"),
        ("feed", "/notes/feed.atom"),
    ]
    turn = 0
    while time.monotonic() < deadline:
        kind, path = pages[turn % len(pages)]
        _timed(tally, f"read {kind}", (200,), browser.request, "GET", path)
        turn += 1


def editor(
    port: int, username: str, item_id: int, deadline: float, tally: Tally, accepted: dict[int, str]
) -> None:
    browser = Browser(port)
    browser.sign_in(username)
    edit = f"/meetings/items/{item_id}/edit/"
    turn = 0
    while time.monotonic() < deadline:
        result = _timed(tally, "edit page", (200,), browser.request, "GET", edit)
        if result is None:
            continue
        page = result[2]
        version = re.search(rb'name="version" value="(\d+)"', page)
        title = re.search(rb'name="title" maxlength="300" [^>]*value="([^"]*)"', page) or re.search(
            rb'name="title"[^>]*value="([^"]*)"', page
        )
        text = f"Note written by {username}, save {turn}."
        fields = {
            "csrfmiddlewaretoken": browser.csrf_from(page),
            "title": title.group(1).decode() if title else f"Item of {username}",
            "narrative": text,
            "assurance_statement": "",
            "exemption": "",
            "version": version.group(1).decode() if version else "",
            "save": "",
        }
        saved = _timed(tally, "edit save", (302,), browser.post_form, edit, fields)
        if saved is not None and saved[0] == 302:
            accepted[item_id] = text
        turn += 1


def importer(port: int, username: str, deadline: float, tally: Tally) -> None:
    browser = Browser(port)
    browser.sign_in(username)
    turn = 0
    while time.monotonic() < deadline:
        count = 100 + turn
        csv = (
            "force,month,category,count\n"
            f"Lancashire,2013-0{1 + turn % 9},load-test-category,{count}\n"
        )
        upload = "/performance/imports/new/"
        result = _timed(tally, "import upload", (200,), browser.request, "GET", upload)
        if result is None:
            continue
        fields = {
            "csrfmiddlewaretoken": browser.csrf_from(result[2]),
            "kind": "monthly",
            "release_label": f"load test {turn}",
            "create_categories": "on",
        }
        uploaded = _timed(
            tally,
            "import upload",
            (302,),
            browser.post_multipart,
            upload,
            fields,
            "file",
            "extract.csv",
            csv.encode(),
        )
        if uploaded is None or uploaded[0] != 302:
            continue
        preview_path = _after_job(tally, browser, uploaded[1].get("Location", ""))
        if not preview_path:
            continue
        preview = _timed(tally, "import preview", (200,), browser.request, "GET", preview_path)
        if preview is None:
            continue
        _timed(
            tally,
            "import apply",
            (302,),
            browser.post_form,
            preview_path,
            {"csrfmiddlewaretoken": browser.csrf_from(preview[2])},
        )
        turn += 1


def _after_job(tally: Tally, browser, location: str, seconds: float = 60) -> str:
    """Where a request leads once its job is done: a job page (a worker took the job) is
    followed through its status until the job finishes, then to its outcome; '' if it failed."""
    import json
    import re

    if not location.startswith("/jobs/"):
        return location  # done in-process already
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = _timed(tally, "job status", (200,), browser.request, "GET", f"{location}status/")
        if result is not None and result[0] == 200 and json.loads(result[2])["finished"]:
            page = _timed(tally, "job page", (200,), browser.request, "GET", location)
            if page is None:
                return ""
            body = page[2].decode() if isinstance(page[2], bytes) else page[2]
            found = re.search(r'<a class="btn btn-primary" href="([^"]+)">Continue</a>', body)
            return found.group(1) if found else ""
        time.sleep(0.2)
    return ""


def _psql(sql: str, database: str = "postgres") -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-qc", sql],
        check=True,
        capture_output=True,
    )


def prepare(env: dict[str, str], editors: int, importers: int) -> tuple[int, list[int]]:
    """A fresh database with the demo, a published note and the staff users."""
    _psql(f"DROP DATABASE IF EXISTS {DATABASE}")
    _psql(f"CREATE DATABASE {DATABASE}")
    manage = [PYTHON, "manage.py"]
    for command in (["migrate", "-v0"], ["collectstatic", "--no-input", "-v0"], ["demo"]):
        subprocess.run([*manage, *command], cwd=ROOT, env=env, check=True, capture_output=True)
    script = f"""
from django.contrib.auth.models import Group, User
from meetings.services import sign_off
from meetings.models import AgendaItem, Meeting
staff = Group.objects.get(name="Staff")
users = []
for name in {[f"editor{n}" for n in range(editors)] + [f"importer{n}" for n in range(importers)]!r}:
    user, _ = User.objects.get_or_create(username=name)
    user.set_password({STAFF_PASSWORD!r}); user.save(); user.groups.add(staff)
september = Meeting.objects.get(start__month=9, start__year=2013)
publisher = User.objects.get(username="staff")
if september.status == "signed":
    sign_off.note_publish(user=publisher, meeting=september)
december = Meeting.objects.get(start__month=12, start__year=2013)
items = [AgendaItem.objects.create(meeting=december, title=f"Load item {{n}}", position=100 + n).pk
         for n in range({editors})]
print(september.pk, *items)
"""
    out = subprocess.run(
        [*manage, "shell", "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return int(out[-editors - 1]), [int(x) for x in out[-editors:]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    editors = max(1, args.clients // 10)
    importers = max(1, args.clients // 25)
    readers = args.clients - editors - importers

    if not args.port:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            args.port = probe.getsockname()[1]
    static_root = tempfile.mkdtemp(prefix="scrutiny-load-static-")
    media_root = tempfile.mkdtemp(prefix="scrutiny-load-media-")
    env = {
        **os.environ,
        "DATABASE_URL": f"{args.postgres}/{DATABASE}",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": static_root,
        "MEDIA_ROOT": media_root,
        "AXES_FAILURE_LIMIT": "1000",
        "CONN_MAX_AGE": "60",
    }
    print(f"Preparing {DATABASE} (migrate, demo, published note, users)…", flush=True)
    note_id, items = prepare(env, editors, importers)
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "scrutiny.wsgi",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--threads",
            "4",
            "--worker-class",
            "gthread",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            if server.poll() is not None:
                raise SystemExit(f"gunicorn did not start (is port {args.port} taken?)")
            try:
                http.client.HTTPConnection("127.0.0.1", args.port, timeout=1).request("GET", "/")
                break
            except OSError:
                time.sleep(0.2)
        print(
            f"{readers} readers, {editors} editors and {importers} importers for "
            f"{args.seconds:.0f} s against gunicorn ({args.workers} workers × 4 threads)…",
            flush=True,
        )
        tally = Tally()
        accepted: dict[int, str] = {}
        deadline = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=reader, args=(args.port, note_id, deadline, tally))
            for _ in range(readers)
        ]
        threads += [
            threading.Thread(
                target=editor, args=(args.port, f"editor{n}", items[n], deadline, tally, accepted)
            )
            for n in range(editors)
        ]
        threads += [
            threading.Thread(target=importer, args=(args.port, f"importer{n}", deadline, tally))
            for n in range(importers)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.seconds + 120)
        elapsed = time.monotonic() - started
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    check = subprocess.run(
        [
            PYTHON,
            "manage.py",
            "shell",
            "-c",
            "from meetings.models import AgendaItem; import json; "
            f"print(json.dumps(dict(AgendaItem.objects.filter(pk__in={items!r})"
            ".values_list('pk', 'narrative'))))",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    import json

    stored = {int(k): v for k, v in json.loads(check.stdout.strip().splitlines()[-1]).items()}
    lost = [item for item, text in accepted.items() if stored.get(item) != text]

    total = sum(len(v) for v in tally.latencies.values())
    errors = sum(len(v) for v in tally.errors.values())
    print(
        f"\n{total} requests in {elapsed:.1f} s ({total / elapsed:.0f}/s), {errors} errors, "
        f"{len(lost)} lost writes\n"
    )
    print(f"{'request':<16}{'count':>7}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for kind in sorted(tally.latencies):
        values = sorted(tally.latencies[kind])
        q = statistics.quantiles(values, n=100) if len(values) > 1 else values * 99
        print(
            f"{kind:<16}{len(values):>7}{len(tally.errors[kind]):>8}"
            f"{q[49] * 1000:>9.0f}{q[94] * 1000:>9.0f}{q[98] * 1000:>9.0f}"
        )
    for kind, messages in tally.errors.items():
        if messages:
            print(f"  {kind}: e.g. {messages[0]}")
    _psql(f"DROP DATABASE IF EXISTS {DATABASE}")
    return 0 if errors == 0 and not lost else 1


if __name__ == "__main__":
    sys.exit(main())

"""Load and fault test: two gunicorn instances on loopback sharing PostgreSQL, Redis, an S3
server and a Celery worker; midway one instance and the worker are killed and restarted.

Anonymous readers fetch published notes and their PDFs while staff edit items and import data
and the Chief Executive signs notes (each signing a job for the worker). Reports requests,
errors (those to the killed instance while it was down counted apart) and latency percentiles
per kind of request; checks that no write was lost (each editor's item ends holding the last
text the portal accepted), that every job finished once the queue drained, and that every
signed note's PDF read back from the object store has the hash on its row.

    make load LOAD_ARGS="--clients 100 --seconds 60"

Everything runs on 127.0.0.1 and stops by itself. It needs PostgreSQL (default
postgres://postgres@127.0.0.1:5432), on which it creates and drops its own database
(scrutiny_bench_load), and Redis (default redis://127.0.0.1:6379/5, a database it empties);
it starts moto's S3 server (and makes its bucket), the worker and the app servers itself.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import re
import secrets
import shutil
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
DATABASE = "scrutiny_bench_load"
BUCKET = "scrutiny-load"
S3_KEYS = {"AWS_ACCESS_KEY_ID": "load-test-key", "AWS_SECRET_ACCESS_KEY": "load-test-secret"}
S3_REGION = "eu-west-2"
CHIEF_EXECUTIVE = ("chief-executive", "chief-executive-demo-password")
STAFF_PASSWORD = "load-test-password-1"


@dataclass
class Tally:
    """Every request: its kind, the instance (port) it went to, when it started and ended, and
    its error if it failed, so that the failures while an instance was down can be told apart."""

    events: list[tuple[str, int, float, float, str | None]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(
        self, kind: str, seconds: float, error: str | None = None, port: int = 0, started=None
    ) -> None:
        ended = time.monotonic()
        with self.lock:
            self.events.append(
                (kind, port, ended - seconds if started is None else started, ended, error)
            )


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

    def sign_in(self, username: str, password: str = STAFF_PASSWORD) -> None:
        _, _, page = self.request("GET", "/accounts/login/")
        status, _, _ = self.post_form(
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": self.csrf_from(page),
                "username": username,
                "password": password,
            },
        )
        if status != 302:
            raise RuntimeError(f"{username} could not sign in ({status})")


def _timed(tally: Tally, kind: str, expected: tuple[int, ...], call, *args):
    """``call(*args)``, timed and tallied; None when it failed outright (then a short pause, so
    that a client of an instance that is down does not spin)."""
    port = getattr(getattr(call, "__self__", None), "port", 0)
    started = time.monotonic()
    try:
        status, headers, body = call(*args)
    except Exception as error:
        tally.record(
            kind, time.monotonic() - started, f"{type(error).__name__}: {error}", port, started
        )
        time.sleep(0.2)
        return None
    error = None if status in expected else f"HTTP {status}"
    tally.record(kind, time.monotonic() - started, error, port, started)
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
    port: int,
    username: str,
    item_id: int,
    deadline: float,
    tally: Tally,
    accepted: dict[int, str],
    uncertain: dict[int, list[str]],
) -> None:
    """Saves its item again and again. A save with no answer (its instance killed) may or may
    not have been committed: its text is kept as uncertain until the next accepted save."""
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
            uncertain[item_id] = []
        elif saved is None:
            uncertain.setdefault(item_id, []).append(text)
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


def signer(port: int, meetings: list[int], deadline: float, tally: Tally, signed: list[int]):
    """The Chief Executive signs the notes waiting for them, spread over the run: each signing
    hands the PDF to a job, followed to its end as the browser does."""
    browser = Browser(port)
    browser.sign_in(CHIEF_EXECUTIVE[0], CHIEF_EXECUTIVE[1])
    for done_before, meeting in enumerate(meetings):
        left = len(meetings) - done_before
        # Spread over the first 80% of what is left of the run (following a job takes time).
        time.sleep(max(0.0, 0.8 * (deadline - time.monotonic()) / (left + 1)))
        if time.monotonic() >= deadline:
            return
        path = f"/meetings/{meeting}/sign/"
        for _ in range(5):  # the instance may be down for a while: try again
            page = _timed(tally, "sign page", (200,), browser.request, "GET", path)
            if page is None:
                time.sleep(1)
                continue
            found = re.search(rb'name="read_sha256" value="([0-9a-f]{64})"', page[2])
            if not found:
                break  # signed already (an earlier try's answer was lost)
            done = _timed(
                tally,
                "sign",
                (302,),
                browser.post_form,
                path,
                {
                    "csrfmiddlewaretoken": browser.csrf_from(page[2]),
                    "read_sha256": found.group(1).decode(),
                    "confirm": "on",
                },
            )
            if done is not None and done[0] == 302:
                signed.append(meeting)
                _after_job(tally, browser, done[1].get("Location", ""))
                break


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


def _psql(sql: str, database: str = "postgres") -> str:
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-qtAc", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int, path: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{process.args[0]} stopped at start (port {port})")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", path)
            connection.getresponse().read()
            connection.close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"nothing answered on port {port} within {seconds:.0f} s")


def _kill(process: subprocess.Popen) -> None:
    """SIGKILL to the process and all of its children (its own session), as a crash would."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def _stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        _kill(process)


def prepare(env: dict[str, str], editors: int, importers: int, notes: int):
    """A fresh database with the demo, a published note, the staff users, and ``notes``
    meetings submitted to the Chief Executive for signing."""
    _psql(f"DROP DATABASE IF EXISTS {DATABASE}")
    _psql(f"CREATE DATABASE {DATABASE}")
    manage = [PYTHON, "manage.py"]
    for command in (["migrate", "-v0"], ["collectstatic", "--no-input", "-v0"], ["demo"]):
        subprocess.run([*manage, *command], cwd=ROOT, env=env, check=True, capture_output=True)
    script = f"""
import datetime as dt
from zoneinfo import ZoneInfo
from django.contrib.auth.models import Group, User
from meetings import demo
from meetings.services import note, sign_off
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
to_sign = []
for n in range({notes}):
    meeting = note.meeting_create(
        user=publisher, body=demo.board_body(), has_start_time=False, venue=demo.BOARD_VENUE,
        start=dt.datetime(2015 + n // 12, 1 + n % 12, 10, tzinfo=ZoneInfo("Europe/London")),
        first_minute_number=1000 + 10 * n,
    )
    for title in ("Apologies", "Budget monitoring", "Any other business"):
        note.agenda_item_add(
            user=publisher, meeting=meeting, title=title, narrative=demo.BOARD_NOTE
        )
    sign_off.note_submit(user=publisher, meeting=meeting, warnings_confirmed=True)
    to_sign.append(meeting.pk)
print("IDS", september.pk, *items)
print("SIGN", *to_sign)
"""
    out = subprocess.run(
        [*manage, "shell", "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    ids = next(line for line in out if line.startswith("IDS")).split()[1:]
    to_sign = next(line for line in out if line.startswith("SIGN")).split()[1:]
    return int(ids[0]), [int(x) for x in ids[1:]], [int(x) for x in to_sign]


FINAL_CHECK = """
import hashlib, json
from django.core.files.storage import storages
default_storage = storages["default"]
from jobs.models import Job
from meetings.models import AgendaItem, Meeting
items = dict(AgendaItem.objects.filter(pk__in=ITEMS).values_list("pk", "narrative"))
jobs = list(Job.objects.values("kind", "state", "attempts"))
pdfs = {"storage": type(default_storage).__name__, "checked": 0, "bad": []}
for meeting in Meeting.objects.filter(status__in=["signed", "published"]):
    if not meeting.pdf_sha256 or not meeting.pdf:
        pdfs["bad"].append([meeting.pk, "no PDF recorded"])
        continue
    with default_storage.open(meeting.pdf.name, "rb") as stored:
        digest = hashlib.sha256(stored.read()).hexdigest()
    pdfs["checked"] += 1
    if digest != meeting.pdf_sha256:
        pdfs["bad"].append([meeting.pk, "stored file's hash differs from its row"])
print("RESULT", json.dumps({"items": items, "jobs": jobs, "pdfs": pdfs}))
"""


def _drain(env: dict[str, str], seconds: float) -> float:
    """Wait (at most ``seconds``) until no job is queued or running, running the sweeper every
    few seconds as an operator's cron would. Returns the time waited."""
    started = time.monotonic()
    last_sweep = 0.0
    while time.monotonic() - started < seconds:
        waiting = int(
            _psql("SELECT count(*) FROM jobs_job WHERE state IN ('queued', 'running')", DATABASE)
            or 0
        )
        if not waiting:
            break
        if time.monotonic() - last_sweep > 10:
            subprocess.run(
                [PYTHON, "manage.py", "sweep_jobs"], cwd=ROOT, env=env, capture_output=True
            )
            last_sweep = time.monotonic()
        time.sleep(2)
    return time.monotonic() - started


def _percentiles(values: list[float]) -> list[float]:
    values = sorted(values)
    return statistics.quantiles(values, n=100) if len(values) > 1 else values * 99


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers per instance")
    parser.add_argument("--notes", type=int, default=6, help="notes for the Chief Executive")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/5")
    parser.add_argument(
        "--no-faults", action="store_true", help="kill nothing (a baseline for the figures)"
    )
    parser.add_argument("--drain-seconds", type=float, default=180)
    args = parser.parse_args()
    editors = max(1, args.clients // 10)
    importers = max(1, args.clients // 25)
    readers = args.clients - editors - importers - 1  # and one Chief Executive

    import redis

    redis.Redis.from_url(args.redis).flushdb()  # no job or cache entry of an earlier run
    ports = [_free_port(), _free_port()]
    s3_port = _free_port()
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
        "REDIS_URL": args.redis,
        "STORAGE_S3_BUCKET": BUCKET,
        "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{s3_port}",
        "AWS_S3_REGION_NAME": S3_REGION,
        **S3_KEYS,
        # A job taken by the worker killed goes back on the queue after this long, and a job
        # with no sign of life for this long is sent again by the sweeper (the run's own
        # timings: the defaults are 300 and 600 s).
        "CELERY_VISIBILITY_TIMEOUT": "30",
        "JOBS_SWEEP_AFTER_SECONDS": "30",
    }
    env.pop("CELERY_BROKER_URL", None)
    gunicorn = [
        str(Path(PYTHON).parent / "gunicorn"),
        "scrutiny.wsgi",
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
    ]
    worker_command = [
        str(Path(PYTHON).parent / "celery"),
        "-A",
        "scrutiny",
        "worker",
        "--concurrency=2",
        "--loglevel=WARNING",
    ]

    logs = Path(tempfile.mkdtemp(prefix="scrutiny-load-logs-"))

    def start(command: list[str], log: str) -> subprocess.Popen:
        with open(logs / log, "ab") as output:
            return subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                start_new_session=True,
                stdout=output,
                stderr=subprocess.STDOUT,
            )

    def serve(port: int) -> subprocess.Popen:
        server = start([*gunicorn, "--bind", f"127.0.0.1:{port}"], f"gunicorn-{port}.log")
        _wait_for(port, "/healthz", server)
        return server

    s3 = start([PYTHON, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(s3_port)], "s3.log")
    servers: list[subprocess.Popen | None] = [None, None]
    worker = None
    faults: dict[str, float] = {}
    try:
        _wait_for(s3_port, "/moto-api/", s3)
        import boto3

        boto3.client(
            "s3",
            endpoint_url=env["AWS_S3_ENDPOINT_URL"],
            region_name=S3_REGION,
            aws_access_key_id=S3_KEYS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=S3_KEYS["AWS_SECRET_ACCESS_KEY"],
        ).create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": S3_REGION})
        print(f"Preparing {DATABASE} (migrate, demo, notes to sign, users)…", flush=True)
        note_id, items, to_sign = prepare(env, editors, importers, args.notes)
        worker = start(worker_command, "worker.log")
        servers = [serve(port) for port in ports]
        print(
            f"{readers} readers, {editors} editors, {importers} importers and 1 Chief Executive "
            f"for {args.seconds:.0f} s against two gunicorn instances (ports {ports[0]} and "
            f"{ports[1]}, {args.workers} workers × 4 threads each) and one Celery worker…",
            flush=True,
        )
        tally = Tally()
        accepted: dict[int, str] = {}
        uncertain: dict[int, list[str]] = {}
        signed: list[int] = []
        jobs_before = int(_psql("SELECT count(*) FROM jobs_job", DATABASE))
        deadline = time.monotonic() + args.seconds
        # Client n goes to instance n % 2.
        threads = [
            threading.Thread(target=signer, args=(ports[0], to_sign, deadline, tally, signed))
        ]
        threads += [
            threading.Thread(target=reader, args=(ports[(n + 1) % 2], note_id, deadline, tally))
            for n in range(readers)
        ]
        threads += [
            threading.Thread(
                target=editor,
                args=(
                    ports[n % 2],
                    f"editor{n}",
                    items[n],
                    deadline,
                    tally,
                    accepted,
                    uncertain,
                ),
            )
            for n in range(editors)
        ]
        threads += [
            threading.Thread(
                target=importer, args=(ports[(n + 1) % 2], f"importer{n}", deadline, tally)
            )
            for n in range(importers)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        if not args.no_faults:
            # Midway: instance 2 crashes and is started again; then the worker does.
            time.sleep(max(0.0, started + args.seconds * 0.4 - time.monotonic()))
            faults["server killed"] = time.monotonic()
            _kill(servers[1])
            servers[1] = serve(ports[1])
            faults["server back"] = time.monotonic()
            time.sleep(max(0.0, started + args.seconds * 0.55 - time.monotonic()))
            # Killed while it runs a job if one comes within 10 s, so that a job is cut short.
            for _ in range(50):
                running = _psql("SELECT count(*) FROM jobs_job WHERE state = 'running'", DATABASE)
                if int(running or 0):
                    break
                time.sleep(0.2)
            faults["worker killed"] = time.monotonic()
            faults["jobs running"] = int(running or 0)
            _kill(worker)
            time.sleep(2)
            worker = start(worker_command, "worker.log")
            faults["worker back"] = time.monotonic()
        for thread in threads:
            thread.join(timeout=args.seconds + 120)
        elapsed = time.monotonic() - started
        print("Waiting for the queue to drain…", flush=True)
        drained = _drain(env, args.drain_seconds)
        for process in (*servers, worker):
            _stop(process)
        check = subprocess.run(
            [PYTHON, "manage.py", "shell", "-c", FINAL_CHECK.replace("ITEMS", repr(items))],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
    finally:
        for process in (*servers, worker, s3):
            _stop(process)
    import json

    line = next(x for x in check.stdout.splitlines() if x.startswith("RESULT"))
    final = json.loads(line.split(" ", 1)[1])
    stored = {int(k): v for k, v in final["items"].items()}
    lost = [
        item
        for item, text in accepted.items()
        if stored.get(item) != text and stored.get(item) not in uncertain.get(item, [])
    ]
    jobs = final["jobs"]
    by_state = defaultdict(int)
    for job in jobs:
        by_state[job["state"]] += 1
    retried = sum(1 for job in jobs if job["attempts"] > 1)
    lost_jobs = by_state["queued"] + by_state["running"]
    pdfs = final["pdfs"]

    # The requests to the killed instance that failed while it was down (from its kill until it
    # answered again) are counted apart; every other failure is an error.
    down = (faults.get("server killed", 0.0), faults.get("server back", 0.0))

    def in_downtime(event) -> bool:
        _kind, port, began, ended, error = event
        return bool(error) and port == ports[1] and began <= down[1] and ended >= down[0]

    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    downtime_failures = 0
    for event in tally.events:
        kind, port, began, ended, error = event
        if in_downtime(event):
            downtime_failures += 1
            continue
        latencies[kind].append(ended - began)
        if error:
            errors[kind].append(f"{error} (port {port}, at {began - started:.1f} s)")
    total = len(tally.events)
    error_count = sum(len(v) for v in errors.values())
    in_run = sum(1 for event in tally.events if event[2] < started + args.seconds)
    print(
        f"\n{total} requests ({in_run} in the {args.seconds:.0f} s of load, "
        f"{in_run / args.seconds:.0f}/s; the clients done {elapsed:.0f} s after starting, "
        f"having followed their last jobs), {error_count} errors, "
        f"{downtime_failures} failed on the killed instance while it was down"
    )
    if faults:
        print(
            f"instance 2 killed at {faults['server killed'] - started:.1f} s, answering again "
            f"{faults['server back'] - faults['server killed']:.1f} s later; worker killed at "
            f"{faults['worker killed'] - started:.1f} s, running {faults['jobs running']} "
            f"job(s), and started again 2 s later"
        )
    print(
        f"writes: {len(accepted)} items saved (last accepted text checked), {len(lost)} lost, "
        f"{sum(len(v) for v in uncertain.values())} saves without an answer pending"
    )
    print(
        f"jobs: {len(jobs)} ({len(jobs) - jobs_before} during the run), "
        f"{by_state['done']} done, {by_state['failed']} failed, {retried} retried "
        f"(more than one attempt), {lost_jobs} lost (still queued or running after "
        f"{drained:.0f} s of draining)"
    )
    print(
        f"signed notes: {len(signed)} signed during the run; {pdfs['checked']} stored PDFs "
        f"read back from {pdfs['storage']}, {len(pdfs['bad'])} not matching their row "
        f"{pdfs['bad'] or ''}"
    )
    try:
        load = os.getloadavg()
        print(f"load average at the end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    except OSError:
        pass
    print(f"\n{'request':<16}{'count':>7}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    everything: list[float] = []
    for kind in sorted(latencies):
        values = latencies[kind]
        everything += values
        q = _percentiles(values)
        print(
            f"{kind:<16}{len(values):>7}{len(errors[kind]):>8}"
            f"{q[49] * 1000:>9.0f}{q[94] * 1000:>9.0f}{q[98] * 1000:>9.0f}"
        )
    if everything:
        q = _percentiles(everything)
        print(
            f"{'all':<16}{len(everything):>7}{error_count:>8}"
            f"{q[49] * 1000:>9.0f}{q[94] * 1000:>9.0f}{q[98] * 1000:>9.0f}"
        )
    for kind, messages in errors.items():
        if messages:
            print(f"  {kind}: e.g. {messages[0]}")
    _psql(f"DROP DATABASE IF EXISTS {DATABASE}")
    ok = not error_count and not lost and not lost_jobs and not pdfs["bad"]
    for folder in (static_root, media_root, *([] if not ok else [logs])):
        shutil.rmtree(folder, ignore_errors=True)
    if not ok:
        print(f"The servers' and the worker's logs are kept in {logs}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

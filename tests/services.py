"""The services of several servers, for the tests marked ``scaleout``: a real S3 API (moto's
server mode, in a child process on a free port of the loopback) and a bucket for each test."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# moto accepts any keys; the tests pass them the way production does, in the environment.
S3_KEYS = {
    "AWS_ACCESS_KEY_ID": "scaleout-test-key",
    "AWS_SECRET_ACCESS_KEY": "scaleout-test-secret",
}
S3_REGION = "eu-west-2"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, *, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@dataclass
class S3Server:
    endpoint_url: str
    process: subprocess.Popen | None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)


def s3_server_start() -> S3Server:
    """The S3 server of ``SCALEOUT_S3_ENDPOINT_URL`` when CI started one, else a new one."""
    if url := os.environ.get("SCALEOUT_S3_ENDPOINT_URL"):
        return S3Server(endpoint_url=url, process=None)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = S3Server(endpoint_url=f"http://127.0.0.1:{port}", process=process)
    try:
        wait_for(f"{server.endpoint_url}/moto-api/")
    except OSError:
        server.stop()
        raise
    return server


def s3_client(endpoint_url: str):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        region_name=S3_REGION,
        aws_access_key_id=S3_KEYS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=S3_KEYS["AWS_SECRET_ACCESS_KEY"],
    )


def s3_bucket_create(endpoint_url: str) -> str:
    name = f"scrutiny-test-{uuid.uuid4().hex[:12]}"
    s3_client(endpoint_url).create_bucket(
        Bucket=name, CreateBucketConfiguration={"LocationConstraint": S3_REGION}
    )
    return name


def s3_storage_setting(*, endpoint_url: str, bucket: str, prefix: str = "") -> dict:
    """``STORAGES["default"]`` as the settings make it from ``STORAGE_S3_BUCKET``."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url,
            "region_name": S3_REGION,
            "location": prefix,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }


def database_url(settings_dict: dict) -> str:
    """The URL of the database a connection uses (the test database, once it is made), for a
    child process to use the same one."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(settings_dict['NAME']).resolve()}"
    user = settings_dict.get("USER") or ""
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


class Worker:
    """``make worker`` as a child process, killed and started again at will: SIGKILL, as a
    machine lost or the kernel's OOM killer would."""

    def __init__(self, env: dict[str, str]):
        self.env = {**os.environ, **env}
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "scrutiny",
                "worker",
                "--pool=solo",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=WARNING",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None

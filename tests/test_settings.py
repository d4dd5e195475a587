"""Settings come from the environment; production refuses to start without a secret key."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _settings_with(env: dict[str, str]) -> subprocess.CompletedProcess:
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'scrutiny.settings'; "
        "from django.conf import settings; "
        "print(settings.DEBUG, settings.ALLOWED_HOSTS, settings.DATABASES['default']['ENGINE'], "
        "settings.TIME_ZONE, settings.LANGUAGE_CODE, settings.ORGANISATION_NAME)"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_without_a_secret_key_refuses_to_start():
    result = _settings_with({"DEBUG": "false"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_settings_come_from_the_environment():
    result = _settings_with(
        {
            "DEBUG": "false",
            "SECRET_KEY": "x" * 50,
            "ALLOWED_HOSTS": "scrutiny.example.org, b.org",
            "DATABASE_URL": "postgres://u@db:5432/scrutiny",
            "ORGANISATION_NAME": "Another OPCC",
        }
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == (
        "False ['scrutiny.example.org', 'b.org'] django.db.backends.postgresql "
        "Europe/London en-gb Another OPCC"
    )


def test_the_default_database_is_sqlite_under_var():
    result = _settings_with({"DEBUG": "true"})
    assert "django.db.backends.sqlite3" in result.stdout


def test_production_settings_pass_the_deployment_checks():
    env = {
        "DEBUG": "false",
        "SECRET_KEY": "k3y-" + "a1B2c3D4e5F6g7H8" * 4,
        "ALLOWED_HOSTS": "scrutiny.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://scrutiny.example.org",
    }
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_pages_carry_a_strict_content_security_policy(client, db):
    response = client.get("/notes/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"

"""The settings as a new process makes them from an environment: settings are read once, at
start, so a test of an environment variable needs a process of its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setting_from(env: dict[str, str], expression: str, *, unset: tuple[str, ...] = ()):
    """``expression`` (of ``settings``) in a process with ``env``, every variable whose name
    starts with one of ``unset`` removed first, as JSON."""
    code = (
        "import json, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'scrutiny.settings'; "
        f"from django.conf import settings; print(json.dumps({expression}))"
    )
    clean = {k: v for k, v in os.environ.items() if not (unset and k.startswith(unset))}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)

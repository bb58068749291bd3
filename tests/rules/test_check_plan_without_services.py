"""check_plan reads published versions from the portal's database only when a plan names one
that is not built in: whatever state the database and the cache are in, the contract's exit
codes hold, nothing else is written, and nothing hangs."""

import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PLAN = {
    "student": {"track": "FISE", "year": 2, "engineering_internship_validated": True},
    "activities": [
        {
            "kind": "exchange_semester",
            "start": "2026-09-01",
            "end": "2027-01-31",
            "country": "DE",
            "partner": True,
            "ects": 30,
        }
    ],
}


def run_check_plan(tmp_path, timeout=30, document=PLAN, **env):
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(document))
    environment = {**os.environ, **env}
    environment.pop("DJANGO_SETTINGS_MODULE", None)  # manage.py's own default
    return subprocess.run(
        [sys.executable, "manage.py", "check_plan", str(plan)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def silent_server():
    """A TCP port that accepts connections and never answers (a hung database or cache)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held = []

    def accept():
        while True:
            try:
                held.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield server.getsockname()[1]
    server.close()


def test_a_hung_postgresql_does_not_hang_check_plan(tmp_path, silent_server):
    try:
        result = run_check_plan(
            tmp_path, DATABASE_URL=f"postgres://u:p@127.0.0.1:{silent_server}/portal"
        )
    except subprocess.TimeoutExpired:
        pytest.fail("check_plan still waiting for the database after 30 s")
    assert (result.returncode, result.stderr) == (0, "")


def test_an_unreachable_cache_prints_nothing_on_stderr(tmp_path):
    result = run_check_plan(tmp_path, CACHE_URL="redis://127.0.0.1:1/1")
    assert result.returncode == 0
    assert result.stderr == ""


def test_a_version_looked_for_in_a_hung_postgresql_is_unknown_within_seconds(
    tmp_path, silent_server
):
    result = run_check_plan(
        tmp_path,
        document={**PLAN, "regulation": "2031"},
        DATABASE_URL=f"postgres://u:p@127.0.0.1:{silent_server}/portal",
    )
    assert result.returncode == 2
    assert "2031" in result.stderr and result.stdout == ""


def test_an_empty_database_url_is_no_database_configured(tmp_path):
    # DATABASE_URL= (declared, left empty, as CI files and containers do) once stopped the
    # settings with a traceback and status 1, which reads as "not compliant".
    result = run_check_plan(tmp_path, DATABASE_URL="")
    assert (result.returncode, result.stderr) == (0, "")
    assert json.loads(result.stdout)["compliant"] is True

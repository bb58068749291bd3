"""check_plan at the edges of the contract (regulations.md): an endless input, a report that
cannot be written, a system error told in French, and the default version of a plan naming none.
Each test states the contract line it holds the command to."""

import io
import json
import os
import resource
import subprocess
import sys
from datetime import date as D
from pathlib import Path

import pytest
from django.core.management import call_command

from apps.rules import VERSIONS
from apps.rules.versions import PARAMETERS
from tests.rules.builders import activity, plan

ROOT = Path(__file__).resolve().parents[2]
COMPLIANT = plan(
    activity("exchange_semester", D(2026, 9, 1), D(2027, 1, 31)),
    engineering_internship_validated=True,
)


def _limit_memory() -> None:
    # 1 GiB of address space: ample for Django and any plan a person writes.
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def _run(arguments: list[str], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE):
    environment = dict(os.environ)
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "manage.py", "check_plan", *arguments],
        cwd=ROOT,
        env=environment,
        stdin=stdin,
        stdout=stdout,
        stderr=subprocess.PIPE,
        preexec_fn=_limit_memory,
        timeout=120,
    )


@pytest.mark.parametrize("source", ["-", "/dev/zero"])
def test_endless_input_is_invalid_input_not_a_crash_reading_as_not_compliant(source):
    """Contract: "Exit status: 0 compliant, 1 not compliant, 2 invalid input — then nothing on
    standard output, and one line per problem on standard error". An endless (or huge) input
    runs out of memory: MemoryError, a traceback, status 1 ("not compliant")."""
    with open("/dev/zero", "rb") as zeros:
        done = _run([source, "--lang", "en"], stdin=zeros)
    lines = done.stderr.decode("utf-8", "replace").splitlines()
    assert done.returncode == 2, lines[-3:]
    assert done.stdout == b""
    assert len(lines) == 1 and "Traceback" not in lines[0]


def test_a_compliant_plan_never_exits_1_when_its_output_cannot_be_written(tmp_path):
    """Status 1 means "not compliant": a compliant plan whose report cannot be written
    (a full disk, a closed pipe) must not exit 1 with a traceback."""
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(COMPLIANT))
    with open("/dev/full", "wb") as full:
        done = _run([str(path)], stdout=full)
    assert done.returncode == 74  # neither a verdict (0, 1) nor invalid input (2)
    assert done.stderr.decode().splitlines() == [
        "le rapport ne peut pas être écrit (plus de place sur le disque)"
    ]


def test_an_unreadable_file_is_reported_in_french_by_default(tmp_path):
    """Contract: "--lang fr|en, French by default"; the product: French and English everywhere.
    The line reads "…: illisible (No such file or directory)", the reason in English."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("check_plan", str(tmp_path / "absent.json"), stdout=stdout, stderr=stderr)
    assert exited.value.code == 2
    (line,) = stderr.getvalue().splitlines()
    assert line == f"{tmp_path / 'absent.json'}: illisible (fichier ou dossier introuvable)"


@pytest.mark.django_db
def test_a_plan_naming_no_version_is_checked_under_the_current_version(tmp_path):
    """Contract: `"regulation": "2024",  # optional; default: the current version`. Once the
    DRI publishes 2025 it is the current version (the portal checks under it), yet check_plan
    checks a plan naming none under 2024, so the portal and the command disagree."""
    from apps.rules.models import PublishedRegulation
    from tests.factories import UserFactory

    figures = {name: getattr(VERSIONS["2024"], name) for name in PARAMETERS}
    PublishedRegulation.objects.create(
        name="2025",
        figures={**figures, "semester_minimum_ects": 27},
        note="27 ECTS",
        published_by=UserFactory(),
    )
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(COMPLIANT))
    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit):
        call_command("check_plan", str(path), stdout=stdout, stderr=stderr)
    assert json.loads(stdout.getvalue())["regulation"] == "2025"

"""`manage.py check_plan`: output, exit status 0/1/2, standard input, languages, formats.
No database: call_command runs the command in-process."""

import io
import json
import os
import subprocess
import sys
from datetime import date as D
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.rules.builders import activity, plan

REPOSITORY = Path(__file__).resolve().parents[2]

COMPLIANT = plan(activity("exchange_semester", D(2026, 9, 1), D(2027, 1, 31), id="s1"),
                 engineering_internship_validated=True)  # fmt: skip
NOT_COMPLIANT = plan(activity("exchange_semester", D(2026, 9, 1), D(2027, 1, 31), ects=24))
INVALID = plan(
    activity("exchange_semester", D(2026, 9, 1), D(2027, 1, 31)),
    activity("fh_internship", D(2027, 7, 1), D(2027, 6, 30), country="XX"),
)


def run(*arguments: str) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("check_plan", *arguments, stdout=stdout, stderr=stderr)
    return exited.value.code, stdout.getvalue(), stderr.getvalue()


@pytest.fixture
def plan_file(tmp_path):
    def write(content: dict | bytes) -> str:
        path = tmp_path / "plan.json"
        path.write_bytes(content if isinstance(content, bytes) else json.dumps(content).encode())
        return str(path)

    return write


def test_compliant_plan_exits_0_with_the_output_object(plan_file):
    status, stdout, stderr = run(plan_file(COMPLIANT))
    assert (status, stderr) == (0, "")
    assert json.loads(stdout) == {
        "regulation": "2024",
        "compliant": True,
        "qualifying_days": 153,
        "required_days": 0,
        "findings": [],
    }


def test_non_compliant_plan_exits_1_with_findings_in_french(plan_file):
    status, stdout, stderr = run(plan_file(NOT_COMPLIANT))
    assert (status, stderr) == (1, "")
    assert stdout.startswith('{\n  "regulation": "2024",')
    output = json.loads(stdout)
    assert list(output) == [
        "regulation",
        "compliant",
        "qualifying_days",
        "required_days",
        "findings",
    ]
    assert output["compliant"] is False
    assert [(f["rule"], f["severity"], f["activity"]) for f in output["findings"]] == [
        ("SEMESTER_ECTS", "error", "0"),
        ("SEMESTER_INTERNSHIP", "error", "0"),
    ]
    assert output["findings"][0]["message"] == (
        "Le semestre d'échange prévoit 24 ECTS ; il en faut au moins 30."
    )
    assert "Le semestre d'échange" in stdout  # not escaped to \u00e9


def test_lang_en(plan_file):
    status, stdout, _ = run(plan_file(NOT_COMPLIANT), "--lang", "en")
    assert status == 1
    assert json.loads(stdout)["findings"][0]["message"] == (
        "The exchange semester plans 24 ECTS; at least 30 ECTS are required."
    )


def test_invalid_input_exits_2_with_one_line_per_problem_and_nothing_on_stdout(plan_file):
    status, stdout, stderr = run(plan_file(INVALID), "--lang", "en")
    assert (status, stdout) == (2, "")
    assert stderr.splitlines() == [
        "activities[1].end: 30 June 2027 is before the start, 1 July 2027",
        'activities[1].country: unknown country code "XX"',
    ]


def test_invalid_input_in_french_by_default(plan_file):
    status, stdout, stderr = run(plan_file(b"[]"))
    assert (status, stdout, stderr) == (2, "", "plan: doit être un objet JSON\n")


def test_bytes_that_are_not_json(plan_file):
    status, stdout, stderr = run(plan_file(b"\xff\x00{"), "--lang", "en")
    assert (status, stdout, stderr) == (2, "", "plan: not UTF-8 text\n")


def test_unreadable_file_exits_2_with_one_line(tmp_path):
    missing = str(tmp_path / "missing.json")
    status, stdout, stderr = run(missing, "--lang", "en")
    assert (status, stdout) == (2, "")
    assert stderr == f"{missing}: cannot be read (No such file or directory)\n"
    status, stdout, stderr = run(str(tmp_path), "--lang", "en")
    assert (status, stdout, len(stderr.splitlines())) == (2, "", 1)


def test_dash_reads_standard_input(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(json.dumps(COMPLIANT).encode())))
    status, stdout, _ = run("-")
    assert status == 0
    assert json.loads(stdout)["compliant"] is True


def test_dash_reads_a_text_only_standard_input(monkeypatch):
    # A stream without a byte buffer (a StringIO, or stdin replaced by an embedding program).
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(COMPLIANT)))
    status, stdout, _ = run("-")
    assert status == 0
    assert json.loads(stdout)["compliant"] is True


def test_text_format_one_line_per_finding_and_a_summary(plan_file):
    status, stdout, _ = run(plan_file(NOT_COMPLIANT), "--format", "text", "--lang", "en")
    assert status == 1
    assert stdout.splitlines() == [
        "ERROR SEMESTER_ECTS [0] The exchange semester plans 24 ECTS; at least 30 ECTS are "
        "required. (Regulations 2024 — One semester abroad, ECTS credits)",
        "ERROR SEMESTER_INTERNSHIP [0] An exchange semester requires an engineering internship, "
        "before or after the semester: the plan has none and none is validated yet. "
        "(Regulations 2024 — One semester abroad, engineering internship)",
        "Not compliant: 2 errors, 0 warnings, 0 notes; qualifying time abroad 153 days, "
        "required 0 days.",
    ]


def test_an_unknown_option_value_is_refused(plan_file):
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("check_plan", plan_file(COMPLIANT), "--lang", "de")


@pytest.mark.parametrize("encoding", [None, "latin-1", "ascii"])
def test_manage_py_as_a_subprocess(tmp_path, encoding):
    """Whatever the terminal's encoding, the output is UTF-8 and the status the verdict's."""
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(NOT_COMPLIANT))
    environment = dict(os.environ)
    environment.pop("DJANGO_SETTINGS_MODULE", None)  # manage.py's own default
    if encoding:
        environment["PYTHONIOENCODING"] = encoding

    def manage(*arguments: str, stdin: bytes = b"") -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", "check_plan", *arguments],
            cwd=REPOSITORY,
            env=environment,
            input=stdin,
            capture_output=True,
            timeout=60,
        )

    checked = manage(str(path), "--lang", "en")
    assert (checked.returncode, checked.stderr) == (1, b"")
    assert json.loads(checked.stdout)["findings"][0]["rule"] == "SEMESTER_ECTS"

    invalid = manage("-", stdin=json.dumps(INVALID).encode())
    assert (invalid.returncode, invalid.stdout) == (2, b"")
    assert invalid.stderr.decode().splitlines() == [
        "activities[1].end: 30 juin 2027 précède le début, 1er juillet 2027",
        'activities[1].country: code pays inconnu : "XX"',
    ]


def test_a_missing_file_with_an_odd_name_is_one_printable_line(tmp_path):
    """A name that is not UTF-8, or that holds a line break, still makes one line on standard
    error and status 2 (it made a traceback and status 1, which reads as "not compliant")."""
    missing = os.fsencode(tmp_path) + b"/plan\xff\nnew line.json"
    environment = dict(os.environ)
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    checked = subprocess.run(
        [sys.executable, "manage.py", "check_plan", missing, "--lang", "en"],
        cwd=REPOSITORY,
        env=environment,
        capture_output=True,
        timeout=60,
    )
    assert (checked.returncode, checked.stdout) == (2, b"")
    assert checked.stderr.decode() == (
        f"{tmp_path}/plan\\xff\\nnew line.json: cannot be read (No such file or directory)\n"
    )


def test_dash_with_standard_input_closed_is_unreadable_input():
    environment = dict(os.environ)
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    checked = subprocess.run(
        ["sh", "-c", f'exec <&- "{sys.executable}" manage.py check_plan - --lang en'],
        cwd=REPOSITORY,
        env=environment,
        capture_output=True,
        timeout=60,
    )
    assert (checked.returncode, checked.stdout) == (2, b"")
    assert checked.stderr == b"-: cannot be read (Bad file descriptor)\n"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", ["plan: not valid JSON (line 1, column 1)"]),
        (b" \n", ["plan: not valid JSON (line 2, column 1)"]),
        (
            json.dumps({**COMPLIANT, "regulation": "2023"}).encode(),
            ['regulation: unknown regulation version "2023"; known versions: 2024'],
        ),
        (
            json.dumps({"student": {"track": "FISE", "year": 4}, "activities": [{}]}).encode(),
            [
                "student.year: unknown value 4; expected one of 1, 2, 3",
                "activities[0].kind: required field missing",
                "activities[0].start: required field missing",
                "activities[0].end: required field missing",
                "activities[0].country: required field missing",
            ],
        ),
    ],
    ids=["empty-file", "blank-file", "unknown-version", "schema-violations"],
)
def test_invalid_input_of_every_sort_exits_2_naming_each_field(plan_file, content, expected):
    status, stdout, stderr = run(plan_file(content), "--lang", "en")
    assert (status, stdout) == (2, "")
    assert stderr.splitlines() == expected

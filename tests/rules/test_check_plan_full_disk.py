"""check_plan's exit statuses when its error stream cannot be written either.

Contract (regulations.md): "Exit status: 0 compliant, 1 not compliant, 2 invalid input". The
command's own docstring adds 74 for a report that cannot be written, "which must not read as a
verdict". A plan checked with its output and errors sent to files on a full disk
(`check_plan plan.json > report.json 2> errors.log`) fails both writes."""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.rules.test_check_plan_limits import COMPLIANT

ROOT = Path(__file__).resolve().parents[2]


def _run(arguments, stdout, stderr):
    environment = dict(os.environ)
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "manage.py", "check_plan", *arguments],
        cwd=ROOT,
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=stdout,
        stderr=stderr,
        timeout=120,
    )


def test_a_compliant_plan_on_a_full_disk_does_not_exit_1(tmp_path):
    """The report fails (ENOSPC), then the line saying so fails too: the uncaught OSError ends
    the command with status 1, "not compliant", for a compliant plan."""
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(COMPLIANT))
    with open("/dev/full", "wb") as out, open("/dev/full", "wb") as err:
        done = _run([str(path)], stdout=out, stderr=err)
    assert done.returncode == 74


def test_an_invalid_plan_on_a_full_disk_does_not_exit_1(tmp_path):
    """Invalid input is status 2 even when its lines cannot be written: 1 reads "not
    compliant"."""
    path = tmp_path / "plan.json"
    path.write_text("{}")
    with open("/dev/full", "wb") as err:
        done = _run([str(path)], stdout=subprocess.DEVNULL, stderr=err)
    assert done.returncode == 2


def test_write_errors_of_a_full_quota_or_file_size_limit_are_told_in_french():
    """The French line reads "le rapport ne peut pas être écrit (Disk quota exceeded)": the
    errors a report's write meets besides ENOSPC (a user's quota, RLIMIT_FSIZE) keep the C
    library's English."""
    import errno

    from apps.rules.messages import system_error

    for code in (errno.EDQUOT, errno.EFBIG):
        error = OSError(code, os.strerror(code))
        assert system_error(error, "fr") != os.strerror(code), os.strerror(code)

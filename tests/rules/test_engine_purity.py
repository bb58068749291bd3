"""The engine runs without Django: the command line and the portal wrap it, never the reverse."""

import subprocess
import sys
from pathlib import Path

from apps.rules import bench

REPOSITORY = Path(__file__).resolve().parents[2]


def test_the_engine_and_its_benchmark_import_no_django():
    script = (
        "import sys, apps.rules, apps.rules.bench; "
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'django'))"
    )
    imported = subprocess.run(
        [sys.executable, "-c", script], cwd=REPOSITORY, capture_output=True, text=True, timeout=60
    )
    assert (imported.returncode, imported.stdout, imported.stderr) == (0, "[]\n", "")


def test_the_benchmark_prints_a_row_per_plan(monkeypatch, capsys):
    calls = []
    monkeypatch.setattr(bench, "best_microseconds", lambda call: calls.append(call()) or 1.0)
    bench.main()
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[:2] for line in lines[1:3]] == [["typical", "3"], ["long", "20"]]
    assert lines[3].split()[:3] == ["long,", "broken", "20"]
    assert len(calls) == 6

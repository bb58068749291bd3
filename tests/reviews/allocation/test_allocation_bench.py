"""The algorithm and its benchmark run without Django; the benchmark prints its figures."""

import subprocess
import sys
from pathlib import Path

from apps.reviews import allocation_bench

REPOSITORY = Path(__file__).resolve().parents[3]


def test_the_algorithm_and_its_benchmark_import_no_django():
    script = (
        "import sys, apps.reviews.allocation, apps.reviews.allocation_bench; "
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'django'))"
    )
    imported = subprocess.run(
        [sys.executable, "-c", script], cwd=REPOSITORY, capture_output=True, text=True, timeout=60
    )
    assert (imported.returncode, imported.stdout, imported.stderr) == (0, "[]\n", "")


def test_the_benchmark_world_has_the_target_size():
    applicants, seats = allocation_bench.world()
    assert (len(applicants), len(seats)) == (2_000, 300)
    assert {len(applicant.choices) for applicant in applicants} == {3}
    assert allocation_bench.world() == (applicants, seats)


def test_the_benchmark_prints_best_and_median(monkeypatch, capsys):
    monkeypatch.setattr(allocation_bench, "RUNS", 2)
    allocation_bench.main()
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("2000 applicants × 3 choices over 300 agreements")
    assert lines[1].startswith("allocate: best ")
    assert "median" in lines[1] and "over 2 runs" in lines[1]

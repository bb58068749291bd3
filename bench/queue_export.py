"""How long the queue's Excel export takes to write: `workbook_bytes` on the first N
applications of a database seeded with `manage.py seed_scale`, in-process, CPU and wall time.

```sh
createdb -h 127.0.0.1 -U postgres mobility_scale_export
export DATABASE_URL='postgres://postgres@127.0.0.1:5432/mobility_scale_export?options=-c%20jit%3Doff'
.venv/bin/python manage.py migrate -v0
.venv/bin/python manage.py seed_scale --students 19000   # 10,228 applications exported
.venv/bin/python bench/queue_export.py --sizes 1000 0 --rounds 3   # 0: all; --profile
```

Prints, for each size, the best of the rounds: the workbook's time (CPU and wall, the query
included), the CPU per application, the file's size and the queries run. The applications
are those the unfiltered export lists (the queue's sort), cut at N.
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = (
    "postgres://postgres@127.0.0.1:5432/mobility_scale_export?options=-c%20jit%3Doff"
)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--language", default="en")
    parser.add_argument("--profile", action="store_true", help="cProfile the largest size")
    return parser.parse_args()


def setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mobility_portal.settings.base")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def exported(size: int, available: int):
    """What the unfiltered export writes (the queue's sort), cut at `size` applications."""
    from django.http import QueryDict

    from apps.reviews.filters import QueueFilter
    from apps.reviews.selectors_queue import export_applications

    applications = QueueFilter(QueryDict(""), queryset=export_applications()).qs
    if size >= available:
        return applications
    return export_applications().filter(
        pk__in=list(applications.values_list("pk", flat=True)[:size])
    )


def main() -> None:
    options = arguments()
    setup(options.database_url)
    from django.db import connection
    from django.http import QueryDict
    from django.test.utils import CaptureQueriesContext
    from django.utils.translation import override

    from apps.reviews.exports.applications import workbook_bytes
    from apps.reviews.filters import QueueFilter
    from apps.reviews.selectors_queue import export_applications

    available = QueueFilter(QueryDict(""), queryset=export_applications()).qs.count()
    print(f"{available:,} applications in the unfiltered export; language {options.language}")
    print(f"{'N':>7} {'CPU s':>7} {'wall s':>7} {'CPU ms/app':>11} {'file KB':>8} {'queries':>8}")
    for size in options.sizes:
        size = min(size, available) if size else available
        best = None
        for _round in range(options.rounds):
            applications = exported(size, available)
            with override(options.language), CaptureQueriesContext(connection) as queries:
                cpu, wall = time.process_time(), time.perf_counter()
                content = workbook_bytes(applications)
                cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            if best is None or cpu < best[0]:
                best = (cpu, wall, len(content), len(queries))
        cpu, wall, length, query_count = best
        print(
            f"{size:>7,} {cpu:>7.2f} {wall:>7.2f} {cpu / size * 1000:>11.3f} "
            f"{length / 1024:>8.0f} {query_count:>8}"
        )
    if options.profile:
        sizes = [size or available for size in options.sizes]
        size = min(max(sizes), available)
        profiler = cProfile.Profile()
        with override(options.language):
            profiler.runcall(workbook_bytes, exported(size, available))
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()

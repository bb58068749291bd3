"""What each key page of the load benchmark costs, in-process, without HTTP or concurrency.

    .venv/bin/python bench/profile_pages.py [--rounds N] [--profile PAGE] [--database-url URL]

Uses the scale database of bench/run.py (seed it first: `make bench` or `manage.py seed_scale`)
with production settings, and asks every variant of each page the benchmark asks (the same
filters, dossiers and live-check forms) through Django's test client. Prints, per page, the mean
wall time, the CPU time of this process, the number of SQL queries and the time spent waiting for
them. `--profile PAGE` prints the functions where that page spends its time (cProfile).

The clients carry a CSRF cookie, as the benchmark's browsers do, so pages asked again are served
from their session's page cache (mobility_portal/page_cache.py), as in the benchmark; `--render`
turns that cache off to measure what rendering each page costs.
"""

import argparse
import atexit
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import run  # noqa: E402  (bench/run.py: the same database, cast and page names)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", run.DEFAULT_DATABASE_URL)
    )
    parser.add_argument(
        "--cache-url", default=os.environ.get("BENCH_CACHE_URL", run.DEFAULT_CACHE_URL)
    )
    parser.add_argument("--rounds", type=int, default=5, help="times each variant is asked")
    parser.add_argument("--profile", choices=sorted(run.PAGES), help="profile one page")
    parser.add_argument("--render", action="store_true", help="no page cache: render each time")
    return parser.parse_args()


class QueryTimer:
    """Counts the queries of the default connection and the time spent waiting for them."""

    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1


def requests_per_page(who: "run.Cast") -> dict[str, list]:
    """Each page's variants, as callables taking the test client."""
    first_student_activity = next((ids for _email, ids in who.students if ids), [])

    def get(path: str, params: dict | None = None):
        return lambda client: client.get(f"{path}?{urlencode(params)}" if params else path)

    def live_check(form: dict, activity_id: int | None):
        data = dict(form)
        if activity_id:
            data["activity_id"] = str(activity_id)
        return lambda client: client.post("/plan/check/", data, headers={"HX-Request": "true"})

    return {
        "catalogue": [get("/catalogue/", params) for params in who.catalogue],
        "student_dashboard": [get("/dashboard/")],
        "plan_live_check": [
            live_check(form, activity)
            for form in who.activity_forms[:6]
            for activity in (None, *first_student_activity[:1])
        ],
        "dri_queue": [get("/staff/applications/", params) for params in who.queue],
        "dossier": [get(f"/staff/applications/{pk}/") for pk in who.dossiers[:12]],
        "staff_dashboard": [get("/staff/dashboard/")],
        "baseline": [get("/staff/operations/healthz")],
    }


def main() -> None:
    args = arguments()
    # The benchmark server's environment, asked through Django's test client instead of HTTP
    # (static files are not collected: see the STORAGES override below).
    # An empty folder of its own: WhiteNoise walks STATIC_ROOT when it starts, and a socket in
    # the system's temporary folder (a PostgreSQL one, say) stopped it there.
    static_root = Path(tempfile.mkdtemp(prefix="mobility-profile-static-"))
    atexit.register(static_root.rmdir)
    os.environ.update(run.server_environment(args, static_root))
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    who = run.cast()
    users = get_user_model().objects
    student = Client(HTTP_ACCEPT_LANGUAGE="en")
    student.force_login(users.get(email=who.students[0][0]))
    staff = Client(HTTP_ACCEPT_LANGUAGE="en")
    staff.force_login(users.get(email=who.staff[0]))
    for client in (student, staff):
        client.cookies["csrftoken"] = "b" * 32  # a browser's, set by its first page with a form
    clients = {
        "catalogue": student,
        "student_dashboard": student,
        "plan_live_check": student,
    }
    pages = requests_per_page(who)
    if args.profile:
        pages = {args.profile: pages[args.profile]}

    # Static files are not collected for this run: template {% static %} tags need no manifest.
    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        print(f"{'page':<20} {'wall ms':>8} {'cpu ms':>7} {'queries':>8} {'sql ms':>7}")
        for page, variants in pages.items():
            client = clients.get(page, staff)
            for ask in variants:  # warm up: caches, compiled templates, connections
                response = ask(client)
                if response.status_code != 200:
                    raise SystemExit(f"{page}: HTTP {response.status_code}")
            walls, cpus, counts, sqls = [], [], [], []
            profiler = cProfile.Profile() if args.profile else None
            for _round in range(args.rounds):
                for ask in variants:
                    timer = QueryTimer()
                    with connection.execute_wrapper(timer):
                        wall, cpu = time.perf_counter(), time.process_time()
                        if profiler:
                            profiler.enable()
                        ask(client)
                        if profiler:
                            profiler.disable()
                        walls.append(time.perf_counter() - wall)
                        cpus.append(time.process_time() - cpu)
                    counts.append(timer.count)
                    sqls.append(timer.seconds)
            print(
                f"{run.PAGES[page]:<20} {statistics.mean(walls) * 1000:>8.1f} "
                f"{statistics.mean(cpus) * 1000:>7.1f} {statistics.mean(counts):>8.1f} "
                f"{statistics.mean(sqls) * 1000:>7.1f}"
            )
            if profiler:
                stats = pstats.Stats(profiler).sort_stats("cumulative")
                stats.print_stats(os.environ.get("PROFILE_FILTER", ""), 45)
                stats.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()

"""The load benchmark: `make bench`, or `.venv/bin/python bench/run.py --help`.

Serves the portal with gunicorn (production settings over plain HTTP, several workers,
persistent database connections) on the PostgreSQL database `mobility_scale`, seeded with
`seed_scale` when it has no scale data yet; logs personas in (students with plans, DRI
officers); then drives locust headless over the key pages:

(a) realistic: 100 users, each waiting 1-5 s between actions; target p95 < 150 ms and no error
    on every page;
(b) saturation: 8 users without waiting, one page at a time, the same gunicorn serving a
    trivial view (/staff/operations/healthz) as the baseline; target: every page serves at
    least 0.3 times the baseline's requests per second. For information, not a key page: the
    dossier reopened (each user the same one), beside the dossier's mostly first views.

Prints the machine and one table per load. Every run stops by itself: locust has a run time,
each subprocess a timeout, and gunicorn is stopped when the script ends, however it ends.
"""

import argparse
import csv
import json
import os
import platform
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LOCUSTFILE = ROOT / "bench" / "locustfile.py"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/mobility_scale?options=-c%20jit%3Doff"
# Redis database 8: the benchmark's shared cache (sessions, memoized menus and counts).
DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/8"
P95_TARGET_MS = 150
RATIO_TARGET = 0.3
STUDENT_PERSONAS = 24
STAFF_PERSONAS = 4
# Page names in the locustfile (PAGES) and in the tables.
PAGES = {
    "catalogue": "catalogue",
    "student_dashboard": "student dashboard",
    "plan_live_check": "plan live check",
    "dri_queue": "DRI queue",
    "dossier": "dossier",
    "dossier_reopened": "dossier, reopened",
    "staff_dashboard": "staff dashboard",
    "baseline": "baseline (healthz)",
}
BASELINE = "baseline (healthz)"
# Measured for the reader, not a key page of the target: the dossier as an officer reopens it
# (served from the session's page cache), beside the dossier's mostly first views.
INFORMATIVE = {"dossier, reopened"}

sys.path.insert(0, str(ROOT))


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    )
    parser.add_argument("--cache-url", default=os.environ.get("BENCH_CACHE_URL", DEFAULT_CACHE_URL))
    parser.add_argument("--students", type=int, default=10_000, help="seeded when no scale data")
    parser.add_argument("--reseed", action="store_true", help="seed again even if data is there")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--realistic-users", type=int, default=100)
    parser.add_argument(
        "--realistic-seconds", type=int, default=60, help="0 skips the realistic load"
    )
    parser.add_argument("--saturation-users", type=int, default=8)
    parser.add_argument("--saturation-seconds", type=int, default=30)
    parser.add_argument(
        "--pages",
        nargs="+",
        choices=[page for page in PAGES if page != "baseline"],
        default=[page for page in PAGES if page != "baseline"],
        help="key pages of the saturation load (the baseline is always measured)",
    )
    parser.add_argument(
        "--render",
        action="store_true",
        help="turn the session page cache off (PAGE_CACHE=false): every request renders its page",
    )
    return parser.parse_args()


# --- the server's environment, the database and the data -------------------------------------


def server_environment(args: argparse.Namespace, static_root: Path) -> dict[str, str]:
    """Production settings, except plain HTTP on the loopback."""
    return {
        "DJANGO_SETTINGS_MODULE": "mobility_portal.settings.production",
        "SECRET_KEY": secrets.token_hex(32),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": args.database_url,
        "CONN_MAX_AGE": "60",
        "CACHE_URL": args.cache_url,
        "STATIC_ROOT": str(static_root),
        "LOG_LEVEL": "WARNING",
        "CELERY_BROKER_URL": "",
        "PAGE_CACHE": "false" if getattr(args, "render", False) else "true",
    }


def ensure_database(database_url: str) -> None:
    import psycopg
    from psycopg import sql

    url = urlparse(database_url)
    name = url.path.lstrip("/")
    connection = psycopg.connect(
        host=url.hostname,
        port=url.port or 5432,
        user=url.username,
        dbname="postgres",
        autocommit=True,
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Created database {name}.")
    connection.close()


def prepare_data(args: argparse.Namespace) -> None:
    from django.core.management import call_command

    from apps.applications.scale_data import scale_data_exists

    call_command("migrate", "--noinput", verbosity=0)
    if args.reseed or not scale_data_exists():
        print(f"Seeding {args.students:,} students...", flush=True)
        call_command("seed_scale", "--students", str(args.students), "--reset")
    call_command("collectstatic", "--noinput", verbosity=0)


def scale_counts() -> dict[str, int]:
    from apps.accounts.roles import Role
    from apps.applications.models import Application, MobilityPlan
    from apps.applications.scale_data import scale_users

    return {
        "students": scale_users().filter(role=Role.STUDENT).count(),
        "plans": MobilityPlan.objects.count(),
        "applications": Application.objects.count(),
    }


@dataclass(frozen=True)
class Cast:
    """Who logs in, and what they ask for."""

    students: list[tuple[str, list[int]]]  # e-mail, ids of their study activities
    staff: list[str]
    dossiers: list[int]
    queue: list[dict]
    catalogue: list[dict]
    activity_forms: list[dict]


def cast() -> Cast:
    from apps.applications.models import STUDY_KINDS, Activity, Application, ApplicationState
    from apps.applications.scale_data import SCALE_CALL_NAME, SCALE_DOMAIN, staff_email
    from apps.programmes.models import AgreementKind, Call, Partner

    applicants = list(
        Application.objects.filter(student__email__endswith=f"@{SCALE_DOMAIN}")
        .order_by("pk")
        .values_list("student_id", "student__email")[:STUDENT_PERSONAS]
    )
    activities: dict[int, list[int]] = {}
    for plan_student, pk in Activity.objects.filter(
        plan__student__in=[pk for pk, _email in applicants], kind__in=STUDY_KINDS
    ).values_list("plan__student", "pk"):
        activities.setdefault(plan_student, []).append(pk)
    dossiers = list(
        Application.objects.exclude(state=ApplicationState.DRAFT)
        .order_by("?")
        .values_list("pk", flat=True)[:300]
    )
    current = Call.objects.filter(name=SCALE_CALL_NAME).order_by("-academic_year").first()
    partners = list(
        Partner.objects.filter(agreements__kind=AgreementKind.EXCHANGE).order_by("pk")[:20]
    )
    year = current.academic_year
    forms = [
        {
            "kind": "exchange_semester",
            "start": date(year, 9, 1).isoformat(),
            "end": date(year + 1, 1, 31).isoformat(),
            "partner": str(partner.pk),
            "country": str(partner.country),
            "ects": str(30 if index % 4 else 24),
        }
        for index, partner in enumerate(partners)
    ]
    forms.append(
        {
            "kind": "summer_stay",
            "start": date(year, 7, 1).isoformat(),
            "end": date(year, 8, 20).isoformat(),
            "host_name": "Summer school",
            "country": "JP",
            "summer_type": "summer_school",
        }
    )
    return Cast(
        students=[(email, activities.get(pk, [])) for pk, email in applicants],
        staff=[staff_email("dri", n) for n in range(1, STAFF_PERSONAS + 1)],
        dossiers=dossiers,
        queue=[
            {},
            {"state": "submitted", "country": "DE"},
            {"state": "under_review", "sort": "-score"},
            {"call": current.pk},
            {"partner": partners[0].pk},
            {"kind": "exchange_semester", "has_errors": "false"},
            {"q": "Martin"},
            {"page": 4},
            {"year": year, "course_plan_approved": "false"},
            {"sort": "name", "page": 2},
            {"state": "in_mobility", "country": "ES"},
        ],
        catalogue=[
            {},
            {"country": "DE"},
            {"kind": "exchange"},
            {"language": "en"},
            {"page": 3},
            {"q": "Technology"},
            {"field": "data-science"},
            {"kind": "double_degree", "language": "de"},
        ],
        activity_forms=forms,
    )


# --- the server and the personas ---------------------------------------------------------------


@contextmanager
def gunicorn(args: argparse.Namespace, log: Path) -> Iterator[str]:
    """The portal on 127.0.0.1:port until the block ends; its workers load the app once."""
    command = [
        str(BIN / "gunicorn"),
        "mobility_portal.wsgi",
        "--workers",
        str(args.workers),
        "--bind",
        f"127.0.0.1:{args.port}",
        "--preload",
        "--timeout",
        "60",
        "--log-level",
        "warning",
    ]
    with running(command, log) as server:
        base_url = f"http://127.0.0.1:{args.port}"
        wait_until_up(base_url, server, log)
        yield base_url


@contextmanager
def running(command: list[str], log: Path) -> Iterator[subprocess.Popen]:
    """The command in its own process group, its output in `log`, until the block ends; then
    the whole group is stopped (killed if it has not stopped within 30 s)."""
    with log.open("w") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        yield process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def wait_until_up(base_url: str, server: subprocess.Popen, log: Path) -> None:
    import requests

    for _attempt in range(60):
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped:\n{log.read_text()}")
        try:
            if requests.get(f"{base_url}/staff/operations/healthz", timeout=2).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer in 30 s:\n{log.read_text()}")


def log_in(base_url: str, email: str) -> dict[str, str]:
    """A session through the login form, as a person gets one. The Secure cookies are read from
    the answers' headers: over plain HTTP no cookie jar would send them back."""
    import requests

    from apps.applications.scale_data import SCALE_PASSWORD

    page = requests.get(f"{base_url}/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = requests.post(
        f"{base_url}/accounts/login/",
        data={"username": email, "password": SCALE_PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Cookie": f"csrftoken={page.cookies['csrftoken']}"},
        allow_redirects=False,
        timeout=60,
    )
    if answer.status_code != 302 or "sessionid" not in answer.cookies:
        raise SystemExit(f"Logging in {email} failed: HTTP {answer.status_code}.")
    csrf = answer.cookies.get("csrftoken", page.cookies["csrftoken"])
    return {"email": email, "session": answer.cookies["sessionid"], "csrf": csrf}


def personas(base_url: str, workers: int, who: Cast) -> dict:
    emails = [email for email, _ids in who.students] + who.staff
    with ThreadPoolExecutor(max_workers=workers) as pool:
        found = pool.map(lambda email: log_in(base_url, email), emails)
        sessions = {session["email"]: session for session in found}
        # The same officers signed in again, for the dossiers reopened: sessions of their own,
        # whose pages kept are not crowded out by the hundreds of dossiers the other loads open.
        reopening = list(pool.map(lambda email: log_in(base_url, email), who.staff))
    return {
        "students": [{**sessions[email], "activity_ids": ids} for email, ids in who.students],
        "staff": [sessions[email] for email in who.staff],
        "staff_reopening": reopening,
        "dossiers": who.dossiers,
        "queue": who.queue,
        "catalogue": who.catalogue,
        "activity_forms": who.activity_forms,
    }


# --- locust and its figures ------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    page: str
    requests: int
    errors: int
    per_second: float
    p50: float
    p95: float
    p99: float


def locust(
    base_url: str,
    workdir: Path,
    name: str,
    *,
    users: int,
    seconds: int,
    classes: list[str],
    page: str = "",
) -> list[Row]:
    """One headless locust run; its per-page figures from the CSV it writes."""
    command = [
        str(BIN / "locust"),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--host",
        base_url,
        "--users",
        str(users),
        "--spawn-rate",
        str(max(1, users // 5)),
        "--run-time",
        f"{seconds}s",
        "--stop-timeout",
        "5",
        "--csv",
        str(workdir / name),
        "--only-summary",
        "--loglevel",
        "WARNING",
        *classes,
    ]
    environment = {
        **os.environ,
        "BENCH_PERSONAS": str(workdir / "personas.json"),
        "BENCH_PAGE": page,
    }
    with (workdir / f"{name}.log").open("w") as output:
        subprocess.run(
            command,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            timeout=seconds + 120,
            check=False,  # locust exits 1 when a request failed: the table shows it
        )
    with (workdir / f"{name}_stats.csv").open() as stats:
        return [
            Row(
                page=line["Name"],
                requests=int(line["Request Count"]),
                errors=int(line["Failure Count"]),
                per_second=float(line["Requests/s"]),
                p50=float(line["50%"]),
                p95=float(line["95%"]),
                p99=float(line["99%"]),
            )
            for line in csv.DictReader(stats)
            if line["Name"] != "Aggregated"
        ]


def warm_up(base_url: str, workdir: Path, seconds: int) -> None:
    """Every page a few times on every worker, so no measure pays for first requests."""
    for page in PAGES:
        locust(
            base_url,
            workdir,
            f"warmup_{page}",
            users=4,
            seconds=seconds,
            classes=["Saturation"],
            page=page,
        )


# --- the report ------------------------------------------------------------------------------


def machine() -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    connection.close()
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return [
        f"Machine: {os.cpu_count()} cores ({cpu}), {memory_kb / 1024 / 1024:.0f} GB RAM, "
        f"{platform.system()} {platform.release()}",
        f"Software: Python {platform.python_version()}, PostgreSQL {postgres}, "
        f"gunicorn and locust on the same machine; load average before the runs: {load}",
    ]


def table(rows: list[Row], extra_title: str, extra) -> list[str]:
    lines = [
        f"{'page':<20} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>7}  "
        f"{extra_title}",
    ]
    for row in rows:
        lines.append(
            f"{row.page:<20} {row.per_second:>8.1f} {row.p50:>7.0f} {row.p95:>7.0f} "
            f"{row.p99:>7.0f} {row.errors:>7}  {extra(row)}"
        )
    return lines


def realistic_table(rows: list[Row]) -> list[str]:
    def verdict(row: Row) -> str:
        met = row.p95 < P95_TARGET_MS and row.errors == 0
        return f"{'yes' if met else 'NO'} ({row.requests} requests)"

    ordered = sorted(rows, key=lambda row: list(PAGES.values()).index(row.page))
    return table(ordered, f"p95 < {P95_TARGET_MS} ms, no error", verdict)


def saturation_table(rows: list[Row]) -> list[str]:
    baseline = next(row for row in rows if row.page == BASELINE).per_second

    def ratio(row: Row) -> str:
        value = row.per_second / baseline if baseline else 0.0
        if row.page == BASELINE:
            return f"{value:.2f}"
        if row.page in INFORMATIVE:
            return f"{value:.2f} (for information: not a key page)"
        return f"{value:.2f} {'yes' if value >= RATIO_TARGET and not row.errors else 'NO'}"

    return table(rows, f"÷ baseline (target ≥ {RATIO_TARGET})", ratio)


def main() -> None:
    args = arguments()
    workdir = Path(tempfile.mkdtemp(prefix="mobility-bench-"))
    os.environ.update(server_environment(args, workdir / "static"))
    ensure_database(args.database_url)
    import django

    django.setup()
    prepare_data(args)
    who = cast()
    report = machine()
    counts = scale_counts()
    report.append(
        f"Data: {counts['students']:,} students, {counts['plans']:,} plans, "
        f"{counts['applications']:,} applications (database {urlparse(args.database_url).path[1:]})"
    )
    report.append(f"Server: gunicorn, {args.workers} sync workers, production settings over HTTP")
    report.append(
        "Session page cache: off, every request renders its page (--render)"
        if args.render
        else "Session page cache: on (PAGE_CACHE), as in production"
    )
    with gunicorn(args, workdir / "gunicorn.log") as base_url:
        print(f"Logging in {len(who.students) + 2 * len(who.staff)} sessions...", flush=True)
        sessions = personas(base_url, args.workers, who)
        (workdir / "personas.json").write_text(json.dumps(sessions))
        print("Warming up...", flush=True)
        warm_up(base_url, workdir, 3)
        realistic = []
        if args.realistic_seconds > 0:
            print(
                f"(a) realistic: {args.realistic_users} users, {args.realistic_seconds} s...",
                flush=True,
            )
            realistic = locust(
                base_url,
                workdir,
                "realistic",
                users=args.realistic_users,
                seconds=args.realistic_seconds,
                classes=["Student", "Staff"],
            )
        saturation = []
        for page, label in PAGES.items():
            if page != "baseline" and page not in args.pages:
                continue
            print(f"(b) saturation: {label}, {args.saturation_seconds} s...", flush=True)
            saturation += locust(
                base_url,
                workdir,
                f"saturation_{page}",
                users=args.saturation_users,
                seconds=args.saturation_seconds,
                classes=["Saturation"],
                page=page,
            )
    print()
    print("\n".join(report))
    print()
    if realistic:
        print(
            f"(a) Realistic load: {args.realistic_users} users waiting 1-5 s between actions, "
            f"{args.realistic_seconds} s"
        )
        print("\n".join(realistic_table(realistic)))
        print()
    print(
        f"(b) Saturation: {args.saturation_users} users without waiting, "
        f"{args.saturation_seconds} s per page"
    )
    print("\n".join(saturation_table(saturation)))
    print(f"\nRaw locust CSV files and logs: {workdir}")
    shutil.rmtree(workdir / "static", ignore_errors=True)


if __name__ == "__main__":
    main()

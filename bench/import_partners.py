"""What `manage.py import_partners` costs for files of N rows, on PostgreSQL.

    .venv/bin/python bench/import_partners.py [--rows 500 5000] [--database-url URL]

Recreates and migrates its own database (`import_bench`, on the server of `--database-url`,
whose own database is not touched). For each size it empties the partners, agreements,
languages and fields of study, writes a CSV file of N rows (one agreement a row, two rows a
partner, partners spread over ten countries, a few languages and fields of study each, every
partner with an EWP id) and runs the command three times, printing wall seconds, CPU seconds,
queries and the seconds spent waiting for them:

- first import: every partner and agreement created;
- same file again: nothing changes (every row read and compared);
- updated file: every partner's city and every agreement's seats and notes changed.
"""

import argparse
import csv
import io
import os
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from profile_pages import QueryTimer  # noqa: E402  (the same count of queries and SQL time)

BENCH_DATABASE = "import_bench"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres?options=-c%20jit%3Doff"
COUNTRIES = ["DE", "FR", "IT", "ES", "SE", "FI", "NL", "BE", "JP", "BR"]
LANGUAGES = ["en", "de", "fr", "it", "es", "sv", "fi", "nl", "ja", "pt"]
FIELDS = [
    "Computer science",
    "Electrical engineering",
    "Mechanical engineering",
    "Data science",
    "Applied mathematics",
    "Physics",
    "Chemistry",
    "Telecommunications",
]
KINDS = ["exchange", "master"]


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    )
    parser.add_argument("--rows", type=int, nargs="+", default=[500, 5000])
    return parser.parse_args()


def recreate_database(server_url: str) -> str:
    import psycopg

    parts = urlsplit(server_url)
    connection = psycopg.connect(parts._replace(path="/postgres", query="").geturl())
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {BENCH_DATABASE}")
    connection.close()
    return parts._replace(path=f"/{BENCH_DATABASE}").geturl()


def csv_text(rows: int, *, updated: bool) -> str:
    """`rows` rows, two agreements (exchange, master) per partner; `updated`: every partner's
    city and every agreement's seats and notes differ."""
    from apps.programmes.importing import COLUMNS

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in range(rows):
        number, kind = divmod(row, len(KINDS))
        first_of_partner = kind == 0
        values = {
            "name": f"Bench University {number:05d}",
            "country": COUNTRIES[number % len(COUNTRIES)],
            "city": (f"City {number}{' (moved)' if updated else ''}" if first_of_partner else ""),
            "website": f"https://www.bench{number:05d}.example" if first_of_partner else "",
            "hei_id": f"bench{number:05d}.example" if first_of_partner else "",
            "languages": ";".join(
                LANGUAGES[(number + step) % len(LANGUAGES)] for step in range(2 + kind)
            ),
            "fields": ";".join(FIELDS[(number + step) % len(FIELDS)] for step in range(1 + kind)),
            "agreement_kind": KINDS[kind],
            "seats_per_year": str(2 + number % 5 + (1 if updated else 0)),
            "first_year": "2024",
            "last_year": "" if number % 3 else "2030",
            "language_requirement": "English B2",
            "notes": "Renewed." if updated else "",
        }
        writer.writerow([values[column] for column in COLUMNS])
    return out.getvalue()


def run_import(path: Path) -> tuple[float, float, QueryTimer, str]:
    from django.core.management import call_command
    from django.db import connection

    timer = QueryTimer()
    out = io.StringIO()
    with connection.execute_wrapper(timer):
        wall, cpu = time.perf_counter(), time.process_time()
        call_command("import_partners", str(path), stdout=out)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return wall, cpu, timer, out.getvalue().strip()


def main() -> None:
    args = arguments()
    os.environ["DATABASE_URL"] = recreate_database(args.database_url)
    os.environ["DJANGO_SETTINGS_MODULE"] = "mobility_portal.settings.base"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from apps.programmes.models import Agreement, Language, Partner, StudyField

    call_command("migrate", verbosity=0)
    print(
        f"PostgreSQL {connection.pg_version // 10000}.{connection.pg_version % 10000}, "
        f"database {BENCH_DATABASE}"
    )
    print(
        f"{'rows':>6} {'import':<16} {'wall s':>7} {'cpu s':>6} {'queries':>8} {'sql s':>6}  output"
    )
    with tempfile.TemporaryDirectory() as folder:
        for rows in args.rows:
            Agreement.objects.all().delete()
            Partner.objects.all().delete()
            Language.objects.all().delete()
            StudyField.objects.all().delete()
            first = Path(folder) / f"partners-{rows}.csv"
            first.write_text(csv_text(rows, updated=False), encoding="utf-8")
            updated = Path(folder) / f"partners-{rows}-updated.csv"
            updated.write_text(csv_text(rows, updated=True), encoding="utf-8")
            for name, path in [
                ("first import", first),
                ("same file again", first),
                ("updated file", updated),
            ]:
                wall, cpu, timer, output = run_import(path)
                print(
                    f"{rows:>6} {name:<16} {wall:>7.2f} {cpu:>6.2f} {timer.count:>8} "
                    f"{timer.seconds:>6.2f}  {output}"
                )


if __name__ == "__main__":
    main()

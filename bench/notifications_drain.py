"""How fast one Celery worker drains a backlog of outbox rows into an SMTP sink on loopback.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/notifications_drain.py --count 1000

It recreates and migrates its own PostgreSQL database (mobility_bench, on the server of
DATABASE_URL) and uses Redis database 15. For each concurrency asked, it writes `count`
pending rows with nothing queued, as after a broker outage, starts one worker with beat, and
times until every row is sent and every e-mail has reached the sink: beat's relay hands the
rows to the worker, as it would in production."""

import argparse
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DATABASE = "mobility_bench"


@dataclass(frozen=True)
class Drain:
    concurrency: int
    ready_seconds: float  # worker launch → ready
    sent_seconds: float  # ready → every row `sent`
    received_seconds: float  # ready → every e-mail at the sink
    duplicates: int  # e-mails received more than once
    sent_tasks: int  # deliver tasks that sent a mail
    skipped_tasks: int  # deliver tasks that found their row already taken or done


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="pending rows to drain")
    parser.add_argument(
        "--concurrency", type=int, nargs="+", default=[1, 2], help="worker concurrencies to time"
    )
    parser.add_argument(
        "--relay-seconds", type=float, default=1.0, help="beat's relay interval in the worker"
    )
    parser.add_argument("--timeout", type=float, default=300.0, help="give up after (s)")
    return parser.parse_args()


def with_database(url: str, name: str) -> str:
    return urlsplit(url)._replace(path=f"/{name}").geturl()


def recreate_bench_database(server_url: str) -> str:
    import psycopg

    connection = psycopg.connect(with_database(server_url, "postgres"), autocommit=True)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {BENCH_DATABASE}")
    connection.close()
    return with_database(server_url, BENCH_DATABASE)


def set_up_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "mobility_portal.settings.base"
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def drain(
    *, count: int, concurrency: int, database_url: str, relay_seconds: float, timeout: float
) -> Drain:
    from apps.notifications.models import DeliveryStatus, Notification
    from tests.notifications.integration.broker import (
        BENCH_REDIS_DB,
        broker_url_on,
        flush,
    )
    from tests.notifications.integration.builders import pending_notifications
    from tests.notifications.integration.smtp_sink import running_sink
    from tests.notifications.integration.workers import CeleryWorker, worker_env

    Notification.objects.all().delete()
    pending_notifications(count)
    broker_url = broker_url_on(os.environ["REDIS_URL"], BENCH_REDIS_DB)
    flush(broker_url)
    with running_sink() as sink, tempfile.TemporaryDirectory() as workdir:
        env = worker_env(
            database_url=database_url,
            broker_url=broker_url,
            email_url=sink.email_url,
            NOTIFICATION_RELAY_SECONDS=str(relay_seconds),
        )
        launched = time.monotonic()
        worker = CeleryWorker(
            f"bench{concurrency}",
            env=env,
            workdir=Path(workdir),
            pool="prefork",
            concurrency=concurrency,
            beat=True,
        )
        try:
            worker.wait_ready()
            ready = time.monotonic()
            sent_at = received_at = None
            while sent_at is None or received_at is None:
                now = time.monotonic()
                if now - ready > timeout:
                    raise SystemExit(f"not drained in {timeout} s:\n{worker.log_tail()}")
                if received_at is None and len(sink.accepted) >= count:
                    received_at = now
                if (
                    sent_at is None
                    and not Notification.objects.exclude(status=DeliveryStatus.SENT).exists()
                ):
                    sent_at = now
                time.sleep(0.05)
        finally:
            worker.stop()
        return Drain(
            concurrency=concurrency,
            ready_seconds=ready - launched,
            sent_seconds=sent_at - ready,
            received_seconds=received_at - ready,
            duplicates=sum(times - 1 for times in sink.deliveries().values()),
            sent_tasks=worker.task_outcomes("sent"),
            skipped_tasks=worker.task_outcomes("skipped"),
        )


def report(count: int, relay_seconds: float, drains: list[Drain]) -> None:
    print(f"{count} pending notifications, one worker with beat (relay every {relay_seconds} s)")
    print(
        f"{'concurrency':>11} {'ready s':>8} {'all sent s':>10} {'all received s':>14} "
        f"{'e-mails/s':>9} {'duplicates':>10} {'sent tasks':>10} {'skipped tasks':>13}"
    )
    for run in drains:
        rate = count / max(run.sent_seconds, run.received_seconds)
        print(
            f"{run.concurrency:>11} {run.ready_seconds:>8.1f} {run.sent_seconds:>10.1f} "
            f"{run.received_seconds:>14.1f} {rate:>9.1f} {run.duplicates:>10} "
            f"{run.sent_tasks:>10} {run.skipped_tasks:>13}"
        )


def main() -> None:
    arguments = parse_args()
    for variable in ("DATABASE_URL", "REDIS_URL"):
        if not os.environ.get(variable):
            raise SystemExit(f"Set {variable} (PostgreSQL and Redis on 127.0.0.1).")
    database_url = recreate_bench_database(os.environ["DATABASE_URL"])
    set_up_django(database_url)
    drains = [
        drain(
            count=arguments.count,
            concurrency=concurrency,
            database_url=database_url,
            relay_seconds=arguments.relay_seconds,
            timeout=arguments.timeout,
        )
        for concurrency in arguments.concurrency
    ]
    report(arguments.count, arguments.relay_seconds, drains)


if __name__ == "__main__":
    main()

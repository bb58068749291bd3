"""How fast every stored plan is re-checked after a regulation change: `make bench`, or
`.venv/bin/python bench/recheck_bench.py` once bench/run.py (or seed_scale) has filled the
database `mobility_scale`.

Starts one Celery worker (solo pool) on its own Redis database, asks for the re-check the way
the operations page does (`plan_recheck_start`, as the first scale DRI officer), follows its
progress row, and prints plans per second. The worker is stopped when the script ends, however
it ends; the wait is bounded by --timeout.
"""

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/mobility_scale?options=-c%20jit%3Doff"
# A Redis database of its own: a worker here must not take tasks queued by anything else.
DEFAULT_BROKER_URL = "redis://127.0.0.1:6379/9"

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import run  # noqa: E402  (bench/run.py: its way of running a process group)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    )
    parser.add_argument("--broker-url", default=DEFAULT_BROKER_URL)
    parser.add_argument("--timeout", type=int, default=600, help="seconds to wait at most")
    return parser.parse_args()


@contextmanager
def celery_worker(log: Path) -> Iterator[None]:
    command = [
        str(BIN / "celery"),
        "-A",
        "mobility_portal",
        "worker",
        "--pool",
        "solo",
        "--loglevel",
        "WARNING",
    ]
    with run.running(command, log) as worker:
        wait_for_worker(worker, log)
        yield


def wait_for_worker(worker: subprocess.Popen, log: Path) -> None:
    from mobility_portal.celery import app

    for _attempt in range(30):
        if worker.poll() is not None:
            raise SystemExit(f"The Celery worker stopped:\n{log.read_text()}")
        if app.control.ping(timeout=1):
            return
    raise SystemExit(f"The Celery worker did not answer in 30 s:\n{log.read_text()}")


def follow(recheck_id: int, timeout: int):
    """Print the progress row every second until the run ends; the finished row."""
    from apps.applications.models import PlanRecheck

    deadline = time.monotonic() + timeout
    while True:
        recheck = PlanRecheck.objects.get(pk=recheck_id)
        print(f"  {recheck.get_status_display()}: {recheck.checked:,} / {recheck.total:,}")
        if not recheck.is_active:
            return recheck
        if time.monotonic() > deadline:
            raise SystemExit(f"The re-check did not finish in {timeout} s.")
        time.sleep(1)


def main() -> None:
    args = arguments()
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "mobility_portal.settings.production",
            "SECRET_KEY": secrets.token_hex(32),
            "DATABASE_URL": args.database_url,
            "CELERY_BROKER_URL": args.broker_url,
            "LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()
    from apps.accounts.models import User
    from apps.applications.errors import ServiceError
    from apps.applications.scale_data import staff_email
    from apps.applications.tasks import RECHECK_CHUNK, plan_recheck_start

    officer = User.objects.filter(email=staff_email("dri", 1)).first()
    if officer is None:
        raise SystemExit("No scale data: run bench/run.py or `manage.py seed_scale` first.")
    log = Path(tempfile.mkdtemp(prefix="mobility-recheck-")) / "worker.log"
    with celery_worker(log):
        try:
            recheck = plan_recheck_start(actor=officer)
        except ServiceError as error:
            raise SystemExit(" ".join(error.reasons)) from error
        print(f"Re-checking every plan (chunks of {RECHECK_CHUNK}, one Celery worker):")
        recheck = follow(recheck.pk, args.timeout)
    seconds = (recheck.finished_at - recheck.started_at).total_seconds()
    print(
        f"{recheck.get_status_display()}: {recheck.checked:,} plans re-checked in {seconds:.1f} s, "
        f"{recheck.checked / seconds:,.0f} plans/s ({recheck.compliant:,} compliant, "
        f"{recheck.with_errors:,} with errors, {recheck.invalid:,} invalid)."
    )


if __name__ == "__main__":
    main()

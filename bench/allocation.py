"""What the seat allocation of the largest call costs, in-process: its pages and its confirmation.

    .venv/bin/python bench/allocation.py [--rounds N] [--sizes 1 10 100 0] [--database-url URL]

Uses a database seeded with `manage.py seed_scale` (by default `alloc_scale` on 127.0.0.1, JIT
off), with production settings, a local-memory cache and the session page cache off: every page
is rendered. Picks the call whose allocation ranks the most applications and prints:

- the allocation page (GET) and the review of its proposal (POST, the decisions the page
  proposes): mean wall ms, CPU ms, queries and SQL ms over `--rounds` requests, after one to
  warm up; then the confirmation page's POST of those decisions, once (rolled back, as below);
- the confirmation of N nominations (`allocation_confirm` with the first N placed students of
  the proposal, the others unplaced; 0 stands for all of them): queries and seconds. Each runs
  in a transaction rolled back afterwards, so that the database stays as seeded and the next
  size starts from the same state; the delivery of the notifications, queued for after the
  commit, is therefore not part of the figure.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from profile_pages import QueryTimer  # noqa: E402  (the same count of queries and SQL time)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/alloc_scale?options=-c%20jit%3Doff"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    )
    parser.add_argument("--rounds", type=int, default=5, help="requests per page")
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[1, 10, 100, 0],
        help="nominations per confirmation (0: every placed student)",
    )
    return parser.parse_args()


class RolledBack(Exception):
    pass


def environment(database_url: str) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "mobility_portal.settings.production",
        "SECRET_KEY": "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": database_url,
        "CACHE_URL": "locmemcache://",
        "LOG_LEVEL": "WARNING",
        "CELERY_BROKER_URL": "",
        "PAGE_CACHE": "false",
    }


def main() -> None:
    args = arguments()
    os.environ.update(environment(args.database_url))
    import django

    django.setup()
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from apps.accounts.models import User
    from apps.accounts.roles import Role
    from apps.applications.models import Application
    from apps.programmes.models import Call
    from apps.reviews.services import allocation as services

    call = Call.objects.annotate(pool=services.pool_size()).order_by("-pool", "pk").first()
    if call is None or not call.pool:
        raise SystemExit("No call to allocate: seed the database first (manage.py seed_scale).")
    dri = User.objects.filter(role=Role.DRI, is_active=True).order_by("pk").first()
    proposal = services.allocation_proposal(call)
    decisions = {
        outcome.applicant_id: outcome.choice.choice_id if outcome.choice else None
        for outcome in proposal.allocation.outcomes
    }
    # What the page showed of each application: the confirmation refuses a stale page.
    seen = {
        application.pk: services.application_version(application)
        for application in services.with_last_transition(
            Application.objects.filter(pk__in=list(decisions))
        )
    }
    placed = sorted(pk for pk, choice in decisions.items() if choice is not None)
    print(
        f"call {call.pk} ({call}): {len(decisions)} applications ranked, {len(placed)} placed, "
        f"{len(proposal.seats)} agreements"
    )

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(dri)
    post = {
        f"decision-{pk}": "unplaced" if choice is None else str(choice)
        for pk, choice in decisions.items()
    } | {f"seen-{pk}": version for pk, version in seen.items()}
    pages = {
        "allocation page": lambda: client.get(reverse("reviews:allocation_detail", args=[call.pk])),
        "review (POST)": lambda: client.post(
            reverse("reviews:allocation_review", args=[call.pk]), post
        ),
    }
    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        print(f"{'page':<20} {'wall ms':>8} {'cpu ms':>7} {'queries':>8} {'sql ms':>7}")
        for name, ask in pages.items():
            response = ask()  # warm up: compiled templates, connection
            if response.status_code != 200:
                raise SystemExit(f"{name}: HTTP {response.status_code}")
            walls, cpus, counts, sqls = [], [], [], []
            for _round in range(args.rounds):
                timer = QueryTimer()
                with connection.execute_wrapper(timer):
                    wall, cpu = time.perf_counter(), time.process_time()
                    ask()
                    walls.append(time.perf_counter() - wall)
                    cpus.append(time.process_time() - cpu)
                counts.append(timer.count)
                sqls.append(timer.seconds)
            print(
                f"{name:<20} {statistics.mean(walls) * 1000:>8.1f} "
                f"{statistics.mean(cpus) * 1000:>7.1f} {statistics.mean(counts):>8.1f} "
                f"{statistics.mean(sqls) * 1000:>7.1f}"
            )

    # The confirmation page's POST of every decision, its transaction rolled back as below.
    timer = QueryTimer()
    try:
        with transaction.atomic(), connection.execute_wrapper(timer):
            started = time.perf_counter()
            response = client.post(reverse("reviews:allocation_confirm", args=[call.pk]), post)
            seconds = time.perf_counter() - started
            raise RolledBack
    except RolledBack:
        pass
    if response.status_code != 302:
        raise SystemExit(f"confirm (POST): HTTP {response.status_code}")
    print(
        f"{'confirm (POST)':<20} {seconds * 1000:>8.1f} {'':>7} {timer.count:>8} "
        f"{timer.seconds * 1000:>7.1f}   ({len(placed)} nominations, rolled back)"
    )

    print(f"{'nominations':>11} {'queries':>8} {'seconds':>8} {'sql s':>7}")
    for size in args.sizes:
        chosen = set(placed[:size] if size else placed)
        asked = {pk: choice if pk in chosen else None for pk, choice in decisions.items()}
        timer = QueryTimer()
        try:
            with transaction.atomic(), connection.execute_wrapper(timer):
                started = time.perf_counter()
                nominated = services.allocation_confirm(
                    actor=dri, call=call, decisions=asked, seen=seen
                )
                seconds = time.perf_counter() - started
                raise RolledBack
        except RolledBack:
            pass
        assert len(nominated) == len(chosen), (len(nominated), len(chosen))
        print(f"{len(chosen):>11} {timer.count:>8} {seconds:>8.2f} {timer.seconds:>7.2f}")


if __name__ == "__main__":
    main()

"""What the features merged on 28 November 2026 cost at scale, in-process.

    .venv/bin/python bench/merged_features.py [--rounds N] [--only dossier] [--database-url URL]

Uses a database seeded with `manage.py seed_scale` (by default `perf2_scale` on 127.0.0.1, JIT
off), then `manage.py settle_earlier_notifications` (so that notifications await something),
with production settings, a local-memory cache and the session page cache off: every page is
rendered. Prints, per page or operation: the rows it shows or touches, the queries, and the
mean CPU and wall milliseconds over `--rounds` (after one to warm up). What writes (the
nominations' send, settling) runs in a transaction rolled back afterwards. The exports also
print their peak Python memory (tracemalloc, a separate run: tracing slows them down).
"""

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from allocation import RolledBack, environment  # noqa: E402
from profile_pages import QueryTimer  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/perf2_scale?options=-c%20jit%3Doff"
PARTS = ("nominations", "settle", "notifications", "dossier", "exports", "stays")


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--only", nargs="+", choices=PARTS, default=PARTS)
    return parser.parse_args()


def measure(
    name: str, rows, ask, rounds: int, *, rolled_back: bool = False, expected=(200, 302)
) -> None:
    from django.db import connection, transaction

    def once():
        if not rolled_back:
            return ask()
        try:
            with transaction.atomic():
                result = ask()
                raise RolledBack
        except RolledBack:
            return result

    once()  # warm up: compiled templates, caches, connection
    walls, cpus, counts, sqls = [], [], [], []
    for _round in range(rounds):
        timer = QueryTimer()
        with connection.execute_wrapper(timer):
            wall, cpu = time.perf_counter(), time.process_time()
            response = once()
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        counts.append(timer.count)
        sqls.append(timer.seconds)
    status = getattr(response, "status_code", "")
    if status and status not in expected:
        raise SystemExit(f"{name}: HTTP {status}")
    row(name, rows, counts, cpus, walls, sqls)


def row(name, rows, counts, cpus, walls, sqls) -> None:
    print(
        f"| {name} | {rows} | {statistics.mean(counts):.0f} | "
        f"{statistics.mean(cpus) * 1000:,.1f} | {statistics.mean(walls) * 1000:,.1f} | "
        f"{statistics.mean(sqls) * 1000:,.1f} |",
        flush=True,
    )


def peak_memory(name: str, make) -> None:
    tracemalloc.start()
    make()
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"|   {name}: peak Python memory {peak / 2**20:,.1f} MB | | | | | |", flush=True)


def partner_pages(client, call, partner, application_ids, rounds: int, label: str) -> None:
    """A partner's page, its CSV and the send of its list (rolled back)."""
    from django.urls import reverse

    from apps.programmes.models import Partner

    students = f"{len(application_ids)} students"
    page = reverse("reviews:nominations_partner", args=[call.pk, partner.pk])
    measure(f"partner page ({label})", students, lambda: client.get(page), rounds)
    csv = reverse("reviews:nominations_csv", args=[call.pk, partner.pk])
    measure(f"partner CSV ({label})", students, lambda: client.get(csv), rounds)
    send = reverse("reviews:nominations_send", args=[call.pk, partner.pk])
    form = {
        "applications": ",".join(str(pk) for pk in sorted(application_ids)),
        "email": "incoming@partner.example",
        "last_notice": "",
    }

    def sent():
        Partner.objects.filter(pk=partner.pk).update(nomination_email=form["email"])
        response = client.post(send, {**form, "confirmed": "1"})
        assert response.status_code == 302, response.status_code
        return response

    measure(f"send, confirmed ({label}; rolled back)", students, sent, rounds, rolled_back=True)


def main() -> None:
    args = arguments()
    os.environ.update(environment(args.database_url))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse
    from django.utils.translation import override

    from apps.accounts.models import User
    from apps.accounts.roles import Role
    from apps.applications.models import Application, ApplicationState

    dri = User.objects.filter(role=Role.DRI, is_active=True).order_by("pk").first()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(dri)
    rounds = args.rounds
    print("| page or operation | rows | queries | CPU ms | wall ms | SQL ms |")
    print("|---|---:|---:|---:|---:|---:|")
    storages = override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    )
    storages.enable()

    if "nominations" in args.only:
        from apps.reviews.selectors_nominations import (
            default_call,
            nominated_ids_by_partner,
            partners_with_nominations,
        )

        call = default_call()
        partners = list(partners_with_nominations(call))
        ids = nominated_ids_by_partner(call, [partner.pk for partner in partners])
        biggest = max(partners, key=lambda partner: len(ids.get(partner.pk, [])))
        index = reverse("reviews:nominations_index")
        measure(
            f"nominations index (call {call.pk}, page 1 of 25)",
            f"{len(partners)} partners",
            lambda: client.get(index),
            rounds,
        )
        measure(
            "nominations index, search 'univ'",
            "",
            lambda: client.get(index, {"call": call.pk, "q": "univ"}),
            rounds,
        )
        partner_pages(client, call, biggest, ids[biggest.pk], rounds, "most students")
        # The same partner with every student of the call nominated to one of its partners
        # (their choices moved to its agreement, in a transaction rolled back): a large list.
        from django.db import transaction

        from apps.applications.models import Choice
        from apps.programmes.models import Agreement
        from apps.reviews.selectors_nominations import nominated_to_partners

        try:
            with transaction.atomic():
                Choice.objects.filter(
                    pk__in=nominated_to_partners(call).values("nominated_choice")
                ).update(agreement=Agreement.objects.filter(partner=biggest).first())
                gathered = nominated_ids_by_partner(call, [biggest.pk])[biggest.pk]
                partner_pages(client, call, biggest, gathered, rounds, "every nominated student")
                raise RolledBack
        except RolledBack:
            pass

    if "settle" in args.only:
        from apps.notifications.events import awaits_leaving
        from apps.notifications.outbox import settle

        submitted = list(
            Application.objects.filter(state=ApplicationState.SUBMITTED)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for size in (1, 1000):
            tokens = [awaits_leaving(pk, ApplicationState.SUBMITTED) for pk in submitted[:size]]
            settled = []

            def settling(tokens=tokens, settled=settled):
                settled.append(settle(tokens))

            measure(
                f"outbox.settle, {size:,} tokens (rolled back)",
                f"{size:,} tokens",
                settling,
                rounds,
                rolled_back=True,
            )
            print(f"|   rows settled: {settled[-1]:,} | | | | | |")
        explain_settle(
            connection, [awaits_leaving(pk, ApplicationState.SUBMITTED) for pk in submitted[:1000]]
        )

    if "notifications" in args.only:
        busiest = (
            User.objects.filter(notifications__isnull=False)
            .annotate(count=django.db.models.Count("notifications"))
            .order_by("-count")
            .first()
        )
        reader = Client(HTTP_ACCEPT_LANGUAGE="en")
        reader.force_login(busiest)
        settled = busiest.notifications.filter(settled_at__isnull=False).count()
        rows = f"{busiest.count:,} ({settled:,} settled)"
        measure(
            "notifications list (busiest reader)",
            rows,
            lambda: reader.get("/notifications/"),
            rounds,
        )
        measure(
            "notifications list, page 100",
            rows,
            lambda: reader.get("/notifications/", {"page": 100}),
            rounds,
        )
        from apps.notifications.context_processors import unread_notifications

        class Request:
            user = busiest

        measure(
            "bell count (context processor)", rows, lambda: unread_notifications(Request), rounds
        )

    if "dossier" in args.only:
        # Dossiers whose state has an undo (the undo card), and others.
        for state in ("nominated", "in_mobility", "returned", "withdrawn", "submitted"):
            pks = list(
                Application.objects.filter(state=state)
                .order_by("pk")
                .values_list("pk", flat=True)[:12]
            )
            pages = [reverse("reviews:dossier", args=[pk]) for pk in pks]

            def dossiers(pages=pages):
                shown = 0
                for page in pages:
                    response = client.get(page)
                    assert response.status_code == 200, response.status_code
                    shown += 'id="undo"' in response.content.decode()
                return shown

            undo_cards = dossiers()
            walls, cpus, counts, sqls = [], [], [], []
            for _round in range(rounds):
                for page in pages:
                    timer = QueryTimer()
                    with connection.execute_wrapper(timer):
                        wall, cpu = time.perf_counter(), time.process_time()
                        client.get(page)
                        walls.append(time.perf_counter() - wall)
                        cpus.append(time.process_time() - cpu)
                    counts.append(timer.count)
                    sqls.append(timer.seconds)
            row(
                f"dossier, {state} (each)",
                f"12 dossiers, {undo_cards} with the undo card",
                counts,
                cpus,
                walls,
                sqls,
            )

    if "exports" in args.only:
        from apps.reviews.exports.applications import csv_lines, workbook_bytes
        from apps.reviews.selectors_queue import export_applications

        every = Application.objects.count()

        def workbook():
            with override("en"):
                return workbook_bytes(export_applications())

        def csv_file():
            return "".join(csv_lines(export_applications(), "en"))

        measure("Excel export (workbook_bytes)", f"{every:,} applications", workbook, rounds)
        print(f"|   workbook size: {len(workbook()) / 2**20:.2f} MB | | | | | |")
        peak_memory("Excel export", workbook)
        measure("CSV export (csv_lines)", f"{every:,} applications", csv_file, rounds)
        peak_memory("CSV export", csv_file)
        xlsx = reverse("reviews:queue_export_xlsx")
        measure(
            "Excel export view (GET)", f"{every:,} applications", lambda: client.get(xlsx), rounds
        )

    if "stays" in args.only:
        from apps.reviews.stay_moves import MOST_AT_ONCE

        departures = reverse("reviews:stays_departed")
        returns = reverse("reviews:stays_returned")
        accepted = Application.objects.filter(state=ApplicationState.ACCEPTED).count()
        in_mobility = Application.objects.filter(state=ApplicationState.IN_MOBILITY).count()
        # The first MOST_AT_ONCE of the students in mobility: a sort and a search, as the
        # queue's filters narrow them.
        back = "state=in_mobility&sort=name"
        measure(
            f"departures' confirmation, every accepted ({accepted})",
            f"{accepted} rows",
            lambda: client.get(departures, {"matching": "1", "back": "state=accepted"}),
            rounds,
        )
        chosen = list(
            Application.objects.filter(state=ApplicationState.IN_MOBILITY)
            .order_by("pk")
            .values_list("pk", flat=True)[:MOST_AT_ONCE]
        )
        measure(
            f"returns' confirmation, {len(chosen)} ticked",
            f"{len(chosen)} rows",
            lambda: client.get(returns, {"application": chosen, "back": back}),
            rounds,
        )
        measure(
            f"returns' confirmation, matching ({in_mobility} > {MOST_AT_ONCE}: refused)",
            f"{in_mobility} rows",
            lambda: client.get(returns, {"matching": "1", "back": back}),
            rounds,
            expected=(400,),
        )
    storages.disable()


def explain_settle(connection, tokens: list[str]) -> None:
    """The settle UPDATE's plan for `tokens` (its statement kept from a first run rolled back,
    then explained in a transaction rolled back too), the token list cut short."""
    from django.db import transaction

    from apps.notifications.outbox import settle

    statements = []

    def keep(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    for explain in (False, True):
        try:
            with transaction.atomic():
                if not explain:
                    with connection.execute_wrapper(keep):
                        settle(tokens)
                else:
                    with connection.cursor() as cursor:
                        for sql, params in statements:
                            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                            for (line,) in cursor.fetchall():
                                print(line if len(line) < 160 else line[:150] + " …")
                raise RolledBack
        except RolledBack:
            pass


if __name__ == "__main__":
    main()

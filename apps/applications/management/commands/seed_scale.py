"""`manage.py seed_scale --students 10000`: bulk data for benchmarks (see scale_data.py)."""

from django.core.management.base import BaseCommand, CommandError

from apps.applications.errors import ServiceError
from apps.applications.scale_data import (
    SCALE_DOMAIN,
    SCALE_PASSWORD,
    refresh_statistics,
    reset_scale_data,
    seed_scale,
    student_email,
)


class Command(BaseCommand):
    help = (
        "Create benchmark data: partners, agreements, calls, students with plans, applications "
        "in every state with their history, course plans and notifications. Refuses when scale "
        f"data is there; --reset removes it first. Accounts are @{SCALE_DOMAIN}, password "
        f"{SCALE_PASSWORD}."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--students", type=int, default=10_000, help="default: 10000")
        parser.add_argument(
            "--reset", action="store_true", help="remove the scale data already there first"
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help="random seed: the same seed, the same data"
        )

    def handle(self, *args, students: int, reset: bool, seed: int, **options) -> None:
        if students < 1:
            raise CommandError("--students must be at least 1.")
        try:
            if reset:
                removed = reset_scale_data()
                if removed:
                    self.stdout.write(f"Removed {sum(removed.values()):,} rows of scale data.")
            report = seed_scale(students=students, seed=seed)
        except ServiceError as error:
            raise CommandError(" ".join(error.reasons)) from error
        refresh_statistics()
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(
            f"Log in as {student_email(0)}, dri001@{SCALE_DOMAIN} or advisor001@{SCALE_DOMAIN} "
            f"with {SCALE_PASSWORD}."
        )

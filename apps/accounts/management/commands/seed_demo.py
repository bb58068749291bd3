"""`manage.py seed_demo`: load the demo catalogue and accounts (see apps/accounts/demo.py)."""

from django.core.management.base import BaseCommand

from apps.accounts.demo import demo_logins, seed_demo
from apps.accounts.demo_data import DEMO_PASSWORD
from apps.reviews.demo import seed_demo_dossiers


class Command(BaseCommand):
    help = (
        "Create or refresh the demo data: partner universities and agreements, filières, "
        "one account per role, a few students and advisors, and a few dossiers awaiting staff. "
        "Safe to run again; every demo "
        f"account's password is reset to {DEMO_PASSWORD}."
    )

    def handle(self, *args, **options) -> None:
        report = seed_demo()
        for line in report.lines():
            self.stdout.write(line)
        dossiers = seed_demo_dossiers()
        self.stdout.write(f"Demo dossiers: {dossiers} created.")
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}):")
        for role, email in demo_logins():
            self.stdout.write(f"  {role:<8} {email}")

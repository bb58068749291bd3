from django.core.management.base import BaseCommand, CommandError

from apps.applications.privacy import anonymise_old_dossiers

# Beyond a century the cut-off date would leave the calendar (year 1) long before it means
# anything: a mistyped figure, refused in words rather than with a traceback.
MAX_YEARS = 100


class Command(BaseCommand):
    help = (
        "Anonymise students whose every application ended more than --years years ago: "
        "identity, motivation, documents, comments and free-text history go; states, decisions, "
        "destinations and dates stay for statistics."
    )

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=5, help="Years after the last move.")

    def handle(self, *args, years: int, **options):
        if not 1 <= years <= MAX_YEARS:
            raise CommandError(f"--years must be between 1 and {MAX_YEARS}.")
        report = anonymise_old_dossiers(years)
        self.stdout.write(
            f"{report.students} students anonymised, {report.documents} documents removed."
        )

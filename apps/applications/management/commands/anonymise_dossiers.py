from django.core.management.base import BaseCommand, CommandError

from apps.applications.privacy import anonymise_old_dossiers


class Command(BaseCommand):
    help = (
        "Anonymise students whose every application ended more than --years years ago: "
        "identity, motivation, documents and free-text history go; states, destinations and "
        "dates stay for statistics."
    )

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=5, help="Years after the last move.")

    def handle(self, *args, years: int, **options):
        if years < 1:
            raise CommandError("--years must be at least 1.")
        report = anonymise_old_dossiers(years)
        self.stdout.write(
            f"{report.students} students anonymised, {report.documents} documents removed."
        )

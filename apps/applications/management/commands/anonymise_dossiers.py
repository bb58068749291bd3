from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
            raise CommandError(
                _("--years must be between 1 and %(maximum)d.") % {"maximum": MAX_YEARS}
            )
        report = anonymise_old_dossiers(years)
        students = ngettext(
            "%(count)d student anonymised.", "%(count)d students anonymised.", report.students
        ) % {"count": report.students}
        documents = ngettext(
            "%(count)d document removed.", "%(count)d documents removed.", report.documents
        ) % {"count": report.documents}
        self.stdout.write(f"{students} {documents}")

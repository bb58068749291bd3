"""`manage.py import_partners FILE.csv`: see docs/partners-import.md."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, no_translations
from django.utils.translation import ngettext

from apps.programmes.importing import ImportFailed, import_partners_file


class Command(BaseCommand):
    help = (
        "Create or update partner institutions and agreements from a UTF-8 CSV file "
        "(layout in docs/partners-import.md). Nothing is written when any row has a problem. "
        "Exit status: 0 imported, 1 bad content, 2 unreadable file or bad header."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("csv_file", type=Path, help="path of the CSV file")

    # Problems are printed in the language of the documented messages (docs/partners-import.md),
    # the models' validation messages too, not in the settings' default language.
    @no_translations
    def handle(self, *args, csv_file: Path, **options) -> None:
        try:
            report = import_partners_file(csv_file)
        except ImportFailed as failure:
            for problem in failure.problems:
                self.stderr.write(problem)
            count = len(failure.problems)
            self.stderr.write(
                ngettext(
                    "Nothing imported: %(count)d problem.",
                    "Nothing imported: %(count)d problems.",
                    count,
                )
                % {"count": count}
            )
            sys.exit(failure.exit_code)
        self.stdout.write(report.summary())

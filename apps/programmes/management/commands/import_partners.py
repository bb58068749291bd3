"""`manage.py import_partners FILE.csv [--actor E-MAIL]`: see docs/partners-import.md."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations
from django.utils.translation import ngettext

from apps.accounts.models import User
from apps.accounts.roles import Capability, user_can
from apps.programmes.importing import ImportFailed, import_partners_file


class Command(BaseCommand):
    help = (
        "Create or update partner institutions and agreements from a UTF-8 CSV file "
        "(layout in docs/partners-import.md). Nothing is written when any row has a problem. "
        "Exit status: 0 imported, 1 bad content or unknown --actor, 2 unreadable file or bad "
        "header."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("csv_file", type=Path, help="path of the CSV file")
        parser.add_argument(
            "--actor",
            metavar="E-MAIL",
            help=(
                "e-mail of the portal account the import is done for (the DRI who sent the "
                "file): each partner and agreement written is logged under that name in the "
                "admin's history; without it, nothing is logged"
            ),
        )

    # Problems are printed in the language of the documented messages (docs/partners-import.md),
    # the models' validation messages too, not in the settings' default language.
    @no_translations
    def handle(self, *args, csv_file: Path, actor: str | None = None, **options) -> None:
        user = self._actor(actor) if actor is not None else None
        try:
            report = import_partners_file(csv_file, actor=user)
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
        if user is None:
            self.stderr.write("No --actor given: this import is not logged in the admin's history.")

    def _actor(self, email: str) -> User:
        """The account of `email` (stored in lower case), one that manages the catalogue as
        the admin's import asks: checked before the file is read."""
        user = User.objects.filter(email=email.strip().lower()).first()
        if not user_can(user, Capability.MANAGE_CATALOGUE):
            raise CommandError(
                f"--actor: no active account that manages the catalogue has the e-mail {email!r}."
            )
        return user

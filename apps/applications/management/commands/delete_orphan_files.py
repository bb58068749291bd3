from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mobility_portal.storage_sweep import delete_orphan_files


class Command(BaseCommand):
    help = (
        "Delete the files of the documents and exports folders that no row names any more "
        "(left by a transaction that rolled back), once older than --hours hours."
    )

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=24, help="Only files older than this.")
        parser.add_argument("--dry-run", action="store_true", help="List them, delete nothing.")

    def handle(self, *args, hours: int, dry_run: bool, **options):
        if hours < 1:
            raise CommandError(_("--hours must be at least 1."))
        report = delete_orphan_files(grace=timedelta(hours=hours), dry_run=dry_run)
        for name in report.orphans:
            self.stdout.write(name)
        if dry_run:
            message = ngettext(
                "%(count)d file no row names; nothing deleted (--dry-run).",
                "%(count)d files no row names; nothing deleted (--dry-run).",
                len(report.orphans),
            )
        else:
            message = ngettext(
                "%(count)d file no row names deleted.",
                "%(count)d files no row names deleted.",
                report.deleted,
            )
        self.stdout.write(message % {"count": len(report.orphans)})

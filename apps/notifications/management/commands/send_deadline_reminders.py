"""`python manage.py send_deadline_reminders`: what beat's reminder task does, for a cron entry
on a machine without Celery beat. Running it more often than daily sends nothing twice."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.notifications import reminders


class Command(BaseCommand):
    help = "Write the call deadline reminders due today (for cron, where Celery beat does not run)."

    def handle(self, *args: object, **options: object) -> None:
        try:
            written = reminders.remind_closing_calls(timezone.localdate())
        except Exception as error:  # cron mails one clear line; --traceback shows the rest
            reason = " ".join(f"{type(error).__name__}: {error}".split())
            raise CommandError(
                _("Deadline reminders not sent: %(reason)s") % {"reason": reason}
            ) from error
        self.stdout.write(
            ngettext(
                "%(count)d new deadline reminder queued for delivery.",
                "%(count)d new deadline reminders queued for delivery.",
                written,
            )
            % {"count": written}
        )

"""`python manage.py send_deadline_reminders`: what beat's reminder task does, for a cron entry
on a machine without Celery beat. Running it more often than daily sends nothing twice."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.notifications import reminders
from apps.notifications.management.cron import CronCommand


class Command(CronCommand):
    help = "Write the call deadline reminders due today (for cron, where Celery beat does not run)."

    def handle(self, *args: object, **options: object) -> None:
        self.run_job(
            lambda: reminders.remind_closing_calls(timezone.localdate()),
            failed=_("Deadline reminders not sent: %(reason)s"),
            done=lambda count: (
                ngettext(
                    "%(count)d new deadline reminder queued for delivery.",
                    "%(count)d new deadline reminders queued for delivery.",
                    count,
                )
                % {"count": count}
            ),
        )

"""`python manage.py send_course_plan_reminders`: what beat's reminder task to study advisors
does, for a cron entry on a machine without Celery beat. Running it more often than daily sends
nothing twice: an advisor hears at most once in COURSE_PLAN_REMINDER_DAYS days."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.notifications import reminders
from apps.notifications.management.cron import CronCommand


class Command(CronCommand):
    help = (
        "Remind study advisors of the course plans waiting for their decision (for cron, where "
        "Celery beat does not run)."
    )

    def handle(self, *args: object, **options: object) -> None:
        self.run_job(
            lambda: reminders.remind_advisors(timezone.localdate()),
            failed=_("Course plan reminders not sent: %(reason)s"),
            done=lambda count: (
                ngettext(
                    "%(count)d new course plan reminder queued for delivery.",
                    "%(count)d new course plan reminders queued for delivery.",
                    count,
                )
                % {"count": count}
            ),
        )

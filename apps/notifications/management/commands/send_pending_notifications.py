"""`python manage.py send_pending_notifications`: what beat's relay task does, for a cron entry
on a machine without Celery beat. Without a broker the rows are delivered in this process;
those that fail again wait for their next retry time."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.notifications import delivery
from apps.notifications.management.cron import CronCommand


class Command(CronCommand):
    help = (
        "Hand every due pending notification (new, or a retry whose time has come) over for "
        "delivery (for cron, where Celery beat does not run)."
    )

    def handle(self, *args: object, **options: object) -> None:
        self.run_job(
            delivery.relay_pending,
            failed=_("Pending notifications not sent: %(reason)s"),
            done=lambda count: (
                ngettext(
                    "%(count)d pending notification handed over for delivery.",
                    "%(count)d pending notifications handed over for delivery.",
                    count,
                )
                % {"count": count}
            ),
        )

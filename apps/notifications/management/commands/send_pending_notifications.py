"""`python manage.py send_pending_notifications`: what beat's relay task does, for a cron entry
on a machine without Celery beat. Without a broker the rows are delivered in this process;
those that fail again wait for their next retry time."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.notifications import delivery


class Command(BaseCommand):
    help = (
        "Hand every due pending notification (new, or a retry whose time has come) over for "
        "delivery (for cron, where Celery beat does not run)."
    )

    def handle(self, *args: object, **options: object) -> None:
        try:
            relayed = delivery.relay_pending()
        except Exception as error:  # cron mails one clear line; --traceback shows the rest
            reason = " ".join(f"{type(error).__name__}: {error}".split())
            raise CommandError(
                _("Pending notifications not sent: %(reason)s") % {"reason": reason}
            ) from error
        self.stdout.write(
            ngettext(
                "%(count)d pending notification handed over for delivery.",
                "%(count)d pending notifications handed over for delivery.",
                relayed,
            )
            % {"count": relayed}
        )

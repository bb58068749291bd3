"""`python manage.py settle_earlier_notifications`: once after the upgrade that made
notifications stop asking once done (and after each that settles more), the notifications
written before it get what they await, and those whose action is done already are settled
(apps/notifications/backfill.py). Running it again changes nothing."""

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from apps.notifications.backfill import fill_awaits, fill_digest_items, settle_reviews_done


class Command(BaseCommand):
    help = "Mark the earlier notifications that ask to act with what they await; settle those done."

    def handle(self, *args: object, **options: object) -> None:
        given, settled = fill_awaits()
        digests, digests_settled = fill_digest_items()
        given += digests
        settled += digests_settled + settle_reviews_done()
        self.stdout.write(
            ngettext(
                "%(given)d earlier notification now settles once done; %(settled)d done already.",
                "%(given)d earlier notifications now settle once done; %(settled)d done already.",
                given,
            )
            % {"given": given, "settled": settled}
        )

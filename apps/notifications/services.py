from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.roles import Capability, user_can
from apps.applications.errors import ServiceError

from .models import DeliveryStatus, Notification


def notification_mark_read(*, actor: User, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def notifications_mark_all_read(*, actor: User) -> int:
    return actor.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())


def notification_preferences_update(
    *, actor: User, language: str, notify_new_applications: bool
) -> User:
    actor.language = language
    actor.notify_new_applications = notify_new_applications
    actor.save(update_fields=["language", "notify_new_applications"])
    return actor


def notifications_send_again(*, actor: User) -> int:
    """Give every failed notification a fresh set of attempts and hand it over now (the
    office's "send again", once the mail server is back). Returns how many."""
    from .delivery import requeue
    from .outbox import dispatch

    if not user_can(actor, Capability.REVIEW_APPLICATIONS):
        raise ServiceError(_("Only the international relations office can send e-mails again."))
    failed = Notification.objects.filter(status=DeliveryStatus.FAILED)
    ids = list(failed.values_list("pk", flat=True))
    count = requeue(failed)
    transaction.on_commit(lambda: dispatch(ids))
    return count

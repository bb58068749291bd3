from django.utils import timezone

from apps.accounts.models import User

from .models import Notification


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

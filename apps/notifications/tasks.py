"""Thin Celery tasks: they take ids and call the delivery and reminder functions."""

from celery import shared_task
from django.utils import timezone

from . import delivery, reminders
from .outbox import dispatch


@shared_task(name="apps.notifications.tasks.deliver", ignore_result=True)
def deliver(notification_id: int) -> str:
    return delivery.deliver(notification_id)


RELAY_PAGE = 500
RELAY_MAX_PAGES = 20


@shared_task(name="apps.notifications.tasks.relay_pending", ignore_result=True)
def relay_pending() -> int:
    """Beat's safety net: everything still pending (broker was down, worker crashed, retry
    due) goes back to the workers, page after page, each row once per queue lease."""
    relayed = 0
    for _ in range(RELAY_MAX_PAGES):
        ids = delivery.due_ids(limit=RELAY_PAGE)
        relayed += dispatch(ids)
        if len(ids) < RELAY_PAGE:
            break
    return relayed


@shared_task(name="apps.notifications.tasks.remind_closing_calls", ignore_result=True)
def remind_closing_calls() -> int:
    return reminders.remind_closing_calls(timezone.localdate())

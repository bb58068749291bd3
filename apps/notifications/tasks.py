"""Thin Celery tasks: they take ids and call the delivery and reminder functions. Where no
beat runs, the send_pending_notifications, send_deadline_reminders and
send_course_plan_reminders commands call the same functions from cron."""

from celery import shared_task
from django.utils import timezone

from . import delivery, reminders


@shared_task(name="apps.notifications.tasks.deliver", ignore_result=True)
def deliver(notification_id: int) -> str:
    return delivery.deliver(notification_id)


@shared_task(name="apps.notifications.tasks.relay_pending", ignore_result=True)
def relay_pending() -> int:
    return delivery.relay_pending()


@shared_task(name="apps.notifications.tasks.remind_closing_calls", ignore_result=True)
def remind_closing_calls() -> int:
    return reminders.remind_closing_calls(timezone.localdate())


@shared_task(name="apps.notifications.tasks.remind_advisors", ignore_result=True)
def remind_advisors() -> int:
    return reminders.remind_advisors(timezone.localdate())

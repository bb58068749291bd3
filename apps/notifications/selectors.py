"""The outbox as the staff who run the process see it: what waits, what failed and why."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min, Q

from apps.applications.models import Transition

from .events import APPLICATION_RESUBMITTED
from .models import DeliveryStatus, Notification

FAILED_SHOWN = 20


@dataclass(frozen=True)
class OutboxHealth:
    pending: int
    failed: int
    oldest_pending: datetime | None
    recent_failures: list[Notification]


def outbox_health() -> OutboxHealth:
    """Two queries, whatever the number of rows."""
    waiting = Q(status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING])
    figures = Notification.objects.aggregate(
        pending=Count("pk", filter=waiting),
        failed=Count("pk", filter=Q(status=DeliveryStatus.FAILED)),
        oldest_pending=Min("created_at", filter=waiting),
    )
    failures = list(
        Notification.objects.filter(status=DeliveryStatus.FAILED).order_by("-created_at", "-pk")[
            :FAILED_SHOWN
        ]
    )
    return OutboxHealth(recent_failures=failures, **figures)


def with_quotes(notifications: list[Notification]) -> list[Notification]:
    """Give each notification `quote`: for a resubmission, the student's word on what they
    changed (the comment of its audit row, so that it is never kept twice), else "". One
    query for a page of them, none when the page has no resubmission."""
    transitions = {
        notification.pk: notification.context.get("transition")
        for notification in notifications
        if notification.event == APPLICATION_RESUBMITTED.name
    }
    comments = (
        dict(Transition.objects.filter(pk__in=transitions.values()).values_list("pk", "comment"))
        if transitions
        else {}
    )
    for notification in notifications:
        notification.quote = comments.get(transitions.get(notification.pk), "")
    return notifications

"""The outbox as the staff who run the process see it: what waits, what failed and why."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min, Q

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

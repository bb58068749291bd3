"""Delivering outbox rows: claimed by a conditional update so each is sent once, even with
several workers; failures retried with exponential back-off, then marked failed."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from apps.applications.privacy import ANONYMISED_EMAIL_DOMAIN

from .events import EVENTS
from .models import DeliveryStatus, Notification
from .outbox import dispatch
from .rendering import render_message

logger = logging.getLogger(__name__)


def claim(pk: int) -> Notification | None:
    """Take a due pending row for this worker, or None when another has it or it is done."""
    now = timezone.now()
    taken = Notification.objects.filter(
        pk=pk, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    ).update(
        status=DeliveryStatus.SENDING, claimed_at=now, queued_at=None, attempts=F("attempts") + 1
    )
    return Notification.objects.select_related("recipient").get(pk=pk) if taken else None


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=settings.NOTIFICATION_RETRY_BASE_SECONDS * 2 ** (attempts - 1))


def deliver(pk: int) -> str:
    notification = claim(pk)
    if notification is None:
        return "skipped"
    if notification.recipient_id and not notification.recipient.is_active:
        # Deactivated since the row was written (a retry, a broker outage): nothing goes out.
        Notification.objects.filter(pk=pk).update(
            status=DeliveryStatus.FAILED, last_error="The recipient's account is deactivated."
        )
        return "failed"
    try:
        message = render_message(notification)
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.text,
            to=[notification.email],
            reply_to=reply_to(notification),
            headers={"X-Mobility-Notification": str(notification.pk)},
        )
        email.attach_alternative(message.html, "text/html")
        email.send()
    except Exception as error:  # any failure of rendering or SMTP is recorded, never lost
        return record_failure(notification, error)
    Notification.objects.filter(pk=pk).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), last_error="", **forgotten(notification)
    )
    return "sent"


def reply_to(notification: Notification) -> list[str]:
    """Where an answer to the e-mail goes: the office's shared address for an event that asks
    for it (Event.replies_to_office), when the office has one; else the sender."""
    if EVENTS[notification.event].replies_to_office and settings.DRI_MAILBOX:
        return [settings.DRI_MAILBOX]
    return []


def forgotten(notification: Notification) -> dict[str, str]:
    """For an event sent to a person whose data the portal no longer keeps (erasure): the
    row's address, and its key that names it, overwritten once the message is sent or has
    failed for good."""
    if not EVENTS[notification.event].forgets_address_once_sent:
        return {}
    return {
        "email": f"forgotten-{notification.pk}{ANONYMISED_EMAIL_DOMAIN}",
        "key": f"{notification.event}:forgotten:{notification.pk}",
    }


# `forgotten`, as the columns of an update of many rows.
FORGETTING_EVENTS = [name for name, event in EVENTS.items() if event.forgets_address_once_sent]
FORGOTTEN_IN_SQL = {
    "email": Concat(Value("forgotten-"), Cast("pk", CharField()), Value(ANONYMISED_EMAIL_DOMAIN)),
    "key": Concat(F("event"), Value(":forgotten:"), Cast("pk", CharField())),
}
WORKER_DIED = "The worker stopped while sending, on every attempt."


def record_failure(notification: Notification, error: Exception) -> str:
    text = f"{type(error).__name__}: {error}"
    forgets = forgotten(notification)
    if forgets:  # an SMTP refusal quotes the address: neither the row nor the log keeps it
        text = text.replace(notification.email, forgets["email"])
    text = text[:2000]
    if notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
        status, outcome, next_attempt = DeliveryStatus.FAILED, "failed", timezone.now()
        logger.error("notification %s failed for good: %s", notification.pk, text)
    else:
        status, outcome = DeliveryStatus.PENDING, "retry"
        next_attempt = timezone.now() + backoff(notification.attempts)
        forgets = {}  # the next attempt needs the address
    Notification.objects.filter(pk=notification.pk).update(
        status=status, last_error=text, next_attempt_at=next_attempt, **forgets
    )
    return outcome


def due_ids(limit: int = 500) -> list[int]:
    """Pending rows whose time has come and that no worker queue holds (never queued, or
    queued longer ago than the lease), after giving back rows a dead worker had claimed."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.NOTIFICATION_STALE_SECONDS)
    abandoned = Notification.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=stale)
    # A row whose every attempt ended with its worker dying (one that crashes the worker, say)
    # fails for good like any other, instead of being tried again every few minutes forever.
    dead = abandoned.filter(attempts__gte=settings.NOTIFICATION_MAX_ATTEMPTS)
    died = {"status": DeliveryStatus.FAILED, "last_error": WORKER_DIED}
    dead.filter(event__in=FORGETTING_EVENTS).update(**died, **FORGOTTEN_IN_SQL)
    dead.update(**died)
    abandoned.update(status=DeliveryStatus.PENDING, next_attempt_at=now)
    lease_start = now - timedelta(seconds=settings.NOTIFICATION_QUEUE_LEASE_SECONDS)
    return list(
        Notification.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=lease_start))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


RELAY_PAGE = 500
RELAY_MAX_PAGES = 20


def relay_pending() -> int:
    """The safety net (beat, or the send_pending_notifications command): everything still
    pending (broker was down, worker crashed, retry due) goes back to the workers, page after
    page, each row once per queue lease. Without a broker the workers are this process.
    Returns how many rows were handed over."""
    relayed = 0
    for _ in range(RELAY_MAX_PAGES):
        ids = due_ids(limit=RELAY_PAGE)
        handed = dispatch(ids)
        relayed += handed
        if handed < len(ids):
            # The broker is down: the rest waits for the next run, which must not look done.
            raise RelayIncomplete(handed=relayed, left=len(ids) - handed)
        if len(ids) < RELAY_PAGE:  # a short page is the last one
            break
    return relayed


class RelayIncomplete(Exception):
    def __init__(self, *, handed: int, left: int):
        super().__init__(
            f"{left} due notification(s) not handed over (the broker did not take them; the "
            f"next run tries again), {handed} handed over"
        )


def requeue(queryset) -> int:
    """Give failed rows a fresh set of attempts (admin action)."""
    return queryset.filter(status=DeliveryStatus.FAILED).update(
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=timezone.now()
    )

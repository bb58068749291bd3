from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    # A reminder whose action was done before it went out: never sent (outbox.settle).
    SKIPPED = "skipped", _("Not sent: done already")


# A row not delivered yet, whose message is lost if the row goes: waiting for a worker (or the
# relay, or its next attempt), or being sent. A row sent, or failed for good (sent again from
# the admin if wanted), holds no message still to go.
UNDELIVERED = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)


class Notification(models.Model):
    """One message to one recipient: the outbox row the workers deliver by e-mail, and, when
    the recipient is a user, the entry of their in-portal notifications.

    Rows are written in the transaction of the event that causes them, so an event and its
    notifications exist together or not at all; `key` makes each (event, recipient) unique."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    event = models.CharField(_("event"), max_length=64)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=8)
    context = models.JSONField(_("context"), default=dict)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    # The subject in each of the portal's languages, for the in-portal list, which follows the
    # reader's language of the moment; `subject` is the e-mail's, in the recipient's language.
    subjects = models.JSONField(_("subject in each language"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    status = models.CharField(
        _("delivery"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    queued_at = models.DateTimeField(_("handed to the workers"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # What the notification asks its recipient to do, as a token the event that does it names
    # (outbox.settle): "application:12:submitted", "course_plan:5:review". Empty: it asks
    # nothing (news only).
    awaits = models.CharField(_("awaits"), max_length=100, blank=True, default="")
    # When that was done, by the recipient or by someone else: no longer new, shown as done.
    settled_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["awaits", "settled_at"]),
            # A reader's list, newest first: its first page reads 25 rows, where it sorted all
            # of the reader's notifications (an officer told of every submission has thousands).
            models.Index(
                fields=["recipient", "-created_at", "-id"], name="notification_reader_list_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.email} ({self.status})"

    @property
    def subject_now(self) -> str:
        """The subject in the active language (rows written before `subjects`: as stored)."""
        language = (get_language() or "").split("-")[0]
        return self.subjects.get(language) or self.subject


class AwaitedItem(models.Model):
    """One of the things a notification that lists several awaits: the advisor's digest of the
    course plans waiting for them asks for each plan's decision. The notification's own
    `awaits` is empty; it is settled once every one of its items is done (outbox.settle)."""

    # No cascade, and no constraint in the database: notifications are deleted in one statement
    # (an anonymisation, an undo, the admin), where a cascade would read every row first. An
    # item whose notification is gone is never read again: `settle` finds the notifications to
    # settle from their items' ids, and there is none.
    notification = models.ForeignKey(
        Notification,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="awaited_items",
        verbose_name=_("notification"),
    )
    # A token as `Notification.awaits`: "course_plan:5:review".
    token = models.CharField(_("awaits"), max_length=100)
    settled_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        verbose_name = _("awaited item")
        verbose_name_plural = _("awaited items")
        constraints = [
            models.UniqueConstraint(fields=["notification", "token"], name="awaited_item_once")
        ]
        indexes = [models.Index(fields=["token", "settled_at"])]

    def __str__(self) -> str:
        return self.token
